// Builds a whole trie from its leaves at once (a genesis, a store from before the trie was kept):
// the leaves are packed into flat buffers, sorted once, and the nodes emitted bottom-up with their
// paths, far faster than inserting the keys one by one (sorted as key-order.ts does).

import { copyInto } from "../../primitives/rlp.js";
import { appendEmbeddedLeaf, branchRecord } from "./branch-record.js";
import { byteKeyOrder, repeatedKey, sortKeys } from "./key-order.js";
import {
  branchSize,
  extensionOfKeySize,
  leafOfKeySize,
  reference,
  rootHashOf,
  writeBranch,
  writeExtensionOfKey,
  writeLeafOfKey,
} from "./node-codec.js";

/**
 * Receives each record built: the key of a leaf below it (the node's path is that key's first `depth`
 * nibbles), `depth`, and the node's RLP, a branch's followed by its leaf children (a view of a
 * scratch buffer that the next node overwrites).
 */
export type NodeSink = (leafKey: Uint8Array, depth: number, rlp: Uint8Array) => void;

const EMPTY_ROOT = rootHashOf(new Uint8Array([0x80]));

/** Two leaves share a key; `index` is the later one's (in the order they were added). */
export class DuplicateLeafError extends Error {
  constructor(readonly index: number) {
    super(`trie leaf ${index} repeats an earlier leaf's key`);
    this.name = "DuplicateLeafError";
  }
}

/** A LeafBuffer's contents as buffers, to hand to another thread (LeafBuffer.of makes it again there). */
export interface LeafBufferParts {
  keyWidth: number;
  count: number;
  keys: Uint8Array<ArrayBuffer>;
  values: Uint8Array<ArrayBuffer>;
  /** Per leaf, where its value ends in `values`. */
  ends: Uint32Array<ArrayBuffer>;
}

/** Leaves (fixed-width key, value) appended into growing flat buffers; keys are 32 bytes unless said. */
export class LeafBuffer {
  private keys: Uint8Array<ArrayBuffer>;
  private values: Uint8Array<ArrayBuffer>;
  private ends: Uint32Array<ArrayBuffer>;
  private valueBytes = 0;
  count = 0;

  /**
   * Room for `capacity` leaves of values up to `valueWidth` bytes at first (then grown by doubling):
   * small by default, a loader makes one per account (for its storage), most of which stay tiny.
   */
  constructor(
    readonly keyWidth = 32,
    capacity = 4,
    valueWidth = 64,
  ) {
    this.keys = new Uint8Array(keyWidth * capacity);
    this.values = new Uint8Array(valueWidth * capacity);
    this.ends = new Uint32Array(capacity);
  }

  static of(parts: LeafBufferParts): LeafBuffer {
    const leaves = new LeafBuffer(parts.keyWidth);
    leaves.keys = parts.keys;
    leaves.values = parts.values;
    leaves.ends = parts.ends;
    leaves.count = parts.count;
    leaves.valueBytes = parts.count === 0 ? 0 : parts.ends[parts.count - 1]!;
    return leaves;
  }

  /** The buffers (the caller may transfer them, after which this buffer is not used again). */
  parts(): LeafBufferParts {
    const { keyWidth, count, keys, values, ends } = this;
    return { keyWidth, count, keys, values, ends };
  }

  add(key: Uint8Array, value: Uint8Array): void {
    const w = this.keyWidth;
    if ((this.count + 1) * w > this.keys.length) this.keys = grow(this.keys, (this.count + 1) * w);
    if (this.valueBytes + value.length > this.values.length) {
      this.values = grow(this.values, this.valueBytes + value.length);
    }
    if (this.count + 1 > this.ends.length) {
      const ends = new Uint32Array(Math.max(4, this.ends.length * 2));
      ends.set(this.ends);
      this.ends = ends;
    }
    copyInto(this.keys, this.count * w, key);
    this.valueBytes = copyInto(this.values, this.valueBytes, value);
    this.ends[this.count++] = this.valueBytes;
  }

  key(i: number): Uint8Array {
    return this.keys.subarray(i * this.keyWidth, (i + 1) * this.keyWidth);
  }

