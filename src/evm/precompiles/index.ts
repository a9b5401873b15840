import { createPointEvaluation } from "./0a-point-evaluation.js";
import { verifyKzgProofCKzg } from "./0a-point-evaluation-ckzg.js";
import { ecrecover } from "./01-ecrecover.js";
import { sha256 } from "./02-sha256.js";
import { ripemd160 } from "./03-ripemd160.js";
import { identity } from "./04-identity.js";
import { createModexp, modexp } from "./05-modexp.js";
import { loadGmpModPow } from "./05-modexp-gmp.js";
import { bn254Add, createBn254Add } from "./06-bn254-add.js";
import { bn254Mul, createBn254Mul } from "./07-bn254-mul.js";
import { bn254Pairing, createBn254Pairing } from "./08-bn254-pairing.js";
import { blake2f } from "./09-blake2f.js";
import { loadFastBn254 } from "./bn254-load.js";
import type { Precompile } from "./types.js";

/**
 * Cancun precompiles, indexed by address (index 0 unused). Modexp and bn254 start on their pure JS
 * references and switch to GMP and arkworks or mcl (loaded asynchronously) in initPrecompiles().
 */
export const PRECOMPILES: (Precompile | undefined)[] = [
  undefined,
  ecrecover,
  sha256,
  ripemd160,
  identity,
  modexp,
  bn254Add,
  bn254Mul,
  bn254Pairing,
  blake2f,
  createPointEvaluation(verifyKzgProofCKzg),
];

const LAST_PRECOMPILE = BigInt(PRECOMPILES.length - 1);

/** True for the Cancun precompile addresses 0x01..0x0a. */
export function isPrecompile(address: bigint): boolean {
  return address >= 1n && address <= LAST_PRECOMPILE;
}

let initialized: Promise<void> | undefined;

/**
 * Loads the fast arithmetic (GMP for modexp, arkworks or mcl for bn254) and puts it into PRECOMPILES. Each
 * thread that executes transactions awaits this once before its first one; until then the same
 * precompiles run on the pure JS references, with the same results, only slower.
 */
export function initPrecompiles(): Promise<void> {
  initialized ??= Promise.all([loadGmpModPow(), loadFastBn254()]).then(([modPow, bn254]) => {
    PRECOMPILES[5] = createModexp(modPow);
    PRECOMPILES[6] = createBn254Add(bn254);
    PRECOMPILES[7] = createBn254Mul(bn254);
    PRECOMPILES[8] = createBn254Pairing(bn254);
  });
  return initialized;
}
