// Sorts fixed-width byte keys held in one flat buffer without a comparator call per pair: each key's
// leading bits are packed with its index into one float64 and sorted natively; only runs that tie
// on those bits (rare for hashes and random addresses; small sequential keys such as slots 0, 1, 2
// all tie) are then sorted by the whole key. A comparator sort of 1M bigints took 3 s.

/** Indices of the `count` keys of `width` bytes (at least 7) in `keys`, in ascending key order. */
export function byteKeyOrder(keys: Uint8Array, width: number, count: number): Uint32Array<ArrayBuffer> {
  return orderByLeadingBits(
    count,
    (i) => leading53(keys, i * width),
    (a, b) => compareKeys(keys, a * width, b * width, width),
  );
}

/**
 * Indices of `keys` (each of at least 7 bytes) in ascending key order: byteKeyOrder for keys held
 * apart (a block's changed trie keys, each kept by the leaf it becomes).
 */
export function keyOrder(keys: readonly Uint8Array[]): Uint32Array<ArrayBuffer> {
  return orderByLeadingBits(
    keys.length,
    (i) => leading53(keys[i]!, 0),
    (a, b) => compareArrays(keys[a]!, keys[b]!),
  );
}

/**
 * The order of `count` keys: each key's first 53 bits (`leading`), cut to leave room for its index,
 * packed with the index into a float64 and sorted natively; runs that tie on those bits are then
 * sorted by `compare` of the whole keys.
 */
function orderByLeadingBits(
  count: number,
  leading: (i: number) => number,
  compare: (a: number, b: number) => number,
): Uint32Array<ArrayBuffer> {
  const indexBits = Math.max(1, Math.ceil(Math.log2(count + 1)));
  const prefixBits = 53 - indexBits;
  const scale = 2 ** indexBits;
  const packed = new Float64Array(count);
  for (let i = 0; i < count; i++) packed[i] = Math.floor(leading(i) / 2 ** (53 - prefixBits)) * scale + i;
  packed.sort();
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = packed[i]! % scale;
  for (let start = 0; start < count; ) {
    const prefix = Math.floor(packed[start]! / scale);
    let end = start + 1;
    while (end < count && Math.floor(packed[end]! / scale) === prefix) end++;
    if (end - start > 1) order.subarray(start, end).sort(compare);
    start = end;
  }
  return order;
}

/** The first 53 bits of the key at `o` in `keys` (7 bytes less 3 bits), as an integer. */
function leading53(keys: Uint8Array, o: number): number {
  const hi = (keys[o]! * 2 ** 24 + keys[o + 1]! * 2 ** 16 + keys[o + 2]! * 2 ** 8 + keys[o + 3]!) * 2 ** 21;
  return hi + keys[o + 4]! * 2 ** 13 + keys[o + 5]! * 2 ** 5 + (keys[o + 6]! >> 3);
}