  /** The keys' bytes, `keyWidth` per leaf in the order added (a view: valid until the next `add`). */
  keyBytes(): Uint8Array {
    return this.keys.subarray(0, this.count * this.keyWidth);
  }

  value(i: number): Uint8Array {
    return this.values.subarray(i === 0 ? 0 : this.ends[i - 1]!, this.ends[i]!);
  }

  /** Leaf indices in key order; a key added twice is a DuplicateLeafError. */
  sortedOrder(): Uint32Array<ArrayBuffer> {
    const order = byteKeyOrder(this.keys, this.keyWidth, this.count);
    const repeated = repeatedKey(this.keys, this.keyWidth, order);
    if (repeated >= 0) throw new DuplicateLeafError(repeated);
    return order;
  }
}

function grow(a: Uint8Array, atLeast: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(Math.max(atLeast, a.length * 2));
  out.set(a);
  return out;
}

/**
 * Emits every node of the trie of `leaves` (distinct keys) to `sink` and returns its root hash. A
 * branch is emitted as its record: its leaf children go inside it (branch-record.ts), not on their own.
 */
export function buildTrie(leaves: LeafBuffer, sink: NodeSink): Uint8Array {
  return buildTrieLater(leaves, sink, [])();
}

/**
 * A node above a leaf whose value is not known yet (an account's, while its storage trie is built
 * elsewhere), kept with what encoding it will take: a leaf (neither `child` nor `refs`), an
 * extension (`end`, `child`) or a branch (`refs`: each child's reference or late node, and
 * `leafRlps`: its leaf children's RLP, copied).
 */
interface LateNode {
  lo: number;
  depth: number;
  underBranch: boolean;
  end: number;
  child: LateNode | undefined;
  refs: (Uint8Array | LateNode | undefined)[] | undefined;
  leafRlps: (Uint8Array | undefined)[] | undefined;
}

/**
 * buildTrie where the leaves added at the indices `late` get their values later: every node not
 * above one of them is emitted now; the function returned, called once those values are in place
 * (the same length: only bytes change), emits the rest and returns the root hash.
 */
