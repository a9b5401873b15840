// The bn254 backends whose answers the 0x06-0x08 tests check on the same vectors: noble (the
// reference), mcl-wasm, and the native addon where npm built it. Under CI=true a missing addon fails
// those tests instead of skipping them, so CI always covers what PRECOMPILES runs.
import type { Bn254Backend } from "./bn254-backend.js";
import { loadMclBn254 } from "./bn254-mcl.js";
import { loadNativeBn254, NATIVE_BN254_PACKAGE } from "./bn254-native.js";
import { nobleBn254 } from "./bn254-noble.js";

export interface Bn254TestBackend {
  name: string;
  load: () => Promise<Bn254Backend>;
  /** Why the backend's tests are skipped, or false. */
  skip: string | false;
}

const NOT_BUILT = `${NATIVE_BN254_PACKAGE} is not built (npm builds it with cargo; see native/bn254)`;

async function loadNativeOrThrow(): Promise<Bn254Backend> {
  const native = loadNativeBn254();
  if (native === undefined) throw new Error(NOT_BUILT);
  return native;
}

export const BN254_TEST_BACKENDS: readonly Bn254TestBackend[] = [
  { name: "noble reference", load: async () => nobleBn254, skip: false },
  { name: "mcl", load: loadMclBn254, skip: false },
  {
    name: "native arkworks",
    load: loadNativeOrThrow,
    skip: loadNativeBn254() === undefined && process.env.CI !== "true" ? NOT_BUILT : false,
  },
];
