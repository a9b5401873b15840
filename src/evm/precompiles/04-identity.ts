import { PRECOMPILE_FAILURE, type Precompile } from "./types.js";

const IDENTITY_BASE_GAS = 15;
const IDENTITY_WORD_GAS = 3;

/**
 * Address 0x04: returns its input. The output aliases the input (no copy): callers copy returndata
 * out of the caller's memory anyway, and must not mutate the input while holding the output.
 */
export const identity: Precompile = (input, gasLimit) => {
  const gasUsed = IDENTITY_BASE_GAS + IDENTITY_WORD_GAS * Math.ceil(input.length / 32);
  if (gasUsed > gasLimit) return PRECOMPILE_FAILURE;
  return { gasUsed, output: input };
};
