// One trie, updated from its changed keys only. The trie's nodes live in a store keyed by path (the
// nibbles from the root to where a node starts: trie-store.ts); this holds the part of it the
// walks so far reached, decoded, loading a node the first time a walk reaches it and leaving every
// other subtree as its parent's reference (a Stub). It lives across commits, so the upper levels
// (on every path) are decoded once, not once per block; `unload` bounds what it holds. `commit`
// rehashes the changed nodes bottom-up (only those: a clean node's subtree is clean) and reports
// which paths to write and which to delete (where a stored node moved away or was removed).
//
// Keys are 32 bytes (64 nibbles: the secure tries' keccak256 keys), so no key is a prefix of
// another and branches never carry a value. Where a node sits only changes for leaves and
// extensions (a branch splits off above them, or a branch collapses into them): a branch never
// moves, so an untouched subtree keeps its paths.
//
// Paths are bytes, never strings: each loaded node keeps a 32-byte key whose first nibbles are its
// path (a leaf's is its whole key, an extension's or a branch's that of a key below it) and the
// nibble offsets where it starts (and, for an extension, ends). Keys are never written to once a
// node holds them (the callers' keys are shared, not copied).
import { runWhole } from "../../primitives/slices.js";
import {
  decodeNode,
  encodeBranchOf,
  encodeExtensionOfKey,
  encodeLeafOfKey,
  hexPrefixLength,
  hexPrefixNibble,
  keyNibble,
  reference,
  rootHashOf,
} from "./node-codec.js";

/** Reads the stored node (its RLP) whose path is the first `depth` nibbles of `key` (32 bytes). */
export type NodeLoader = (key: Uint8Array, depth: number) => Uint8Array | undefined;

/** Where a node is stored: the first `depth` nibbles of `key`. */
export interface NodePath {
  key: Uint8Array;
  depth: number;
}

/**
 * Where a commit's changes go, as it finds them (no list of them is made): first every path whose
 * stored node is gone (moved or removed), then every node to store (new or changed), so that a path
 * vacated and written again in one commit holds the new node.
 */
export interface NodeSink {
  vacate(key: Uint8Array, depth: number): void;
  /** The node stored at the first `depth` nibbles of `key`. */
  write(key: Uint8Array, depth: number, rlp: Uint8Array): void;
}

/** A node not loaded: only its reference, as its parent holds it. */
class Stub {
  constructor(readonly ref: Uint8Array) {}
}

class Leaf {
  /** The reference; undefined while the node is new or changed (it must be written). */
  ref: Uint8Array | undefined = undefined;
  /** Counted in the trie's held bytes. */
  held = false;
  constructor(
    /** The leaf's whole key. */
    readonly key: Uint8Array,
    /** The nibble the leaf starts at (its path's length): its rest is the key's nibbles from here. */
    public from: number,
    public value: Uint8Array,
  ) {}
}

class Extension {
  ref: Uint8Array | undefined = undefined;
  held = false;
  constructor(
    /** A key below: its nibbles [0, to) are the extension's path and its own nibbles. */
    readonly key: Uint8Array,
    public from: number,
    readonly to: number,
    public child: Branch | Stub,
  ) {}
}

class Branch {
  ref: Uint8Array | undefined = undefined;
  held = false;
  readonly children: (TrieNode | undefined)[] = new Array(16).fill(undefined);
  constructor(
    /** A key below: its first `depth` nibbles are the branch's path. */
    readonly key: Uint8Array,
    readonly depth: number,
  ) {}
}

type TrieNode = Leaf | Extension | Branch | Stub;
type Loaded = Leaf | Extension | Branch;

/** Whether keys `a` and `b` have the same nibbles in [from, to). */
function sameNibbles(a: Uint8Array, b: Uint8Array, from: number, to: number): boolean {
  let i = from;
  if (i & 1) {
    if (i < to && keyNibble(a, i) !== keyNibble(b, i)) return false;
    i++;
  }
  // Whole bytes while both of their nibbles are in range.
  for (; i + 1 < to; i += 2) if (a[i >> 1] !== b[i >> 1]) return false;
  return i >= to || keyNibble(a, i) === keyNibble(b, i);
}

/** How many nibbles `a` and `b` share from `from` (at most up to `to`). */
function commonNibbles(a: Uint8Array, b: Uint8Array, from: number, to: number): number {
  let i = from;
  if (i & 1 && i < to && keyNibble(a, i) === keyNibble(b, i)) i++;
  // Whole bytes while they match (an update compares a leaf's whole key with its own).
  if ((i & 1) === 0) while (i + 1 < to && a[i >> 1] === b[i >> 1]) i += 2;
  while (i < to && keyNibble(a, i) === keyNibble(b, i)) i++;
  return i - from;
}

