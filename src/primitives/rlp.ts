// RLP comes from @ethereumjs/rlp (well kept, spec-exact); this file adds the few helpers we need.
import { RLP } from "@ethereumjs/rlp";

export type RlpInput = Uint8Array | RlpInput[];
export type RlpDecoded = Uint8Array | RlpDecoded[];

export function rlpEncode(input: RlpInput): Uint8Array {
  return RLP.encode(input);
}

/** Strict decode: throws on any malformed input or trailing bytes. */
export function rlpDecode(data: Uint8Array): RlpDecoded {
  return RLP.decode(data) as RlpDecoded;
}
