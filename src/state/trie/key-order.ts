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
