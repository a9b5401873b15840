// KZG proof verification for 0x0a on c-kzg, the native binding of c-kzg-4844 (blst) that geth and reth
// use: ~1.4 ms a proof against ~10 ms for noble. Loading the mainnet trusted setup takes seconds and
// c-kzg keeps it per thread, so it is loaded on the first verification in each thread, not at startup.
import { createRequire } from "node:module";
import type { KzgVerifier } from "./0a-point-evaluation.js";

type CKzg = typeof import("c-kzg");

/** Fewest precomputed tables: only single-proof verification runs here, which does not use them. */
const TRUSTED_SETUP_PRECOMPUTE = 0;

let ckzg: CKzg | undefined;

function loadCKzg(): CKzg {
  if (ckzg === undefined) {
    const library = createRequire(import.meta.url)("c-kzg") as CKzg;
    // Without a path c-kzg reads the mainnet setup it ships (the EIP-4844 ceremony output).
    library.loadTrustedSetup(TRUSTED_SETUP_PRECOMPUTE);
    ckzg = library;
  }
  return ckzg;
}

export const verifyKzgProofCKzg: KzgVerifier = (commitment, z, y, proof) => {
  const library = loadCKzg();
  try {
    return library.verifyKzgProof(commitment, z, y, proof);
  } catch {
    // c-kzg throws for input that is not canonical (a scalar >= the modulus, a bad point encoding).
    return false;
  }
};
