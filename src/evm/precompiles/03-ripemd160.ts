import { ripemd160 as ripemd160Hash } from "@noble/hashes/legacy.js";
import { PRECOMPILE_FAILURE, type Precompile } from "./types.js";

const RIPEMD160_BASE_GAS = 600;
const RIPEMD160_WORD_GAS = 120;

/** Address 0x03: RIPEMD-160 of the input, left-padded to 32 bytes. */
export const ripemd160: Precompile = (input, gasLimit) => {
  const gasUsed = RIPEMD160_BASE_GAS + RIPEMD160_WORD_GAS * Math.ceil(input.length / 32);
  if (gasUsed > gasLimit) return PRECOMPILE_FAILURE;
  const output = new Uint8Array(32);
  output.set(ripemd160Hash(input), 12);
  return { gasUsed, output };
};