function setNibble(key: Uint8Array, p: number, v: number): void {
  key[p >> 1] = p & 1 ? (key[p >> 1]! & 0xf0) | v : (key[p >> 1]! & 0x0f) | (v << 4);
}

/** A new key: `path`'s nibbles [0, at), then the nibbles of hex-prefix `hp` (or the one nibble `one`) from `at`. */
function keyWith(path: Uint8Array, at: number, hp: Uint8Array | undefined, one = 0): Uint8Array {
  const key = new Uint8Array(32);
  key.set(path.subarray(0, (at + 1) >> 1));
  if (hp === undefined) {
    setNibble(key, at, one);
    return key;
  }
  const n = hexPrefixLength(hp);
  let i = 0;
  // An odd nibble first, so that the rest starts a byte of the key.
  if (at & 1 && n > 0) setNibble(key, at, hexPrefixNibble(hp, i++));
  // The path's nibble i is hp's nibble i + 1 (odd length) or i + 2: where that is even, whole bytes line up.
  const inHp = i + (hp[0]! & 0x10 ? 1 : 2);
  if ((inHp & 1) === 0) {
    const bytes = (n - i) >> 1;
    key.set(hp.subarray(inHp >> 1, (inHp >> 1) + bytes), (at + i) >> 1);
    i += bytes * 2;
  }
  for (; i < n; i++) setNibble(key, at + i, hexPrefixNibble(hp, i));
  return key;
}

function fork(key: Uint8Array, depth: number, a: TrieNode, aNibble: number, b: TrieNode, bNibble: number): Branch {
  const branch = new Branch(key, depth);
  branch.children[aNibble] = a;
  branch.children[bNibble] = b;
  return branch;
}

/** What a decoded node is taken to cost in memory: objects and views, beyond its RLP (estimated). */
const NODE_OVERHEAD_BYTES = 120;
const REF_VIEW_BYTES = 100;
const ROOT_PATH = new Uint8Array(32);

export class PathTrie {
  private root: TrieNode | undefined;
  /** Paths whose stored node moved away or was removed since the last commit. */
  private vacated: NodePath[] = [];
  /** Estimated bytes of the decoded nodes (grows with loads; recounted by `unload`). */
  heldBytes = 0;
  heldNodes = 0;
  /** Node visits answered by a node already decoded, and nodes read from the store. */
  hits = 0;
  misses = 0;

  /** Starts from the stored root node (none: the trie is empty). */
  constructor(private readonly load: NodeLoader) {
    const rlp = load(ROOT_PATH, 0);
    this.root = rlp === undefined ? undefined : this.decode(rlp, ROOT_PATH, 0, undefined);
  }

  /** The stored node at the first `at` nibbles of `path`, which its parent references as `stub`. */
  private resolve(stub: Stub, path: Uint8Array, at: number): Loaded {
    const rlp = this.load(path, at);
    if (rlp === undefined) throw new Error(`the state trie has no node at depth ${at} (the store is damaged)`);
    return this.decode(rlp, path, at, stub);
  }

  /** Decodes a stored node; its values and children's references are views into `rlp` (never written to). */
  private decode(rlp: Uint8Array, path: Uint8Array, at: number, stub: Stub | undefined): Loaded {
    this.misses++;
    const decoded = decodeNode(rlp);
    let node: Loaded;
    let refs = 0;
    if (decoded.kind === "leaf") node = new Leaf(keyWith(path, at, decoded.hp), at, decoded.value);
    else if (decoded.kind === "extension") {
      const to = at + hexPrefixLength(decoded.hp);
      node = new Extension(keyWith(path, at, decoded.hp), at, to, new Stub(decoded.childRef));
      refs = 1;
    } else {
      const branch = new Branch(path, at);
      for (let i = 0; i < 16; i++) {
        const ref = decoded.refs[i];
        if (ref === undefined) continue;
        branch.children[i] = new Stub(ref);
        refs++;
      }
      node = branch;
    }
    this.heldBytes += NODE_OVERHEAD_BYTES + rlp.length + refs * REF_VIEW_BYTES;
    this.heldNodes++;
    node.held = true;
    node.ref = stub?.ref ?? reference(rlp);
    return node;
  }

  /** `node`, loaded: where a stub, read from the first `at` nibbles of `path`. */
  private materialize(node: TrieNode, path: Uint8Array, at: number): Loaded {
    if (node instanceof Stub) return this.resolve(node, path, at);
    this.hits++;
    return node;
  }

