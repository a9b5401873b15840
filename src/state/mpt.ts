// Merkle-Patricia trie roots (Yellow Paper appendix D), computed directly from a set of key/value
// pairs: the keys are sorted once, then the trie is built bottom-up by grouping keys on their
// common nibble prefixes, without storing any node. A node whose RLP is shorter than 32 bytes is
// inlined into its parent; every other node is referenced by its keccak256 hash. The root is always
// hashed, so the empty trie's root is keccak256(rlp("")).
import { keccak256 } from "../primitives/keccak.js";

const EMPTY_STRING_RLP = new Uint8Array([0x80]);

/** keccak256(rlp("")): the root of a trie with no entries. */
export const EMPTY_TRIE_ROOT_BYTES: Uint8Array = keccak256(EMPTY_STRING_RLP);

/** RLP encoding of a byte string. */
export function rlpEncodeBytes(value: Uint8Array): Uint8Array {
  const n = value.length;
  if (n === 1 && value[0]! < 0x80) return value;
  const header = lengthHeader(n, 0x80);
  const out = new Uint8Array(header.length + n);
  out.set(header, 0);
  out.set(value, header.length);
  return out;
}

/** RLP encoding of a list whose items are already RLP encoded. */
export function rlpEncodeList(items: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const item of items) n += item.length;
  const header = lengthHeader(n, 0xc0);
  const out = new Uint8Array(header.length + n);
  out.set(header, 0);
  let offset = header.length;
  for (const item of items) {
    out.set(item, offset);
    offset += item.length;
  }
  return out;
}

function lengthHeader(length: number, offset: number): Uint8Array {
  if (length < 56) return new Uint8Array([offset + length]);
  const bytes: number[] = [];
  for (let l = length; l > 0; l = Math.floor(l / 256)) bytes.unshift(l % 256);
  return new Uint8Array([offset + 55 + bytes.length, ...bytes]);
}

export function nibbleAt(key: Uint8Array, i: number): number {
  const b = key[i >> 1]!;
  return i & 1 ? b & 0x0f : b >> 4;
}

/** Hex-prefix ("compact") encoding of the nibbles key[from..to), RLP encoded as a string. */
function hexPrefixRlp(key: Uint8Array, from: number, to: number, leaf: boolean): Uint8Array {
  const count = to - from;
  const flag = leaf ? 2 : 0;
  const out = new Uint8Array((count >> 1) + 1);
  let i = from;
  if (count & 1) {
    out[0] = ((flag | 1) << 4) | nibbleAt(key, i++);
  } else {
    out[0] = flag << 4;
  }
  for (let o = 1; i < to; o++, i += 2) out[o] = (nibbleAt(key, i) << 4) | nibbleAt(key, i + 1);
  return rlpEncodeBytes(out);
}

/** How a child node appears inside its parent: inlined when short, else as its hash (an RLP string). */
function reference(encodedNode: Uint8Array): Uint8Array {
  if (encodedNode.length < 32) return encodedNode;
  const out = new Uint8Array(33);
  out[0] = 0xa0;
  out.set(keccak256(encodedNode), 1);
  return out;
}

export type Entry = readonly [Uint8Array, Uint8Array];

/** The RLP encoding of the node holding entries[lo..hi) (all sharing their first `depth` nibbles). */
export function encodeNode(entries: Entry[], lo: number, hi: number, depth: number): Uint8Array {
  const firstKey = entries[lo]![0];
  const firstLength = firstKey.length * 2;
  if (hi - lo === 1) {
    return rlpEncodeList([hexPrefixRlp(firstKey, depth, firstLength, true), rlpEncodeBytes(entries[lo]![1])]);
  }
  // Sorted keys: the prefix common to the first and the last is common to all.
  const lastKey = entries[hi - 1]![0];
  const limit = Math.min(firstLength, lastKey.length * 2);
  let end = depth;
  while (end < limit && nibbleAt(firstKey, end) === nibbleAt(lastKey, end)) end++;
  if (end > depth) {
    return rlpEncodeList([hexPrefixRlp(firstKey, depth, end, false), reference(encodeNode(entries, lo, hi, end))]);
  }
  const items: Uint8Array[] = new Array(17);
  let i = lo;
  let value: Uint8Array = EMPTY_STRING_RLP;
  // A key that ends here (a prefix of the others) sorts first; its value sits in the branch.
  if (firstLength === depth) {
    value = rlpEncodeBytes(entries[lo]![1]);
    i++;
  }
  for (let nibble = 0; nibble < 16; nibble++) {
    const start = i;
    while (i < hi && nibbleAt(entries[i]![0], depth) === nibble) i++;
    items[nibble] = i === start ? EMPTY_STRING_RLP : reference(encodeNode(entries, start, i, depth + 1));
  }
  items[16] = value;
  return rlpEncodeList(items);
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/**
 * The root hash of the trie holding `entries`. An empty value means "absent" (as in a trie where it
 * was deleted); where a key repeats, its last value wins.
 */
export function trieRoot(entries: Iterable<readonly [Uint8Array, Uint8Array]>): Uint8Array {
  const list: Entry[] = [];
  for (const entry of entries) list.push(entry);
  // Stable sort, so equal keys keep their order and the last of each run is the one kept.
  list.sort((a, b) => compareBytes(a[0], b[0]));
  const unique: Entry[] = [];
  for (let i = 0; i < list.length; i++) {
    const entry = list[i]!;
    const next = list[i + 1];
    if (next !== undefined && compareBytes(entry[0], next[0]) === 0) continue;
    if (entry[1].length > 0) unique.push(entry);
  }
  if (unique.length === 0) return EMPTY_TRIE_ROOT_BYTES.slice();
  return keccak256(encodeNode(unique, 0, unique.length, 0));
}

/** The root of the "secure" trie, whose keys are keccak256 of the given keys (state and storage tries). */
export function secureTrieRoot(entries: Iterable<readonly [Uint8Array, Uint8Array]>): Uint8Array {
  const hashed: Entry[] = [];
  for (const [key, value] of entries) hashed.push([keccak256(key), value]);
  return trieRoot(hashed);
}
