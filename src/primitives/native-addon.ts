// Weft's native addon (native/bn254, the optional npm dependency weft-bn254-native): Rust that cargo
// builds when npm installs it. Each user checks for the functions it needs and falls back to its
// JavaScript or WebAssembly implementation where the addon, or a function of it, is missing.
import { createRequire } from "node:module";

export const NATIVE_ADDON_PACKAGE = "weft-bn254-native";

let addon: Record<string, unknown> | null | undefined;

/** The addon's exports, or undefined when npm did not build it (no cargo, or its build failed); loaded once per thread. */
export function loadNativeAddon(): Record<string, unknown> | undefined {
  if (addon === undefined) {
    try {
      addon = createRequire(import.meta.url)(NATIVE_ADDON_PACKAGE) as Record<string, unknown>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw error;
      addon = null;
    }
  }
  return addon ?? undefined;
}