  /** The value at `key` (32 bytes). */
  get(key: Uint8Array): Uint8Array | undefined {
    if (this.root === undefined) return undefined;
    let node = (this.root = this.materialize(this.root, key, 0));
    let depth = 0;
    for (;;) {
      if (node instanceof Leaf) return sameNibbles(node.key, key, depth, 64) ? node.value : undefined;
      if (node instanceof Extension) {
        if (!sameNibbles(node.key, key, depth, node.to)) return undefined;
        depth = node.to;
        node = node.child = this.materialize(node.child, key, depth) as Branch;
        continue;
      }
      const i = keyNibble(key, depth);
      const child = node.children[i];
      if (child === undefined) return undefined;
      depth++;
      node = node.children[i] = this.materialize(child, key, depth);
    }
  }

  /** Sets `key` (32 bytes, kept: not to be written to after) to `value` (not empty). */
  set(key: Uint8Array, value: Uint8Array): void {
    this.root = this.insert(this.root, 0, key, value);
  }

  delete(key: Uint8Array): void {
    if (this.get(key) === undefined) return;
    this.root = this.remove(this.root, 0, key);
  }

  /**
   * `node`, which sits at nibble `below` (its path the first `below` nibbles of `path` where a stub),
   * moved up to `at`: the nibbles between become part of its own.
   */
  private prepend(node: TrieNode, at: number, below: number, path: Uint8Array): TrieNode {
    if (below === at) return node;
    const n = this.materialize(node, path, below);
    if (n instanceof Branch) return new Extension(n.key, at, below, n);
    this.vacated.push({ key: n.key, depth: below });
    n.from = at;
    n.ref = undefined;
    return n;
  }

  private insert(node: TrieNode | undefined, at: number, key: Uint8Array, value: Uint8Array): TrieNode {
    if (node === undefined) return new Leaf(key, at, value);
    const n = this.materialize(node, key, at);
    if (n instanceof Leaf) {
      const c = commonNibbles(n.key, key, at, 64);
      if (at + c === 64) {
        n.value = value;
        n.ref = undefined;
        return n;
      }
      const split = at + c;
      const old = new Leaf(n.key, split + 1, n.value);
      const leaf = new Leaf(key, split + 1, value);
      const branch = fork(key, split, old, keyNibble(n.key, split), leaf, keyNibble(key, split));
      return this.prepend(branch, at, split, key);
    }
    if (n instanceof Extension) {
      const c = commonNibbles(n.key, key, at, n.to);
      if (at + c === n.to) {
        n.child = this.insert(n.child, n.to, key, value) as Branch;
        n.ref = undefined;
        return n;
      }
      // Split the extension where the new key leaves it; the branch below stays where it is.
      const split = at + c;
      const below = split + 1 === n.to ? n.child : new Extension(n.key, split + 1, n.to, n.child);
      const leaf = new Leaf(key, split + 1, value);
      const branch = fork(key, split, below, keyNibble(n.key, split), leaf, keyNibble(key, split));
      return this.prepend(branch, at, split, key);
    }
    const i = keyNibble(key, at);
    n.children[i] = this.insert(n.children[i], at + 1, key, value);
    n.ref = undefined;
    return n;
  }

  /** Removes `key`, which is in the trie (`delete` checked). */
  private remove(node: TrieNode | undefined, at: number, key: Uint8Array): TrieNode | undefined {
    if (node === undefined) return undefined;
    const n = this.materialize(node, key, at);
    if (n instanceof Leaf) {
      this.vacated.push({ key: n.key, depth: at });
      return undefined;
    }
    if (n instanceof Extension) {
      n.child = this.materialize(n.child, key, n.to) as Branch;
      const child = this.remove(n.child, n.to, key);
      if (child === n.child) {
        n.ref = undefined;
        return n;
      }
      // The branch below collapsed into a leaf or an extension (now at `n.to`): absorb it.
      return child === undefined ? undefined : this.prepend(child, at, n.to, key);
    }
    const i = keyNibble(key, at);
    n.children[i] = this.remove(n.children[i], at + 1, key);
    n.ref = undefined;
    if (n.children[i] !== undefined) return n;
    // A branch keeps at least two children; with one left it becomes that child, one nibble longer.
    let only = -1;
    for (let j = 0; j < 16; j++) {
      if (n.children[j] === undefined) continue;
      if (only >= 0) return n;
      only = j;
    }
    if (only < 0) return undefined;
    const child = n.children[only]!;
    // A stub is read from its own path: `key`'s first `at` nibbles, then its nibble.
    const path = child instanceof Stub ? keyWith(key, at, undefined, only) : key;
    return this.prepend(child, at, at + 1, path);
  }

