// An in-memory Merkle-Patricia trie over fixed-length 32-byte keys (the secure tries of the state:
// keys are keccak256 of an address or a slot), updated in place and rehashed incrementally: every
// node caches its reference (its RLP when shorter than 32 bytes, else 0xa0 ++ keccak256(RLP)), and
// an update clears the cache only along the path it walked, so a root after k changes costs
// O(k log n) hashes instead of rebuilding from every entry (mpt.ts `trieRoot`).
//
// Paths are strings of hex nibbles: slicing and comparing them is cheap in JavaScript, and a 32-byte
// key is 64 of them. All keys have the same length, so no key is a prefix of another and branches
// never carry a value.
import { keccak256 } from "../primitives/keccak.js";
import { EMPTY_TRIE_ROOT_BYTES } from "./mpt.js";

const EMPTY_RLP = new Uint8Array([0x80]);
const HEX = "0123456789abcdef";
const BYTE_HEX: string[] = Array.from({ length: 256 }, (_, b) => HEX[b >> 4]! + HEX[b & 15]!);

class Leaf {
  ref: Uint8Array | undefined = undefined;
  constructor(
    public rest: string,
    public value: Uint8Array,
  ) {}
}

class Extension {
  ref: Uint8Array | undefined = undefined;
  constructor(
    public path: string,
    public child: Branch,
  ) {}
}

class Branch {
  ref: Uint8Array | undefined = undefined;
  readonly children: (TrieNode | undefined)[] = new Array(16).fill(undefined);
}

type TrieNode = Leaf | Extension | Branch;

/** The 64 hex nibbles of a 32-byte key. */
export function keyPath(key: Uint8Array): string {
  if (key.length !== 32) throw new RangeError(`PatriciaTrie: keys are 32 bytes, got ${key.length}`);
  let s = "";
  for (let i = 0; i < 32; i++) s += BYTE_HEX[key[i]!]!;
  return s;
}

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function nibble(path: string, i: number): number {
  const c = path.charCodeAt(i);
  return c <= 57 ? c - 48 : c - 87;
}

/** Bytes of the hex-prefix encoding of a nibble path (without its RLP string header). */
function hexPrefixLength(path: string): number {
  return (path.length >> 1) + 1;
}

/** Writes the hex-prefix encoding of `path` as an RLP string at `at`; returns the end. */
function writeHexPrefix(out: Uint8Array, at: number, path: string, leaf: boolean): number {
  const n = hexPrefixLength(path);
  const odd = path.length & 1;
  const flag = leaf ? 2 : 0;
  const first = odd ? ((flag | 1) << 4) | nibble(path, 0) : flag << 4;
  // A one-byte string under 0x80 is its own encoding.
  if (n === 1 && first < 0x80) {
    out[at] = first;
    return at + 1;
  }
  out[at++] = 0x80 + n;
  out[at++] = first;
  for (let i = odd; i < path.length; i += 2) out[at++] = (nibble(path, i) << 4) | nibble(path, i + 1);
  return at;
}

/** Encoded size of `path` as an RLP string (hex-prefix bytes plus header). */
function hexPrefixSize(path: string, leaf: boolean): number {
  const n = hexPrefixLength(path);
  if (n === 1) {
    const first = path.length & 1 ? (((leaf ? 2 : 0) | 1) << 4) | nibble(path, 0) : (leaf ? 2 : 0) << 4;
    return first < 0x80 ? 1 : 2;
  }
  return n + 1;
}

/** Encoded size of a byte string (values are at most a few dozen bytes, but any length works). */
function stringSize(v: Uint8Array): number {
  if (v.length === 1 && v[0]! < 0x80) return 1;
  if (v.length < 56) return v.length + 1;
  return v.length + 1 + lengthBytes(v.length);
}

function writeString(out: Uint8Array, at: number, v: Uint8Array): number {
  if (v.length === 1 && v[0]! < 0x80) {
    out[at] = v[0]!;
    return at + 1;
  }
  at = writeHeader(out, at, 0x80, v.length);
  out.set(v, at);
  return at + v.length;
}

