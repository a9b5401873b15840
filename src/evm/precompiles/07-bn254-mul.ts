import { CURVE_ORDER, encodeG1, readG1, readWord } from "./bn254-codec.js";
import { PRECOMPILE_FAILURE, type Precompile } from "./types.js";

const BN254_MUL_GAS = 6000;

/** Address 0x07: bn254 G1 scalar multiplication (EIP-196, gas per EIP-1108). */
export const bn254Mul: Precompile = (input, gasLimit) => {
  if (BN254_MUL_GAS > gasLimit) return PRECOMPILE_FAILURE;
  const p = readG1(input, 0);
  if (p === undefined) return PRECOMPILE_FAILURE;
  // G1 has prime order r, so the full 256-bit scalar can be reduced mod r.
  const scalar = readWord(input, 64) % CURVE_ORDER;
  return { gasUsed: BN254_MUL_GAS, output: encodeG1(p.multiplyUnsafe(scalar)) };
};
