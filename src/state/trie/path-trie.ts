// One trie's update from its changed keys only. The trie's nodes live in a store keyed by path (the
// nibbles from the root to where a node starts: trie-store.ts); this holds the part of it a batch
// of sets and deletes walks, loading a node the first time the walk reaches it and leaving every
// other subtree as its parent's reference (a Stub). `commit` rehashes the changed nodes bottom-up
// and reports which paths to write and which to delete.
//
// Keys are 32 bytes (64 nibbles: the secure tries' keccak256 keys), so no key is a prefix of
// another and branches never carry a value. Where a node sits only changes for leaves and
// extensions (a branch splits off above them, or a branch collapses into them): a branch never
// moves, so an untouched subtree keeps its paths.
import {
  decodeNode,
  encodeBranch,
  encodeExtension,
  encodeLeaf,
  nibble,
  nibbleChar,
  reference,
  rootHashOf,
} from "./node-codec.js";

/** Reads the stored node (its RLP) at a path of this trie. */
export type NodeLoader = (path: string) => Uint8Array | undefined;

/** A node not loaded: only its reference, as its parent holds it. */
class Stub {
  constructor(readonly ref: Uint8Array) {}
}

class Leaf {
  /** The reference; undefined while the node is new or changed (it must be written). */
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
    public child: Branch | Stub,
  ) {}
}

class Branch {
  ref: Uint8Array | undefined = undefined;
  readonly children: (TrieNode | undefined)[] = new Array(16).fill(undefined);
}

type TrieNode = Leaf | Extension | Branch | Stub;
type Loaded = Leaf | Extension | Branch;

export interface TrieCommit {
  /** keccak256 of the root node (the empty trie's root where none). */
  root: Uint8Array;
  /** Nodes to store, by path: the new and changed ones. */
  writes: Map<string, Uint8Array>;
  /** Paths whose stored node is gone (moved or removed), none of them in `writes`. */
  deletes: string[];
}

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function fork(a: TrieNode, aNibble: number, b: TrieNode, bNibble: number): Branch {
  const branch = new Branch();
  branch.children[aNibble] = a;
  branch.children[bNibble] = b;
  return branch;
}

export class PathTrie {
  private root: TrieNode | undefined;
  /** Paths of the stored nodes loaded so far: each is deleted at commit unless a node still sits there. */
  private readonly loaded = new Set<string>();

  /** Starts from the stored root node (none: the trie is empty). */
  constructor(private readonly load: NodeLoader) {
    const rlp = load("");
    this.root = rlp === undefined ? undefined : this.decode(rlp, undefined, "");
  }

  /** The stored node at `at`, which its parent references as `stub`. */
  private resolve(stub: Stub, at: string): Loaded {
    const rlp = this.load(at);
    if (rlp === undefined) throw new Error(`the state trie has no node at path '${at}' (the store is damaged)`);
    return this.decode(rlp, stub, at);
  }

  private decode(rlp: Uint8Array, stub: Stub | undefined, at: string): Loaded {
    this.loaded.add(at);
    const decoded = decodeNode(rlp);
    let node: Loaded;
    if (decoded.kind === "leaf") node = new Leaf(decoded.rest, decoded.value.slice());
    else if (decoded.kind === "extension") node = new Extension(decoded.path, new Stub(decoded.childRef.slice()));
    else {
      const branch = new Branch();
      for (let i = 0; i < 16; i++) {
        const ref = decoded.refs[i];
        if (ref !== undefined) branch.children[i] = new Stub(ref.slice());
      }
      node = branch;
    }
    node.ref = stub?.ref ?? reference(rlp);
    return node;
  }

  private materialize(node: TrieNode, at: string): Loaded {
    return node instanceof Stub ? this.resolve(node, at) : node;
  }

  get(path: string): Uint8Array | undefined {
    if (this.root === undefined) return undefined;
    let node = (this.root = this.materialize(this.root, ""));
    let depth = 0;
    for (;;) {
      const rest = path.slice(depth);
      if (node instanceof Leaf) return node.rest === rest ? node.value : undefined;
      if (node instanceof Extension) {
        if (!rest.startsWith(node.path)) return undefined;
        depth += node.path.length;
        node = node.child = this.materialize(node.child, path.slice(0, depth)) as Branch;
        continue;
      }
      const i = nibble(path, depth);
      const child = node.children[i];
      if (child === undefined) return undefined;
      depth++;
      node = node.children[i] = this.materialize(child, path.slice(0, depth));
    }
  }

  /** Sets `path` (64 nibbles) to `value` (not empty). */
  set(path: string, value: Uint8Array): void {
    this.root = this.insert(this.root, "", path, value);
  }

  delete(path: string): void {
    if (this.get(path) === undefined) return;
    this.root = this.remove(this.root, "", path);
  }

  /** `node` (at `at`) with `prefix` put in front of its path: it moves up to `at`. */
  private prepend(prefix: string, node: TrieNode, at: string): TrieNode {
    if (prefix.length === 0) return node;
    const n = this.materialize(node, at + prefix);
    if (n instanceof Leaf) {
      n.rest = prefix + n.rest;
      n.ref = undefined;
      return n;
    }
    if (n instanceof Extension) {
      n.path = prefix + n.path;
      n.ref = undefined;
      return n;
    }
    return new Extension(prefix, n);
  }