function lengthBytes(n: number): number {
  let k = 0;
  for (; n > 0; n = Math.floor(n / 256)) k++;
  return k;
}

function headerSize(payload: number): number {
  return payload < 56 ? 1 : 1 + lengthBytes(payload);
}

function writeHeader(out: Uint8Array, at: number, base: number, payload: number): number {
  if (payload < 56) {
    out[at] = base + payload;
    return at + 1;
  }
  const k = lengthBytes(payload);
  out[at] = base + 55 + k;
  for (let i = k; i > 0; i--, payload = Math.floor(payload / 256)) out[at + i] = payload & 0xff;
  return at + 1 + k;
}

function reference(encoded: Uint8Array): Uint8Array {
  if (encoded.length < 32) return encoded;
  const out = new Uint8Array(33);
  out[0] = 0xa0;
  out.set(keccak256(encoded), 1);
  return out;
}

// Nodes are encoded straight into one buffer of the exact size (no intermediate RLP items): this
// runs for every node on every changed path of every block.
function encode(node: TrieNode): Uint8Array {
  if (node instanceof Leaf) {
    const payload = hexPrefixSize(node.rest, true) + stringSize(node.value);
    const out = new Uint8Array(headerSize(payload) + payload);
    let at = writeHeader(out, 0, 0xc0, payload);
    at = writeHexPrefix(out, at, node.rest, true);
    writeString(out, at, node.value);
    return out;
  }
  if (node instanceof Extension) {
    const child = refOf(node.child);
    const payload = hexPrefixSize(node.path, false) + child.length;
    const out = new Uint8Array(headerSize(payload) + payload);
    let at = writeHeader(out, 0, 0xc0, payload);
    at = writeHexPrefix(out, at, node.path, false);
    out.set(child, at);
    return out;
  }
  let payload = 1; // the empty value
  // Per call: a child's own encoding (refOf recurses) must not overwrite this branch's list.
  const refs: Uint8Array[] = new Array(16);
  for (let i = 0; i < 16; i++) {
    const child = node.children[i];
    const ref = child === undefined ? EMPTY_RLP : refOf(child);
    refs[i] = ref;
    payload += ref.length;
  }
  const out = new Uint8Array(headerSize(payload) + payload);
  let at = writeHeader(out, 0, 0xc0, payload);
  for (let i = 0; i < 16; i++) {
    const ref = refs[i]!;
    if (ref.length === 1) out[at++] = ref[0]!;
    else {
      out.set(ref, at);
      at += ref.length;
    }
  }
  out[at] = 0x80;
  return out;
}

function refOf(node: TrieNode): Uint8Array {
  let ref = node.ref;
  if (ref === undefined) node.ref = ref = reference(encode(node));
  return ref;
}

/** A branch holding two nodes that diverge at their first nibble. */
function fork(a: TrieNode, aNibble: number, b: TrieNode, bNibble: number): Branch {
  const branch = new Branch();
  branch.children[aNibble] = a;
  branch.children[bNibble] = b;
  return branch;
}

/** `node` with `prefix` put in front of its path (the node that replaces a collapsed parent). */
function prepend(prefix: string, node: TrieNode): TrieNode {
  if (prefix.length === 0) return node;
  if (node instanceof Leaf) {
    node.rest = prefix + node.rest;
    node.ref = undefined;
    return node;
  }
  if (node instanceof Extension) {
    node.path = prefix + node.path;
    node.ref = undefined;
    return node;
  }
  return new Extension(prefix, node);
}

/** Set by `insert`: whether the key was new (false when an existing value was replaced). */
let added = false;

