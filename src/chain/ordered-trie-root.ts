// The root of an ordered trie (a block's transactions or receipts: key RLP(index), value the item's
// encoding), built straight from the list. The keys' sorted order is known (1..127, then 0, then
// 128 and up) and no key is a prefix of another, so each node is encoded once, into one buffer of
// its exact size, by the state trie's node codec; only values are copied, once, into their leaves.
import { keccak256 } from "../primitives/keccak.js";
import { EMPTY_TRIE_ROOT_BYTES } from "../state/mpt.js";
import { encodeBranch, encodeExtensionOfKey, encodeLeafOfKey, keyNibble, reference } from "../state/trie/node-codec.js";

/** RLP of the integer `i` as a byte string: the ordered trie's key of item `i`. */
function indexKey(i: number): Uint8Array {
  if (i === 0) return new Uint8Array([0x80]);
  if (i < 0x80) return new Uint8Array([i]);
  let length = 0;
  for (let v = i; v > 0; v = Math.floor(v / 256)) length++;
  const key = new Uint8Array(1 + length);
  key[0] = 0x80 + length;
  for (let k = length, v = i; k >= 1; k--, v = Math.floor(v / 256)) key[k] = v % 256;
  return key;
}

/** The indices 0..n-1 in their keys' byte order. */
function sortedIndices(n: number): number[] {
  const order: number[] = [];
  for (let i = 1; i < Math.min(n, 0x80); i++) order.push(i);
  if (n > 0) order.push(0);
  for (let i = 0x80; i < n; i++) order.push(i);
  return order;
}

/** The RLP of the node holding keys[lo..hi), which share their first `depth` nibbles. */
function encodeRange(keys: Uint8Array[], values: Uint8Array[], lo: number, hi: number, depth: number): Uint8Array {
  const first = keys[lo]!;
  if (hi - lo === 1) return encodeLeafOfKey(first, depth, values[lo]!);
  // Sorted and prefix-free: what the first and the last key share, all share, and it ends before either does.
  const last = keys[hi - 1]!;
  let end = depth;
  while (keyNibble(first, end) === keyNibble(last, end)) end++;
  if (end > depth) return encodeExtensionOfKey(first, depth, end, reference(encodeRange(keys, values, lo, hi, end)));
  const refs: (Uint8Array | undefined)[] = new Array(16);
  let i = lo;
  while (i < hi) {
    const nibble = keyNibble(keys[i]!, depth);
    const start = i;
    while (i < hi && keyNibble(keys[i]!, depth) === nibble) i++;
    refs[nibble] = reference(encodeRange(keys, values, start, i, depth + 1));
  }
  return encodeBranch(refs);
}

/** Root of an ordered list: index i (RLP-encoded) maps to values[i] (none of them empty). */
export function orderedTrieRootBytes(values: readonly Uint8Array[]): Uint8Array {
  if (values.length === 0) return EMPTY_TRIE_ROOT_BYTES.slice();
  const order = sortedIndices(values.length);
  const keys = order.map(indexKey);
  const sorted = order.map((i) => {
    const value = values[i]!;
    if (value.length === 0) throw new Error(`ordered trie: item ${i} is empty`);
    return value;
  });
  return keccak256(encodeRange(keys, sorted, 0, sorted.length, 0));
}