  private insert(node: TrieNode | undefined, at: string, path: string, value: Uint8Array): TrieNode {
    if (node === undefined) return new Leaf(path.slice(at.length), value);
    const n = this.materialize(node, at);
    const rest = path.slice(at.length);
    if (n instanceof Leaf) {
      if (n.rest === rest) {
        n.value = value;
        n.ref = undefined;
        return n;
      }
      const c = commonPrefix(n.rest, rest);
      const old = new Leaf(n.rest.slice(c + 1), n.value);
      const leaf = new Leaf(rest.slice(c + 1), value);
      return this.prepend(rest.slice(0, c), fork(old, nibble(n.rest, c), leaf, nibble(rest, c)), at);
    }
    if (n instanceof Extension) {
      const c = commonPrefix(n.path, rest);
      if (c === n.path.length) {
        n.child = this.insert(n.child, at + n.path, path, value) as Branch;
        n.ref = undefined;
        return n;
      }
      // Split the extension where the new key leaves it; the branch below stays where it is.
      const below = c + 1 === n.path.length ? n.child : new Extension(n.path.slice(c + 1), n.child);
      const leaf = new Leaf(rest.slice(c + 1), value);
      return this.prepend(rest.slice(0, c), fork(below, nibble(n.path, c), leaf, nibble(rest, c)), at);
    }
    const i = nibble(rest, 0);
    n.children[i] = this.insert(n.children[i], at + nibbleChar(i), path, value);
    n.ref = undefined;
    return n;
  }

  /** Removes `path`, which is in the trie (`delete` checked). */
  private remove(node: TrieNode | undefined, at: string, path: string): TrieNode | undefined {
    if (node === undefined) return undefined;
    const n = this.materialize(node, at);
    if (n instanceof Leaf) return undefined;
    if (n instanceof Extension) {
      const below = at + n.path;
      n.child = this.materialize(n.child, below) as Branch;
      const child = this.remove(n.child, below, path);
      if (child === n.child) {
        n.ref = undefined;
        return n;
      }
      // The branch below collapsed into a leaf or an extension (now at `below`): absorb it.
      return child === undefined ? undefined : this.prepend(n.path, child, at);
    }
    const i = nibble(path, at.length);
    const childAt = at + nibbleChar(i);
    n.children[i] = this.remove(n.children[i], childAt, path);
    n.ref = undefined;
    if (n.children[i] !== undefined) return n;
    // A branch keeps at least two children; with one left it becomes that child, one nibble longer.
    let only = -1;
    for (let j = 0; j < 16; j++) {
      if (n.children[j] === undefined) continue;
      if (only >= 0) return n;
      only = j;
    }
    return only < 0 ? undefined : this.prepend(nibbleChar(only), n.children[only]!, at);
  }

  /** Rehashes the changed nodes and says what the store must write and delete. */
  commit(): TrieCommit {
    const writes = new Map<string, Uint8Array>();
    const live = new Set<string>();
    let root: Uint8Array;
    if (this.root === undefined) root = EMPTY_ROOT;
    else {
      this.seal(this.root, "", writes, live);
      const r = this.root;
      // The root is hashed whatever its size; a loaded root's reference is already its hash.
      const written = writes.get("");
      root =
        written !== undefined ? rootHashOf(written) : r.ref!.length === 33 ? r.ref!.subarray(1) : rootHashOf(r.ref!);
    }
    const deletes: string[] = [];
    for (const path of this.loaded) if (!live.has(path)) deletes.push(path);
    return { root, writes, deletes };
  }

  /** The reference of `node` at `at`, encoding (and recording) it where it changed. */
  private seal(node: TrieNode, at: string, writes: Map<string, Uint8Array>, live: Set<string>): Uint8Array {
    if (node instanceof Stub) return node.ref;
    live.add(at);
    if (node.ref !== undefined && !(node instanceof Branch)) {
      if (node instanceof Extension && !(node.child instanceof Stub))
        this.seal(node.child, at + node.path, writes, live);
      return node.ref;
    }
    let encoded: Uint8Array;
    if (node instanceof Leaf) encoded = encodeLeaf(node.rest, node.value);
    else if (node instanceof Extension)
      encoded = encodeExtension(node.path, this.seal(node.child, at + node.path, writes, live));
    else {
      const refs: (Uint8Array | undefined)[] = new Array(16);
      for (let i = 0; i < 16; i++) {
        const child = node.children[i];
        refs[i] = child === undefined ? undefined : this.seal(child, at + nibbleChar(i), writes, live);
      }
      if (node.ref !== undefined) return node.ref; // unchanged: its loaded children were only marked live
      encoded = encodeBranch(refs);
    }
    writes.set(at, encoded);
    node.ref = reference(encoded);
    return node.ref;
  }
}

const EMPTY_ROOT = rootHashOf(new Uint8Array([0x80]));
