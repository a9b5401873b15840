import { type Bn254Backend, G1_SIZE, padTo, SCALAR_SIZE } from "./bn254-backend.js";
import { nobleBn254 } from "./bn254-noble.js";
import { PRECOMPILE_FAILURE, type Precompile } from "./types.js";

const BN254_MUL_GAS = 6000;

/** Address 0x07: bn254 G1 scalar multiplication (EIP-196, gas per EIP-1108) on `backend`. */
export function createBn254Mul(backend: Bn254Backend): Precompile {
  return (input, gasLimit) => {
    if (BN254_MUL_GAS > gasLimit) return PRECOMPILE_FAILURE;
    const output = backend.mul(padTo(input, G1_SIZE + SCALAR_SIZE));
    return output === undefined ? PRECOMPILE_FAILURE : { gasUsed: BN254_MUL_GAS, output };
  };
}

/** 0x07 on noble: the reference (PRECOMPILES runs a fast backend once initPrecompiles loads it). */
export const bn254Mul: Precompile = createBn254Mul(nobleBn254);
