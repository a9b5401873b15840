// Builds a whole trie from its leaves at once (a genesis, a store from before the trie was kept):
// the leaves are packed into flat buffers, sorted once, and the nodes emitted bottom-up with their
// paths, far faster than inserting the keys one by one (sorted as key-order.ts does).

import { copyInto } from "../../primitives/rlp.js";
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
  // Small at first: a loader makes one per account (for its storage), most of which stay empty or tiny.
  private keys: Uint8Array<ArrayBuffer>;
  private values = new Uint8Array(64 * 4);
  private ends = new Uint32Array(4);
  private valueBytes = 0;
  count = 0;

  constructor(readonly keyWidth = 32) {
    this.keys = new Uint8Array(keyWidth * 4);
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
      const ends = new Uint32Array(this.ends.length * 2);
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
  if (leaves.keyWidth !== 32) throw new Error("a trie's leaves have 32-byte keys");
  if (leaves.count === 0) return EMPTY_ROOT.slice();
  // The keys copied into key order: the builder reads them level by level, in order.
  const { sorted: keys, order, repeated } = sortKeys(leaves.keyBytes(), 32, leaves.count);
  if (repeated >= 0) throw new DuplicateLeafError(repeated);
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
  // Per depth, the leaf children of the branch being built there (nibble ++ RLP each).
  const held: Uint8Array[] = [];
  const encode = (lo: number, hi: number, depth: number, underBranch: boolean): Uint8Array => {
    const first = keys.subarray(lo << 5, (lo + 1) << 5);
    let length: number;
    let record = 0;
    if (hi - lo === 1) {
      const value = leaves.value(order[lo]!);
      length = writeLeafOfKey(room(leafOfKeySize(depth, value)), first, depth, value);
      if (underBranch) return scratch.subarray(0, length);
    } else {
      let end = depth;
      while (nibble(lo, end) === nibble(hi - 1, end)) end++;
      if (end > depth) {
        const child = referenceOf(encode(lo, hi, end, false));
        length = writeExtensionOfKey(room(extensionOfKeySize(depth, end, child)), first, depth, end, child);
      } else {
        const refs: (Uint8Array | undefined)[] = new Array(16);
        let i = lo;
        for (let n = 0; n < 16; n++) {
          const start = i;
          while (i < hi && nibble(i, depth) === n) i++;
          if (i === start) continue;
          const child = encode(start, i, depth + 1, true);
          if (i - start === 1) {
            let into = held[depth] ?? (held[depth] = new Uint8Array(1024));
            if (record + 1 + child.length > into.length) into = held[depth] = grow(into, record + 1 + child.length);
            into[record++] = n;
            record = copyInto(into, record, child);
          }
          refs[n] = referenceOf(child);
        }
        length = writeBranch(room(branchSize(refs) + record), refs);
        if (record > 0) scratch.set(held[depth]!.subarray(0, record), length);
      }
    }
    sink(first, depth, scratch.subarray(0, length + record));
    return scratch.subarray(0, length);
  };
  return rootHashOf(encode(0, leaves.count, 0, false));
}

/** A node's reference in its parent, in an array of its own (the node is a view of the scratch buffer). */
function referenceOf(rlp: Uint8Array): Uint8Array {
  return rlp.length < 32 ? rlp.slice() : reference(rlp);
}
