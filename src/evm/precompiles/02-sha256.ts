import { createHash } from "node:crypto";
import { PRECOMPILE_FAILURE, type Precompile } from "./types.js";

const SHA256_BASE_GAS = 60;
const SHA256_WORD_GAS = 12;

/** Address 0x02: SHA2-256 of the input. */
export const sha256: Precompile = (input, gasLimit) => {
  const gasUsed = SHA256_BASE_GAS + SHA256_WORD_GAS * Math.ceil(input.length / 32);
  if (gasUsed > gasLimit) return PRECOMPILE_FAILURE;
  const digest = createHash("sha256").update(input).digest();
  return { gasUsed, output: new Uint8Array(digest.buffer, digest.byteOffset, digest.length) };
};
