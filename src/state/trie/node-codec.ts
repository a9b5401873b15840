// Trie nodes as stored: each node's own RLP (Yellow Paper appendix D), keyed by the nibble path from
// its trie's root to where it starts. Encoding writes straight into one slab view of the exact size
// (byte-slab.ts: a node lives until it is written to the path tables, some commits later:
// trie-store.ts); decoding splits the RLP list without copying the children's references.

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
    // Whole bytes of the key, copied as they are (byte by byte: a subarray to copy from costs more).
    for (let i = start >> 1, end = to >> 1; i < end; i++) out[at++] = key[i]!;
    return at;
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

/** A branch's child as the trie holds it: its reference, set once it is encoded. */
export interface BranchChild {
  readonly ref: Uint8Array | undefined;
}

/**
 * encodeBranch of children whose references are all set (none is a reference array of its own:
 * a branch re-encoded every block reads its children's references in place).
 */
export function encodeBranchOf(children: readonly (BranchChild | undefined)[]): Uint8Array {
  let payload = 1;
  for (let i = 0; i < 16; i++) {
    const child = children[i];
    payload += child === undefined ? 1 : child.ref!.length;
  }
  // A branch's payload is 17 to 529 bytes: its list header is one to three bytes, written here directly.
  const header = payload < 56 ? 1 : payload < 256 ? 2 : 3;
  const out = slabBytes(header + payload);
  if (header === 1) out[0] = 0xc0 + payload;
  else if (header === 2) {
    out[0] = 0xf8;
    out[1] = payload;
  } else {
    out[0] = 0xf9;
    out[1] = payload >> 8;
    out[2] = payload & 0xff;
  }
  let at = header;
  for (let i = 0; i < 16; i++) {
    const child = children[i];
    if (child === undefined) out[at++] = 0x80;
    else at = copyRef(out, at, child.ref!);
  }
  out[at] = 0x80;
  return out;
}

/** Copies a child reference: a hash reference (33 bytes) by TypedArray#set, measured twice as fast as a loop for a whole array. */
function copyRef(out: Uint8Array, at: number, ref: Uint8Array): number {
  if (ref.length < 32) return copyInto(out, at, ref);
  out.set(ref, at);
  return at + ref.length;
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
    else at = copyRef(out, at, ref);
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

// Positions of the item last read by `readItem` (decoding is synchronous: no tuple per item).
let payloadStart = 0;
let itemEnd = 0;

/** Reads the RLP item at `at`: sets payloadStart and itemEnd. */
function readItem(rlp: Uint8Array, at: number): void {
  const b = rlp[at]!;
  if (b < 0x80) {
    payloadStart = at;
    itemEnd = at + 1;
  } else if (b <= 0xb7) {
    payloadStart = at + 1;
    itemEnd = at + 1 + b - 0x80;
  } else if (b < 0xc0) readLong(rlp, at, b - 0xb7);
  else if (b <= 0xf7) {
    payloadStart = at + 1;
    itemEnd = at + 1 + b - 0xc0;
  } else readLong(rlp, at, b - 0xf7);
}

function readLong(rlp: Uint8Array, at: number, k: number): void {
  let n = 0;
  for (let i = 1; i <= k; i++) n = n * 256 + rlp[at + i]!;
  payloadStart = at + 1 + k;
  itemEnd = at + 1 + k + n;
}

/** Where the RLP item at `at` ends (its header and payload). */
export function rlpItemEnd(rlp: Uint8Array, at: number): number {
  readItem(rlp, at);
  return itemEnd;
}

/** A stored node's kind, read from its RLP without decoding it: two items (leaf or extension, by the hex-prefix flag) or seventeen. */
export function nodeKind(rlp: Uint8Array): DecodedNode["kind"] {
  readItem(rlp, 0);
  const first = payloadStart;
  readItem(rlp, first);
  const firstPayload = payloadStart;
  readItem(rlp, itemEnd);
  if (itemEnd !== rlp.length) return "branch";
  return rlp[firstPayload]! & 0x20 ? "leaf" : "extension";
}

/** Which of a branch's 16 children are present, as bits (bit n: child n). */
export function branchChildren(rlp: Uint8Array): number {
  readItem(rlp, 0);
  let at = payloadStart;
  let bits = 0;
  for (let n = 0; n < 16; n++) {
    if (rlp[at] !== 0x80) bits |= 1 << n;
    readItem(rlp, at);
    at = itemEnd;
  }
  return bits;
}

function damaged(what: string): Error {
  return new Error(`a stored trie node does not decode (${what})`);
}

/** Decodes a node's RLP; children's references are views into `rlp`. */
export function decodeNode(rlp: Uint8Array): DecodedNode {
  if (rlp.length === 0 || rlp[0]! < 0xc0) throw damaged("not a list");
  readItem(rlp, 0);
  const end = itemEnd;
  if (end !== rlp.length) throw damaged("trailing bytes");
  // The first two items, then (a branch) the rest.
  const first = payloadStart;
  if (first >= end) throw damaged("a list of 0 items");
  readItem(rlp, first);
  const firstPayload = payloadStart;
  const second = itemEnd;
  if (second >= end) throw damaged("a list of 1 items");
  readItem(rlp, second);
  if (itemEnd === end) {
    const hp = rlp[first]! < 0x80 ? rlp.subarray(first, second) : rlp.subarray(firstPayload, second);
    if (hp[0]! & 0x20) {
      const value = rlp[second]! < 0x80 ? rlp.subarray(second, itemEnd) : rlp.subarray(payloadStart, itemEnd);
      return { kind: "leaf", hp, value };
    }
    return { kind: "extension", hp, childRef: rlp.subarray(second, itemEnd) };
  }
  const refs: (Uint8Array | undefined)[] = new Array(16);
  let count = 0;
  for (let at = first; at < end; count++) {
    readItem(rlp, at);
    if (count < 16) refs[count] = itemEnd - at === 1 && rlp[at] === 0x80 ? undefined : rlp.subarray(at, itemEnd);
    at = itemEnd;
  }
  if (count !== 17) throw damaged(`a list of ${count} items`);
  return { kind: "branch", refs };
}

/** The nibbles a hex-prefix encoding holds: its flag nibble says whether an odd one shares the first byte. */
export function hexPrefixLength(hp: Uint8Array): number {
  return hp.length * 2 - (hp[0]! & 0x10 ? 1 : 2);
}

/** Nibble `i` of a hex-prefix encoding's path (after its flag nibble, and the pad nibble where even). */
export function hexPrefixNibble(hp: Uint8Array, i: number): number {
  return keyNibble(hp, i + (hp[0]! & 0x10 ? 1 : 2));
}