  /**
   * Rehashes the changed nodes and tells `sink` what the store must delete, then write; returns the
   * root hash (the empty trie's where none). The trie is clean after.
   */
  commit(sink: NodeSink): Uint8Array {
    return runWhole(this.committing(sink));
  }

  /**
   * commit in steps (primitives/slices.ts): the changed subtrees SEAL_STEP_LEVELS below the root are
   * sealed one at a time with a yield after each, then the levels above them.
   */
  *committing(sink: NodeSink): Generator<void, Uint8Array, undefined> {
    for (const { key, depth } of this.vacated) sink.vacate(key, depth);
    this.vacated = [];
    if (this.root === undefined) return EMPTY_ROOT;
    yield* this.sealInSteps(this.root, sink, SEAL_STEP_LEVELS);
    // What is left changed are the branches above the sealed subtrees: each is encoded from clean children.
    const ref = this.seal(this.root, sink);
    // The root is hashed whatever its size; a hashed reference is 0xa0 ++ the hash.
    return ref.length === 33 ? ref.subarray(1) : rootHashOf(ref);
  }

  /** Seals `node`'s changed subtrees `levels` branches down, one at a time, a yield after each. */
  private *sealInSteps(node: TrieNode, sink: NodeSink, levels: number): Generator<void, void, undefined> {
    if (node.ref !== undefined) return;
    if (levels > 0 && node instanceof Branch) {
      for (const child of node.children) if (child !== undefined) yield* this.sealInSteps(child, sink, levels - 1);
      return;
    }
    this.seal(node, sink);
    yield;
  }

  /** The reference of `node`, encoding (and handing `sink`) it where it changed. */
  private seal(node: TrieNode, sink: NodeSink): Uint8Array {
    // Clean (a stub, or loaded and unchanged): every change marks the nodes above it, so its subtree is clean too.
    if (node.ref !== undefined) return node.ref;
    const n = node as Loaded;
    let encoded: Uint8Array;
    let depth: number;
    if (n instanceof Leaf) {
      encoded = encodeLeafOfKey(n.key, n.from, n.value);
      depth = n.from;
    } else if (n instanceof Extension) {
      encoded = encodeExtensionOfKey(n.key, n.from, n.to, this.seal(n.child, sink));
      depth = n.from;
    } else {
      const children = n.children;
      for (let i = 0; i < 16; i++) {
        const child = children[i];
        if (child !== undefined && child.ref === undefined) this.seal(child, sink);
      }
      encoded = encodeBranchOf(children);
      depth = n.depth;
    }
    sink.write(n.key, depth, encoded);
    if (!n.held) {
      n.held = true;
      this.heldBytes += NODE_OVERHEAD_BYTES + encoded.length + (n instanceof Leaf ? 0 : REF_VIEW_BYTES * 16);
      this.heldNodes++;
    }
    n.ref = reference(encoded);
    return n.ref;
  }

  /**
   * Forgets the decoded nodes deeper than `depth` nibbles (all of them where 0), leaving their
   * references: they are read again when a walk reaches them. Only after `commit`, with the
   * commit's nodes stored or pending in the store.
   */
  unload(depth: number): void {
    if (this.root === undefined || this.root instanceof Stub) return;
    if (depth === 0) {
      this.root = new Stub(this.root.ref!);
      this.heldBytes = 0;
      this.heldNodes = 0;
      return;
    }
    this.heldNodes = 0;
    this.heldBytes = this.keepAbove(this.root, 0, depth);
  }

  /** Stubs the children of `node` (at `at` nibbles) that start `depth` nibbles deep or deeper; the bytes kept. */
  private keepAbove(node: Loaded, at: number, depth: number): number {
    this.heldNodes++;
    let kept = NODE_OVERHEAD_BYTES + REF_VIEW_BYTES * 16;
    if (node instanceof Extension) {
      if (node.child instanceof Stub) return kept;
      if (node.to >= depth) node.child = new Stub(node.child.ref!);
      else kept += this.keepAbove(node.child, node.to, depth);
    } else if (node instanceof Branch) {
      for (let i = 0; i < 16; i++) {
        const child = node.children[i];
        if (child === undefined || child instanceof Stub) continue;
        if (at + 1 >= depth) node.children[i] = new Stub(child.ref!);
        else kept += this.keepAbove(child, at + 1, depth);
      }
    }
    return kept;
  }
}

const EMPTY_ROOT = rootHashOf(new Uint8Array([0x80]));
/** Branch levels below the root whose subtrees `committing` seals one per step (up to 256 steps). */
const SEAL_STEP_LEVELS = 2;
