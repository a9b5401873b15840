import { PRECOMPILE_FAILURE, type Precompile } from "./types.js";

const IDENTITY_BASE_GAS = 15;
const IDENTITY_WORD_GAS = 3;

/**
 * Address 0x04: returns its input, copied: a call's input is a view of the caller's memory, and the
 * output must stay the caller's return data after that memory changes.
 */
export const identity: Precompile = (input, gasLimit) => {
  const gasUsed = IDENTITY_BASE_GAS + IDENTITY_WORD_GAS * Math.ceil(input.length / 32);
  if (gasUsed > gasLimit) return PRECOMPILE_FAILURE;
  return { gasUsed, output: input.slice() };
};
