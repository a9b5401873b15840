// Shared by the precompile unit tests only.
import { bytesToHex, hexToBytes } from "../../primitives/hex.js";
import { PRECOMPILE_FAILURE, type Precompile } from "./types.js";

export const FAILURE = "failure";

/** Runs `precompile` on hex input; returns [gasUsed, hex output without 0x] or FAILURE. */
export function call(
  precompile: Precompile,
  inputHex: string,
  gasLimit = 100_000_000,
): [number, string] | typeof FAILURE {
  const result = precompile(hexToBytes(inputHex.replace(/\s+/g, "")), gasLimit);
  if (result === PRECOMPILE_FAILURE) return FAILURE;
  return [result.gasUsed, bytesToHex(result.output).slice(2)];
}

export function word(value: bigint | number): string {
  return BigInt(value).toString(16).padStart(64, "0");
}
