// Just enough ABI encoding for the benchmark's calls: static arguments (uint256, address) only.
import { bigintToBytes, concatBytes, hexToBytes } from "../primitives/hex.js";
import type { Artifact } from "./compile.js";

/** Calldata for `signature` (as in the artifact's methodIdentifiers) with static word arguments. */
export function encodeCall(artifact: Artifact, signature: string, args: bigint[]): Uint8Array {
  const selector = artifact.methodIdentifiers[signature];
  if (selector === undefined) throw new Error(`contract has no function ${signature}`);
  return concatBytes(hexToBytes(selector), encodeWords(args));
}

/** Static arguments as consecutive 32-byte words (constructor arguments, call arguments). */
export function encodeWords(args: bigint[]): Uint8Array {
  return concatBytes(...args.map((a) => bigintToBytes(a, 32)));
}