export function buildTrieLater(leaves: LeafBuffer, sink: NodeSink, late: readonly number[]): () => Uint8Array {
  if (leaves.keyWidth !== 32) throw new Error("a trie's leaves have 32-byte keys");
  if (leaves.count === 0) return () => EMPTY_ROOT.slice();
  // The keys copied into key order: the builder reads them level by level, in order.
  const { sorted: keys, order, repeated } = sortKeys(leaves.keyBytes(), 32, leaves.count);
  if (repeated >= 0) throw new DuplicateLeafError(repeated);
  // The late leaves' positions in key order.
  const latePositions: number[] = [];
  if (late.length > 0) {
    const wanted = new Set(late);
    for (let i = 0; i < order.length; i++) if (wanted.has(order[i]!)) latePositions.push(i);
  }
  const nibble = (i: number, depth: number) => {
    const b = keys[(i << 5) + (depth >> 1)]!;
    return depth & 1 ? b & 15 : b >> 4;
  };
  // Every node is encoded into this one buffer (its parent keeps only its reference, copied).
  let scratch = new Uint8Array(1024);
  const room = (size: number) => {
    if (size > scratch.length) scratch = new Uint8Array(size * 2);
    return scratch;
  };
  const keyOf = (lo: number) => keys.subarray(lo << 5, (lo + 1) << 5);
  /** Encodes the leaf at `lo` at the start of scratch; returns its length. */
  const leafAt = (lo: number, depth: number) => {
    const value = leaves.value(order[lo]!);
    return writeLeafOfKey(room(leafOfKeySize(depth, value)), keyOf(lo), depth, value);
  };
  const extensionAt = (lo: number, depth: number, end: number, child: Uint8Array) =>
    writeExtensionOfKey(room(extensionOfKeySize(depth, end, child)), keyOf(lo), depth, end, child);
  // Per depth, the leaf children of the branch being built there (nibble ++ RLP each).
  const held: Uint8Array[] = [];
  const encode = (lo: number, hi: number, depth: number, underBranch: boolean): Uint8Array | LateNode => {
    if (latePositions.length > 0 && latePositions.some((p) => p >= lo && p < hi)) {
      return encodeLate(lo, hi, depth, underBranch);
    }
    let length: number;
    let record = 0;
    if (hi - lo === 1) {
      length = leafAt(lo, depth);
      if (underBranch) return scratch.subarray(0, length);
    } else {
      let end = depth;
      while (nibble(lo, end) === nibble(hi - 1, end)) end++;
      if (end > depth) length = extensionAt(lo, depth, end, referenceOf(encode(lo, hi, end, false) as Uint8Array));
      else {
        const refs: (Uint8Array | undefined)[] = new Array(16);
        let i = lo;
        for (let n = 0; n < 16; n++) {
          const start = i;
          while (i < hi && nibble(i, depth) === n) i++;
          if (i === start) continue;
          const child = encode(start, i, depth + 1, true) as Uint8Array;
          if (i - start === 1) {
            let into = held[depth] ?? (held[depth] = new Uint8Array(1024));
            if (record + 1 + child.length > into.length) into = held[depth] = grow(into, record + 1 + child.length);
            record = appendEmbeddedLeaf(into, record, n, child);
          }
          refs[n] = referenceOf(child);
        }
        length = writeBranch(room(branchSize(refs) + record), refs);
        if (record > 0) scratch.set(held[depth]!.subarray(0, record), length);
      }
    }
    sink(keyOf(lo), depth, scratch.subarray(0, length + record));
    return scratch.subarray(0, length);
  };
  // A subtree holding a late leaf: its other subtrees are emitted now, its own nodes kept.
  const encodeLate = (lo: number, hi: number, depth: number, underBranch: boolean): LateNode => {
    const node: LateNode = { lo, depth, underBranch, end: 0, child: undefined, refs: undefined, leafRlps: undefined };
    if (hi - lo === 1) return node;
    let end = depth;
    while (nibble(lo, end) === nibble(hi - 1, end)) end++;
    if (end > depth) {
      node.end = end;
      node.child = encode(lo, hi, end, false) as LateNode;
      return node;
    }
    node.refs = new Array(16);
    node.leafRlps = new Array(16);
    let i = lo;
    for (let n = 0; n < 16; n++) {
      const start = i;
      while (i < hi && nibble(i, depth) === n) i++;
      if (i === start) continue;
      const child = encode(start, i, depth + 1, true);
      if (child instanceof Uint8Array) {
        if (i - start === 1) node.leafRlps[n] = child.slice();
        node.refs[n] = referenceOf(child);
      } else node.refs[n] = child;
    }
    return node;
  };
  // Emits a late node and those under it, the late values now in place; returns its RLP (a copy).
  const finish = (node: LateNode): Uint8Array => {
    const { lo, depth } = node;
    if (node.refs !== undefined) {
      const refs: (Uint8Array | undefined)[] = new Array(16);
      const leafRlps = node.leafRlps!;
      for (let n = 0; n < 16; n++) {
        const child = node.refs[n];
        if (child === undefined || child instanceof Uint8Array) refs[n] = child;
        else {
          const rlp = finish(child);
          if (child.refs === undefined && child.child === undefined) leafRlps[n] = rlp;
          refs[n] = referenceOf(rlp);
        }
      }
      const rlp = scratch.slice(0, writeBranch(room(branchSize(refs)), refs));
      sink(keyOf(lo), depth, branchRecord(rlp, leafRlps));
      return rlp;
    }
    const extension = node.child !== undefined;
    const length = extension ? extensionAt(lo, depth, node.end, referenceOf(finish(node.child!))) : leafAt(lo, depth);
    const rlp = scratch.slice(0, length);
    if (extension || !node.underBranch) sink(keyOf(lo), depth, rlp);
    return rlp;
  };
  const top = encode(0, leaves.count, 0, false);
  return () => rootHashOf(top instanceof Uint8Array ? top : finish(top));
}

/** A node's reference in its parent, in an array of its own (the node is a view of the scratch buffer). */
function referenceOf(rlp: Uint8Array): Uint8Array {
  return rlp.length < 32 ? rlp.slice() : reference(rlp);
}
