// Builds a whole trie from its leaves at once (a genesis, a store from before the trie was kept):
// the leaves are packed into flat buffers, sorted once, and the nodes emitted bottom-up with their
// paths, far faster than inserting the keys one by one (sorted as key-order.ts does).
import { byteKeyOrder, repeatedKey } from "./key-order.js";
import { encodeBranch, encodeExtensionOfKey, encodeLeafOfKey, reference, rootHashOf } from "./node-codec.js";

/**
 * Receives each node built: the key of a leaf below it (the node's path is that key's first `depth`
 * nibbles), `depth`, and the node's RLP.
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

/** Leaves (fixed-width key, value) appended into growing flat buffers; keys are 32 bytes unless said. */
export class LeafBuffer {
  // Small at first: a loader makes one per account (for its storage), most of which stay empty or tiny.
  private keys: Uint8Array;
  private values = new Uint8Array(64 * 4);
  private ends = new Uint32Array(4);
  private valueBytes = 0;
  count = 0;

  constructor(readonly keyWidth = 32) {
    this.keys = new Uint8Array(keyWidth * 4);
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
    this.keys.set(key, this.count * w);
    this.values.set(value, this.valueBytes);
    this.valueBytes += value.length;
    this.ends[this.count++] = this.valueBytes;
  }

  key(i: number): Uint8Array {
    return this.keys.subarray(i * this.keyWidth, (i + 1) * this.keyWidth);
  }

  /** Nibble `depth` of leaf `i`'s key (no view made: the builder asks this for every leaf at every level). */
  nibble(i: number, depth: number): number {
    const b = this.keys[i * this.keyWidth + (depth >> 1)]!;
    return depth & 1 ? b & 15 : b >> 4;
  }

  value(i: number): Uint8Array {
    return this.values.subarray(i === 0 ? 0 : this.ends[i - 1]!, this.ends[i]!);
  }

  /** Leaf indices in key order; a key added twice is a DuplicateLeafError. */
  sortedOrder(): Uint32Array {
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

/** Emits every node of the trie of `leaves` (distinct keys) to `sink` and returns its root hash. */
export function buildTrie(leaves: LeafBuffer, sink: NodeSink): Uint8Array {
  if (leaves.count === 0) return EMPTY_ROOT.slice();
  const order = leaves.sortedOrder();
  const nibble = (i: number, depth: number) => leaves.nibble(order[i]!, depth);
  const encode = (lo: number, hi: number, depth: number): Uint8Array => {
    const first = leaves.key(order[lo]!);
    let rlp: Uint8Array;
    if (hi - lo === 1) rlp = encodeLeafOfKey(first, depth, leaves.value(order[lo]!));
    else {
      let end = depth;
      while (nibble(lo, end) === nibble(hi - 1, end)) end++;
      if (end > depth) rlp = encodeExtensionOfKey(first, depth, end, reference(encode(lo, hi, end)));
      else {
        const refs: (Uint8Array | undefined)[] = new Array(16);
        let i = lo;
        for (let n = 0; n < 16; n++) {
          const start = i;
          while (i < hi && nibble(i, depth) === n) i++;
          refs[n] = i === start ? undefined : reference(encode(start, i, depth + 1));
        }
        rlp = encodeBranch(refs);
      }
    }
    sink(first, depth, rlp);
    return rlp;
  };
  return rootHashOf(encode(0, leaves.count, 0));
}
