// Picks what PRECOMPILES runs for 0x06-0x08: the fastest bn254 backend this install has.
import type { Bn254Backend } from "./bn254-backend.js";
import { loadMclBn254 } from "./bn254-mcl.js";
import { loadNativeBn254 } from "./bn254-native.js";

/** The native (arkworks) backend when npm built its addon, else mcl-wasm. */
export function loadFastBn254(): Promise<Bn254Backend> {
  const native = loadNativeBn254();
  return native === undefined ? loadMclBn254() : Promise.resolve(native);
}
