// The bn254 backend on arkworks (ark-bn254, native code): the weft-bn254-native addon in native/bn254,
// which cargo builds when npm installs it (an optional dependency). About 4x mcl-wasm on the pairing
// check and 2x on G1 multiplication; where the addon is not built, loadFastBn254 falls back to mcl.
import { loadNativeAddon, NATIVE_ADDON_PACKAGE } from "../../primitives/native-addon.js";
import { type Bn254Backend, G1_SIZE } from "./bn254-backend.js";

/** What native/bn254/src/lib.rs exports (napi-rs names its functions in camelCase). */
interface Bn254Addon {
  bn254Add(input: Uint8Array, output: Uint8Array): boolean;
  bn254Mul(input: Uint8Array, output: Uint8Array): boolean;
  /** 1 when the product of pairings is 1, 0 when not, -1 when a point is invalid. */
  bn254PairingCheck(input: Uint8Array): number;
}

export const NATIVE_BN254_PACKAGE = NATIVE_ADDON_PACKAGE;

let backend: Bn254Backend | null | undefined;

/** The native backend, or undefined when the addon is not installed; loaded once per thread. */
export function loadNativeBn254(): Bn254Backend | undefined {
  if (backend === undefined) {
    const addon = loadNativeAddon();
    backend = addon === undefined ? null : createNativeBn254(addon as unknown as Bn254Addon);
  }
  return backend ?? undefined;
}

function createNativeBn254(addon: Bn254Addon): Bn254Backend {
  return {
    add(input) {
      const output = new Uint8Array(G1_SIZE);
      return addon.bn254Add(input, output) ? output : undefined;
    },

    mul(input) {
      const output = new Uint8Array(G1_SIZE);
      return addon.bn254Mul(input, output) ? output : undefined;
    },

    pairingCheck(input) {
      const result = addon.bn254PairingCheck(input);
      return result < 0 ? undefined : result === 1;
    },
  };
}
