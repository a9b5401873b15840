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
  /** Counted in the trie's held bytes. */
  held = false;
  constructor(
    public rest: string,
    public value: Uint8Array,
  ) {}
}

class Extension {
  ref: Uint8Array | undefined = undefined;
  held = false;
  constructor(
    public path: string,
    public child: Branch | Stub,
  ) {}
}

class Branch {
  ref: Uint8Array | undefined = undefined;
  held = false;
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

/** What a decoded node is taken to cost in memory: objects and views, beyond its RLP (estimated). */
const NODE_OVERHEAD_BYTES = 120;
const REF_VIEW_BYTES = 100;

export class PathTrie {
  private root: TrieNode | undefined;
  /** Paths whose stored node moved away or was removed since the last commit. */
  private readonly vacated = new Set<string>();
  /** Estimated bytes of the decoded nodes (grows with loads; recounted by `unload`). */
  heldBytes = 0;
  heldNodes = 0;
  /** Node visits answered by a node already decoded, and nodes read from the store. */
  hits = 0;
  misses = 0;

  /** Starts from the stored root node (none: the trie is empty). */
  constructor(private readonly load: NodeLoader) {
    const rlp = load("");
    this.root = rlp === undefined ? undefined : this.decode(rlp, undefined);
  }

  /** The stored node at `at`, which its parent references as `stub`. */
  private resolve(stub: Stub, at: string): Loaded {
    const rlp = this.load(at);
    if (rlp === undefined) throw new Error(`the state trie has no node at path '${at}' (the store is damaged)`);
    return this.decode(rlp, stub);
  }

  /** Decodes a stored node; its values and children's references are views into `rlp` (never written to). */
  private decode(rlp: Uint8Array, stub: Stub | undefined): Loaded {
    this.misses++;
    const decoded = decodeNode(rlp);
    let node: Loaded;
    let refs = 0;
    if (decoded.kind === "leaf") node = new Leaf(decoded.rest, decoded.value);
    else if (decoded.kind === "extension") {
      node = new Extension(decoded.path, new Stub(decoded.childRef));
      refs = 1;
    } else {
      const branch = new Branch();
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

  private materialize(node: TrieNode, at: string): Loaded {
    if (node instanceof Stub) return this.resolve(node, at);
    this.hits++;
    return node;
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
      this.vacated.add(at + prefix);
      n.rest = prefix + n.rest;
      n.ref = undefined;
      return n;
    }
    if (n instanceof Extension) {
      this.vacated.add(at + prefix);
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
    if (n instanceof Leaf) {
      this.vacated.add(at);
      return undefined;
    }
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

  /** Rehashes the changed nodes and says what the store must write and delete; the trie is clean after. */
  commit(): TrieCommit {
    const writes = new Map<string, Uint8Array>();
    let root: Uint8Array;
    if (this.root === undefined) root = EMPTY_ROOT;
    else {
      const ref = this.seal(this.root, "", writes);
      // The root is hashed whatever its size; a hashed reference is 0xa0 ++ the hash.
      root = ref.length === 33 ? ref.subarray(1) : rootHashOf(ref);
    }
    const deletes: string[] = [];
    for (const path of this.vacated) if (!writes.has(path)) deletes.push(path);
    this.vacated.clear();
    return { root, writes, deletes };
  }

  /** The reference of `node` at `at`, encoding (and recording) it where it changed. */
  private seal(node: TrieNode, at: string, writes: Map<string, Uint8Array>): Uint8Array {
    // Clean (a stub, or loaded and unchanged): every change marks the nodes above it, so its subtree is clean too.
    if (node.ref !== undefined) return node.ref;
    const n = node as Loaded;
    let encoded: Uint8Array;
    if (n instanceof Leaf) encoded = encodeLeaf(n.rest, n.value);
    else if (n instanceof Extension) encoded = encodeExtension(n.path, this.seal(n.child, at + n.path, writes));
    else {
      const refs: (Uint8Array | undefined)[] = new Array(16);
      for (let i = 0; i < 16; i++) {
        const child = n.children[i];
        refs[i] = child === undefined ? undefined : this.seal(child, at + nibbleChar(i), writes);
      }
      encoded = encodeBranch(refs);
    }
    writes.set(at, encoded);
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
      const below = at + node.path.length;
      if (node.child instanceof Stub) return kept;
      if (below >= depth) node.child = new Stub(node.child.ref!);
      else kept += this.keepAbove(node.child, below, depth);
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
