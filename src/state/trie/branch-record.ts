// A branch's record in the path tables carries its leaf children: the branch's RLP, then for each
// child that is a leaf, its nibble (one byte) and the leaf's RLP. A leaf under a branch changes only
// with that branch (its hash is in it), so the two are written together anyway, and a trie of n keys
// has about n leaves against n / 2.8 branches: most of its records were leaves. Other nodes (an
// extension, a leaf at the root, a record from before this layout) are stored on their own at their
// path, which is read first.
import { keyNibble, rlpItemEnd } from "./node-codec.js";

/** The length of the node a record starts with (the rest, if any, is its leaf children). */
export function nodeLength(record: Uint8Array): number {
  return rlpItemEnd(record, 0);
}

/** Writes leaf child `nibble` (its RLP) at `at` of `out` (room enough), after its branch or its siblings; returns the end. */
export function appendEmbeddedLeaf(out: Uint8Array, at: number, nibble: number, leaf: Uint8Array): number {
  out[at] = nibble;
  out.set(leaf, at + 1);
  return at + 1 + leaf.length;
}

/** The leaf child `nibble` carried in a branch's record (a view), or undefined where it has none. */
export function embeddedLeaf(record: Uint8Array, nibble: number): Uint8Array | undefined {
  for (let at = nodeLength(record); at < record.length; ) {
    const end = rlpItemEnd(record, at + 1);
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
    if (leaf !== undefined) at = appendEmbeddedLeaf(out, at, n, leaf);
  }
  return out;
}