function insert(node: TrieNode | undefined, path: string, value: Uint8Array): TrieNode {
  if (node === undefined) return new Leaf(path, value);
  if (node instanceof Leaf) {
    if (node.rest === path) {
      added = false;
      node.value = value;
      node.ref = undefined;
      return node;
    }
    const c = commonPrefix(node.rest, path);
    const old = new Leaf(node.rest.slice(c + 1), node.value);
    const leaf = new Leaf(path.slice(c + 1), value);
    return prepend(path.slice(0, c), fork(old, nibble(node.rest, c), leaf, nibble(path, c)));
  }
  if (node instanceof Extension) {
    const c = commonPrefix(node.path, path);
    if (c === node.path.length) {
      node.child = insert(node.child, path.slice(c), value) as Branch;
      node.ref = undefined;
      return node;
    }
    // Split the extension where the new key leaves it.
    const below = c + 1 === node.path.length ? node.child : new Extension(node.path.slice(c + 1), node.child);
    const leaf = new Leaf(path.slice(c + 1), value);
    return prepend(path.slice(0, c), fork(below, nibble(node.path, c), leaf, nibble(path, c)));
  }
  const i = nibble(path, 0);
  node.children[i] = insert(node.children[i], path.slice(1), value);
  node.ref = undefined;
  return node;
}

function remove(node: TrieNode | undefined, path: string): TrieNode | undefined {
  if (node === undefined) return undefined;
  if (node instanceof Leaf) return node.rest === path ? undefined : node;
  if (node instanceof Extension) {
    if (!path.startsWith(node.path)) return node;
    const child = remove(node.child, path.slice(node.path.length));
    if (child === node.child) {
      node.ref = undefined;
      return node;
    }
    // The branch below collapsed into a leaf or an extension: absorb it.
    return child === undefined ? undefined : prepend(node.path, child);
  }
  const i = nibble(path, 0);
  const before = node.children[i];
  if (before === undefined) return node;
  node.children[i] = remove(before, path.slice(1));
  node.ref = undefined;
  if (node.children[i] !== undefined) return node;
  // A branch keeps at least two children; with one left it becomes that child, one nibble longer.
  let only = -1;
  for (let j = 0; j < 16; j++) {
    if (node.children[j] === undefined) continue;
    if (only >= 0) return node;
    only = j;
  }
  return only < 0 ? undefined : prepend(HEX[only]!, node.children[only]!);
}

function find(node: TrieNode | undefined, path: string): Uint8Array | undefined {
  while (node !== undefined) {
    if (node instanceof Leaf) return node.rest === path ? node.value : undefined;
    if (node instanceof Extension) {
      if (!path.startsWith(node.path)) return undefined;
      path = path.slice(node.path.length);
      node = node.child;
      continue;
    }
    node = node.children[nibble(path, 0)];
    path = path.slice(1);
  }
  return undefined;
}

export class PatriciaTrie {
  private root: TrieNode | undefined = undefined;
  private count = 0;

  /** Entries in the trie. */
  get size(): number {
    return this.count;
  }

  /** Sets `key` (32 bytes, or its 64-nibble path) to `value`; an empty value deletes it. */
  set(key: Uint8Array | string, value: Uint8Array): void {
    const path = typeof key === "string" ? key : keyPath(key);
    if (value.length === 0) {
      this.delete(path);
      return;
    }
    added = true;
    this.root = insert(this.root, path, value);
    if (added) this.count++;
  }

  delete(key: Uint8Array | string): void {
    const path = typeof key === "string" ? key : keyPath(key);
    if (find(this.root, path) === undefined) return;
    this.count--;
    this.root = remove(this.root, path);
  }

  get(key: Uint8Array | string): Uint8Array | undefined {
    return find(this.root, typeof key === "string" ? key : keyPath(key));
  }

  /** keccak256 of the root node's RLP (always hashed, even when short); the empty trie's root if none. */
  rootHash(): Uint8Array {
    if (this.root === undefined) return EMPTY_TRIE_ROOT_BYTES.slice();
    const ref = refOf(this.root);
    // A reference under 32 bytes is the node's RLP itself; the root is hashed all the same.
    return ref.length < 32 ? keccak256(ref) : ref.slice(1);
  }
}
