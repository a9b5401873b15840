// A branch's record in the path tables carries its leaf children: the branch's RLP, then for each
// child that is a leaf, its nibble (one byte) and the leaf's RLP. A leaf under a branch changes only
// with that branch (its hash is in it), so the two are written together anyway, and a trie of n keys
// has about n leaves against n / 2.8 branches: most of its records were leaves. Other nodes (an
// extension, a leaf at the root, a record from before this layout) are stored on their own at their
// path, which is read first.
import { keyNibble } from "./node-codec.js";

/** Where the RLP item at `at` ends (its header and payload). */
function itemEnd(rlp: Uint8Array, at: number): number {
  const b = rlp[at]!;
  if (b < 0x80) return at + 1;
  if (b <= 0xb7) return at + 1 + b - 0x80;
  if (b < 0xc0) return longEnd(rlp, at, b - 0xb7);
  if (b <= 0xf7) return at + 1 + b - 0xc0;
  return longEnd(rlp, at, b - 0xf7);
}

function longEnd(rlp: Uint8Array, at: number, k: number): number {
  let n = 0;
  for (let i = 1; i <= k; i++) n = n * 256 + rlp[at + i]!;
  return at + 1 + k + n;
}

/** The first item's payload start: after a list's header. */
function payloadStart(rlp: Uint8Array): number {
  const b = rlp[0]!;
  return b <= 0xf7 ? 1 : 1 + b - 0xf7;
}

/** The length of the node a record starts with (the rest, if any, is its leaf children). */
export function nodeLength(record: Uint8Array): number {
  return itemEnd(record, 0);
}

/** Whether a node's RLP is a leaf: a list of two items whose hex-prefix flag says leaf. */
export function isLeafNode(rlp: Uint8Array): boolean {
  const first = payloadStart(rlp);
  const second = itemEnd(rlp, first);
  if (itemEnd(rlp, second) !== rlp.length) return false;
  const hp = rlp[first]! < 0x80 ? rlp[first]! : rlp[first + 1]!;
  return (hp & 0x20) !== 0;
}

/** Whether a node's RLP is a branch (a list of 17 items, not 2). */
export function isBranchNode(rlp: Uint8Array): boolean {
  const first = payloadStart(rlp);
  return itemEnd(rlp, itemEnd(rlp, first)) !== rlp.length;
}

/** Which of a branch's 16 children are present, as bits (bit n: child n). */
export function branchChildren(rlp: Uint8Array): number {
  let bits = 0;
  let at = payloadStart(rlp);
  for (let n = 0; n < 16; n++) {
    if (rlp[at] !== 0x80) bits |= 1 << n;
    at = itemEnd(rlp, at);
  }
  return bits;
}

/** The leaf child `nibble` carried in a branch's record (a view), or undefined where it has none. */
export function embeddedLeaf(record: Uint8Array, nibble: number): Uint8Array | undefined {
  for (let at = nodeLength(record); at < record.length; ) {
    const end = itemEnd(record, at + 1);
    if (record[at] === nibble) return record.subarray(at + 1, end);
    at = end;
  }
  return undefined;
}

/** The nibble under which a leaf at the first `depth` nibbles of `key` sits in its parent's record. */
export function nibbleInParent(key: Uint8Array, depth: number): number {
  return keyNibble(key, depth - 1);
}

/** A branch's record: its RLP, then each present leaf child's nibble and RLP, in nibble order. */
export function branchRecord(branch: Uint8Array, leaves: readonly (Uint8Array | undefined)[]): Uint8Array {
  let size = branch.length;
  for (const leaf of leaves) if (leaf !== undefined) size += 1 + leaf.length;
  if (size === branch.length) return branch;
  const out = new Uint8Array(size);
  out.set(branch, 0);
  let at = branch.length;
  for (let n = 0; n < 16; n++) {
    const leaf = leaves[n];
    if (leaf === undefined) continue;
    out[at++] = n;
    out.set(leaf, at);
    at += leaf.length;
  }
  return out;
}
