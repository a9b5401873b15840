import { encodeG1, readG1 } from "./bn254-codec.js";
import { PRECOMPILE_FAILURE, type Precompile } from "./types.js";

const BN254_ADD_GAS = 150;

/** Address 0x06: bn254 G1 point addition (EIP-196, gas per EIP-1108). */
export const bn254Add: Precompile = (input, gasLimit) => {
  if (BN254_ADD_GAS > gasLimit) return PRECOMPILE_FAILURE;
  const p = readG1(input, 0);
  if (p === undefined) return PRECOMPILE_FAILURE;
  const q = readG1(input, 64);
  if (q === undefined) return PRECOMPILE_FAILURE;
  return { gasUsed: BN254_ADD_GAS, output: encodeG1(p.add(q)) };
};
