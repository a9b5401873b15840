// Trie nodes as stored: each node's own RLP (Yellow Paper appendix D), keyed by the nibble path from
// its trie's root to where it starts. Encoding writes straight into one slab view of the exact size
// (byte-slab.ts: a node lives until its commit is written); decoding splits the RLP list without
// copying the children's references.

import { slabBytes } from "../../primitives/byte-slab.js";
import { keccak256, keccak256Into } from "../../primitives/keccak.js";
import { copyInto, rlpHeaderLength, rlpStringSize, writeRlpHeader, writeRlpString } from "../../primitives/rlp.js";

export const EMPTY_RLP = new Uint8Array([0x80]);

/** Nibble `i` of `key` (0: the high half of its first byte). */
export function keyNibble(key: Uint8Array, i: number): number {
  const b = key[i >> 1]!;
  return i & 1 ? b & 15 : b >> 4;
}

/** How a node appears inside its parent: its RLP when shorter than 32 bytes, else 0xa0 ++ keccak256(RLP). */
export function reference(encoded: Uint8Array): Uint8Array {
  if (encoded.length < 32) return encoded;
  const out = new Uint8Array(33);
  out[0] = 0xa0;
  keccak256Into(encoded, out, 1);
  return out;
}

/** The root hash of a trie whose root node is `encoded` (always hashed, even when short). */
export function rootHashOf(encoded: Uint8Array): Uint8Array {
  return keccak256(encoded);
}

// ---- encoding ----

// Leaves and extensions are encoded from a 32-byte key's nibbles [from, to): no path strings.

function keyHexPrefixSize(from: number, to: number): number {
  // One byte when at most one nibble (its flag byte is below 0x80), else an RLP string of (n >> 1) + 1 bytes.
  return to - from <= 1 ? 1 : ((to - from) >> 1) + 2;
}

function writeKeyHexPrefix(out: Uint8Array, at: number, key: Uint8Array, from: number, to: number, leaf: boolean) {
  const flag = leaf ? 2 : 0;
  const odd = (to - from) & 1;
  const first = odd ? ((flag | 1) << 4) | keyNibble(key, from) : flag << 4;
  if (to - from <= 1) {
    out[at] = first;
    return at + 1;
  }
  out[at++] = 0x80 + ((to - from) >> 1) + 1;
  out[at++] = first;
  const start = from + odd;
  if ((start & 1) === 0) {
    // Whole bytes of the key: copied as they are.
    out.set(key.subarray(start >> 1, to >> 1), at);
    return at + ((to - start) >> 1);
  }
  for (let i = start; i < to; i += 2) out[at++] = (keyNibble(key, i) << 4) | keyNibble(key, i + 1);
  return at;
}

// Each node has an encode (a slab view of the exact size: byte-slab.ts) and, for a caller that
// encodes many nodes into one scratch buffer (a bulk build), a size and a write at the start of a
// buffer with room, returning the length.

/** encodeLeaf of the nibbles of `key` (32 bytes in the state's tries) from `from` to its end. */
export function encodeLeafOfKey(key: Uint8Array, from: number, value: Uint8Array): Uint8Array {
  const out = slabBytes(leafOfKeySize(from, value, key.length * 2));
  writeLeafOfKey(out, key, from, value);
  return out;
}

/** `to`: the key's length in nibbles. */
export function leafOfKeySize(from: number, value: Uint8Array, to = 64): number {
  const payload = keyHexPrefixSize(from, to) + rlpStringSize(value);
  return rlpHeaderLength(payload) + payload;
}

export function writeLeafOfKey(out: Uint8Array, key: Uint8Array, from: number, value: Uint8Array): number {
  const to = key.length * 2;
  const payload = keyHexPrefixSize(from, to) + rlpStringSize(value);
  const at = writeKeyHexPrefix(out, writeRlpHeader(out, 0, payload, 0xc0), key, from, to, true);
  return writeRlpString(out, at, value);
}

/** encodeExtension of the nibbles [from, to) of `key`. */
export function encodeExtensionOfKey(key: Uint8Array, from: number, to: number, childRef: Uint8Array): Uint8Array {
  const out = slabBytes(extensionOfKeySize(from, to, childRef));
  writeExtensionOfKey(out, key, from, to, childRef);
  return out;
}

export function extensionOfKeySize(from: number, to: number, childRef: Uint8Array): number {
  const payload = keyHexPrefixSize(from, to) + childRef.length;
  return rlpHeaderLength(payload) + payload;
}

