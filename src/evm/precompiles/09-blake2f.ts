import { blake2bCompress } from "./09-blake2f-wasm.js";
import { PRECOMPILE_FAILURE, type Precompile } from "./types.js";

// The round loop runs in WebAssembly (09-blake2f-wasm.ts, ~100x the JS reference in 09-blake2f-reference.ts),
// fast enough for 2^32 - 1 rounds (EIP-152 vector 8, stTimeConsuming/CALLBlake2f_MaxRounds).
export { blake2bCompress };

const BLAKE2F_INPUT_LENGTH = 213;
const BLAKE2F_GAS_PER_ROUND = 1;

/** Address 0x09: the BLAKE2b compression function F (EIP-152). Gas is one per round. */
export const blake2f: Precompile = (input, gasLimit) => {
  if (input.length !== BLAKE2F_INPUT_LENGTH) return PRECOMPILE_FAILURE;
  const rounds = ((input[0]! << 24) | (input[1]! << 16) | (input[2]! << 8) | input[3]!) >>> 0;
  const gasUsed = rounds * BLAKE2F_GAS_PER_ROUND;
  if (gasUsed > gasLimit) return PRECOMPILE_FAILURE;
  const finalFlag = input[212]!;
  if (finalFlag !== 0 && finalFlag !== 1) return PRECOMPILE_FAILURE;
  return { gasUsed, output: blake2bCompress(input, rounds, finalFlag === 1) };
};
