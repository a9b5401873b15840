import { pointEvaluation } from "./0a-point-evaluation.js";
import { ecrecover } from "./01-ecrecover.js";
import { sha256 } from "./02-sha256.js";
import { ripemd160 } from "./03-ripemd160.js";
import { identity } from "./04-identity.js";
import { modexp } from "./05-modexp.js";
import { bn254Add } from "./06-bn254-add.js";
import { bn254Mul } from "./07-bn254-mul.js";
import { bn254Pairing } from "./08-bn254-pairing.js";
import { blake2f } from "./09-blake2f.js";
import type { Precompile } from "./types.js";

/** Cancun precompiles, indexed by address (index 0 unused). */
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
  pointEvaluation,
];

const LAST_PRECOMPILE = BigInt(PRECOMPILES.length - 1);

/** True for the Cancun precompile addresses 0x01..0x0a. */
export function isPrecompile(address: bigint): boolean {
  return address >= 1n && address <= LAST_PRECOMPILE;
}

/**
 * Kept for compatibility: no precompile needs asynchronous setup any more (0x0a reads its trusted-setup
 * point synchronously on first use), so this resolves at once.
 */
export async function initPrecompiles(): Promise<void> {}
