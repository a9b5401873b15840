import { expectParams } from "../hex-codec.js";

/** net_listening: always true while the server answers. */
export function netListening(params: readonly unknown[]): boolean {
  expectParams(params, 0);
  return true;
}
