import { type Bn254Backend, PAIR_SIZE } from "./bn254-backend.js";
import { nobleBn254 } from "./bn254-noble.js";
import { PRECOMPILE_FAILURE, type Precompile } from "./types.js";

const PAIRING_BASE_GAS = 45000;
const PAIRING_PER_PAIR_GAS = 34000;

/** Address 0x08: bn254 pairing check (EIP-197, gas per EIP-1108) on `backend`. Outputs 1 when the product of pairings is 1. */
export function createBn254Pairing(backend: Bn254Backend): Precompile {
  return (input, gasLimit) => {
    const pairCount = Math.floor(input.length / PAIR_SIZE);
    const gasUsed = PAIRING_BASE_GAS + PAIRING_PER_PAIR_GAS * pairCount;
    if (gasUsed > gasLimit) return PRECOMPILE_FAILURE;
    if (input.length % PAIR_SIZE !== 0) return PRECOMPILE_FAILURE;
    const isOne = backend.pairingCheck(input);
    if (isOne === undefined) return PRECOMPILE_FAILURE;
    const output = new Uint8Array(32);
    if (isOne) output[31] = 1;
    return { gasUsed, output };
  };
}

/** 0x08 on noble: the reference (PRECOMPILES runs a fast backend once initPrecompiles loads it). */
export const bn254Pairing: Precompile = createBn254Pairing(nobleBn254);