export function writeExtensionOfKey(
  out: Uint8Array,
  key: Uint8Array,
  from: number,
  to: number,
  childRef: Uint8Array,
): number {
  const payload = keyHexPrefixSize(from, to) + childRef.length;
  const at = writeKeyHexPrefix(out, writeRlpHeader(out, 0, payload, 0xc0), key, from, to, false);
  return copyInto(out, at, childRef);
}

/** RLP of a branch without a value (all keys have one length): 16 child references, then "". */
export function encodeBranch(refs: readonly (Uint8Array | undefined)[]): Uint8Array {
  const out = slabBytes(branchSize(refs));
  writeBranch(out, refs);
  return out;
}

export function branchSize(refs: readonly (Uint8Array | undefined)[]): number {
  let payload = 1;
  for (let i = 0; i < 16; i++) payload += refs[i]?.length ?? 1;
  return rlpHeaderLength(payload) + payload;
}

export function writeBranch(out: Uint8Array, refs: readonly (Uint8Array | undefined)[]): number {
  let payload = 1;
  for (let i = 0; i < 16; i++) payload += refs[i]?.length ?? 1;
  let at = writeRlpHeader(out, 0, payload, 0xc0);
  for (let i = 0; i < 16; i++) {
    const ref = refs[i];
    if (ref === undefined) out[at++] = 0x80;
    else at = copyInto(out, at, ref);
  }
  out[at] = 0x80;
  return at + 1;
}

// ---- decoding ----

/** A leaf's or extension's nibbles are `hp`, their hex-prefix encoding (hexPrefixLength, hexPrefixNibble). */
export type DecodedNode =
  | { kind: "leaf"; hp: Uint8Array; value: Uint8Array }
  | { kind: "extension"; hp: Uint8Array; childRef: Uint8Array }
  | { kind: "branch"; refs: (Uint8Array | undefined)[] };

/** [start of payload, end of item] of the RLP item at `at`. */
function item(rlp: Uint8Array, at: number): [number, number] {
  const b = rlp[at]!;
  if (b < 0x80) return [at, at + 1];
  if (b <= 0xb7) return [at + 1, at + 1 + b - 0x80];
  if (b < 0xc0) return long(rlp, at, b - 0xb7);
  if (b <= 0xf7) return [at + 1, at + 1 + b - 0xc0];
  return long(rlp, at, b - 0xf7);
}

function long(rlp: Uint8Array, at: number, k: number): [number, number] {
  let n = 0;
  for (let i = 1; i <= k; i++) n = n * 256 + rlp[at + i]!;
  return [at + 1 + k, at + 1 + k + n];
}

function damaged(what: string): Error {
  return new Error(`a stored trie node does not decode (${what})`);
}

/** Decodes a node's RLP; children's references are views into `rlp`. */
export function decodeNode(rlp: Uint8Array): DecodedNode {
  if (rlp.length === 0 || rlp[0]! < 0xc0) throw damaged("not a list");
  const [start, end] = item(rlp, 0);
  if (end !== rlp.length) throw damaged("trailing bytes");
  const items: [number, number, number][] = []; // [item start, payload start, item end]
  for (let at = start; at < end; ) {
    const [p, e] = item(rlp, at);
    items.push([at, p, e]);
    at = e;
  }
  if (items.length === 17) {
    const refs: (Uint8Array | undefined)[] = new Array(16);
    for (let i = 0; i < 16; i++) {
      const [s, , e] = items[i]!;
      refs[i] = e - s === 1 && rlp[s] === 0x80 ? undefined : rlp.subarray(s, e);
    }
    return { kind: "branch", refs };
  }
  if (items.length !== 2) throw damaged(`a list of ${items.length} items`);
  const [ks, kp, ke] = items[0]!;
  const hp = rlp[ks]! < 0x80 ? rlp.subarray(ks, ke) : rlp.subarray(kp, ke);
  const [vs, vp, ve] = items[1]!;
  if (hp[0]! & 0x20) return { kind: "leaf", hp, value: rlp[vs]! < 0x80 ? rlp.subarray(vs, ve) : rlp.subarray(vp, ve) };
  return { kind: "extension", hp, childRef: rlp.subarray(vs, ve) };
}

/** The nibbles a hex-prefix encoding holds: its flag nibble says whether an odd one shares the first byte. */
export function hexPrefixLength(hp: Uint8Array): number {
  return hp.length * 2 - (hp[0]! & 0x10 ? 1 : 2);
}

/** Nibble `i` of a hex-prefix encoding's path (after its flag nibble, and the pad nibble where even). */
export function hexPrefixNibble(hp: Uint8Array, i: number): number {
  return keyNibble(hp, i + (hp[0]! & 0x10 ? 1 : 2));
}
