import { type Bn254Backend, G1_SIZE, padTo } from "./bn254-backend.js";
import { nobleBn254 } from "./bn254-noble.js";
import { PRECOMPILE_FAILURE, type Precompile } from "./types.js";

const BN254_ADD_GAS = 150;

/** Address 0x06: bn254 G1 point addition (EIP-196, gas per EIP-1108) on `backend`. */
export function createBn254Add(backend: Bn254Backend): Precompile {
  return (input, gasLimit) => {
    if (BN254_ADD_GAS > gasLimit) return PRECOMPILE_FAILURE;
    const output = backend.add(padTo(input, 2 * G1_SIZE));
    return output === undefined ? PRECOMPILE_FAILURE : { gasUsed: BN254_ADD_GAS, output };
  };
}

/** 0x06 on noble: the reference (PRECOMPILES runs a fast backend once initPrecompiles loads it). */
export const bn254Add: Precompile = createBn254Add(nobleBn254);