function compareArrays(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * Where `order` (ascending) has a key twice: the larger index of the first such pair (the one added
 * later), or -1 where every key is distinct.
 */
export function repeatedKey(keys: Uint8Array, width: number, order: Uint32Array): number {
  for (let i = 1; i < order.length; i++) {
    if (compareKeys(keys, order[i - 1]! * width, order[i]! * width, width) === 0) {
      return Math.max(order[i - 1]!, order[i]!);
    }
  }
  return -1;
}

/**
 * The keys of `width` bytes (a multiple of 4; `keys` 4-byte aligned) at indices `order`, in that
 * order, in a new buffer (copied as 32-bit integers: a view per key costs more).
 */
export function inOrder(keys: Uint8Array, width: number, order: Uint32Array): Uint8Array {
  const words = width >> 2;
  const from = new Int32Array(keys.buffer, keys.byteOffset, order.length * words);
  const to = new Int32Array(from.length);
  for (let i = 0; i < order.length; i++) {
    const src = order[i]! * words;
    const dst = i * words;
    for (let j = 0; j < words; j++) to[dst + j] = from[src + j]!;
  }
  return new Uint8Array(to.buffer);
}

function compareKeys(keys: Uint8Array, a: number, b: number, width: number): number {
  for (let i = 0; i < width; i++) if (keys[a + i] !== keys[b + i]) return keys[a + i]! - keys[b + i]!;
  return 0;
}

/** Keys copied into ascending order (`sorted`), the index each came from (`order`), and a repeat. */
export interface SortedKeys {
  sorted: Uint8Array<ArrayBuffer>;
  order: Uint32Array<ArrayBuffer>;
  /** As repeatedKey: the later index of the first pair sharing a key, in key order; -1 where none. */
  repeated: number;
}

/** Below this many keys, sortKeys sorts as byteKeyOrder does (the buckets' counts would cost more). */
const BUCKETED_FROM = 4096;
/** A bucket up to this size is sorted in place by insertion; a larger one (keys made to tie) by comparator. */
const INSERTION_MAX = 32;

/**
 * The `count` keys of `width` bytes (a multiple of 4, at least 7; `keys` 4-byte aligned) sorted:
 * byteKeyOrder, repeatedKey and inOrder at once. Keys spread like hashes go into 65,536 buckets by
 * their first two bytes, each bucket then a few keys sorted where they lie: about a fifth of the
 * time of a float64 sort followed by a gather (1M hashed keys, each read at random twice).
 */
export function sortKeys(keys: Uint8Array, width: number, count: number): SortedKeys {
  if (count < BUCKETED_FROM) {
    const order = byteKeyOrder(keys, width, count);
    return {
      sorted: inOrder(keys, width, order) as Uint8Array<ArrayBuffer>,
      order,
      repeated: repeatedKey(keys, width, order),
    };
  }
  const words = width >> 2;
  const from = new Int32Array(keys.buffer, keys.byteOffset, count * words);
  const to = new Int32Array(count * words);
  const sorted = new Uint8Array(to.buffer);
  const order = new Uint32Array(count);
  // Each placed key's bytes 2-5 (its first two are its bucket's): most pairs in a bucket differ there.
  const next4 = new Uint32Array(count);
  const starts = new Uint32Array(65536 + 1);
  for (let i = 0; i < count; i++) starts[((keys[i * width]! << 8) | keys[i * width + 1]!) + 1]!++;
  for (let b = 0; b < 65536; b++) starts[b + 1]! += starts[b]!;
  const next = starts.slice(0, 65536);
  for (let i = 0; i < count; i++) {
    const o = i * width;
    const at = next[(keys[o]! << 8) | keys[o + 1]!]!++;
    order[at] = i;
    next4[at] = ((keys[o + 2]! << 24) | (keys[o + 3]! << 16) | (keys[o + 4]! << 8) | keys[o + 5]!) >>> 0;
    for (let j = 0, s = i * words, d = at * words; j < words; j++) to[d + j] = from[s + j]!;
  }
  const compare = (a: number, b: number) => compareKeys(keys, a * width, b * width, width);
  const scratch = {
    positions: new Int32Array(INSERTION_MAX),
    words: new Int32Array(INSERTION_MAX * words),
    order: new Uint32Array(INSERTION_MAX),
  };
  for (let b = 0; b < 65536; b++) {
    const lo = starts[b]!;
    const hi = starts[b + 1]!;
    if (hi - lo < 2) continue;
    if (hi - lo <= INSERTION_MAX) sortBucket(sorted, to, order, next4, width, lo, hi, scratch);
    else {
      // Keys made to share their first bytes (or small keys, all in bucket 0): sorted by comparator.
      const bucket = order.subarray(lo, hi).sort(compare);
      for (let k = lo; k < hi; k++) {
        for (let j = 0, s = bucket[k - lo]! * words, d = k * words; j < words; j++) to[d + j] = from[s + j]!;
      }
    }
  }
  let repeated = -1;
  for (let k = 1; k < count && repeated < 0; k++) {
    if (compareKeys(sorted, (k - 1) * width, k * width, width) === 0) repeated = Math.max(order[k - 1]!, order[k]!);
  }
  return { sorted, order, repeated };
}

interface BucketScratch {
  positions: Int32Array;
  words: Int32Array;
  order: Uint32Array;
}

/**
 * Sorts the keys [lo, hi) of `sorted` (bytes, and `words` its 32-bit view) in place, `order` along:
 * their positions by insertion on `next4` (the whole keys where it ties), then the keys moved once.
 */
function sortBucket(
  sorted: Uint8Array,
  words: Int32Array,
  order: Uint32Array,
  next4: Uint32Array,
  width: number,
  lo: number,
  hi: number,
  scratch: BucketScratch,
): void {
  const n = hi - lo;
  const positions = scratch.positions;
  let moved = false;
  for (let i = 0; i < n; i++) {
    const p = lo + i;
    let k = i;
    while (k > 0) {
      const q = positions[k - 1]!;
      const before =
        next4[q]! > next4[p]! || (next4[q] === next4[p] && compareKeys(sorted, q * width, p * width, width) > 0);
      if (!before) break;
      positions[k] = q;
      k--;
      moved = true;
    }
    positions[k] = p;
  }
  if (!moved) return;
  const w = width >> 2;
  for (let j = 0; j < n * w; j++) scratch.words[j] = words[lo * w + j]!;
  for (let i = 0; i < n; i++) scratch.order[i] = order[lo + i]!;
  for (let i = 0; i < n; i++) {
    const src = positions[i]! - lo;
    for (let j = 0; j < w; j++) words[(lo + i) * w + j] = scratch.words[src * w + j]!;
    order[lo + i] = scratch.order[src]!;
  }
}
