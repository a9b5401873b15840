// Ethereum's state root kept on disk: the account trie and the storage tries as path-keyed nodes in
// LMDB (trie-store.ts), updated block by block from the changed keys only (path-trie.ts). A restart
// reads the root node, not the state; the memory it takes is the node cache's, whatever the state's
// size.
//
// Per commit: `apply` the block's changes (trie-changes.ts), then `seal` for the root and the log
// record the commit's transaction writes (TrieLogWriter); `written` once that commit is durable
// (`discardPending` where it failed). The next block may be applied meanwhile. Every so many commits
// `mergeLog` moves the log into the path tables. Whoever owns the trie does this on its own thread
// (state-roots.ts), possibly not the committing one.
import type { StateWrites } from "../../evm/host.js";
import { bytesToBigint } from "../../primitives/hex.js";
import { runInSlices, runWhole, type Slices } from "../../primitives/slices.js";
import type { LmdbState } from "../lmdb-state.js";
import { EMPTY_TRIE_ROOT_BYTES } from "../mpt.js";
import { StateBulkLoader } from "./bulk-load.js";
import { keyOrder } from "./key-order.js";
import { accountKey, accountLeafValueOfBytes, slotKey, slotLeafValueOfMinimal, storageRootOfLeaf } from "./leaves.js";
import { decodeNode, EMPTY_RLP, hexPrefixLength, hexPrefixNibble, keyNibble, rootHashOf } from "./node-codec.js";
import { PathTrie } from "./path-trie.js";
import { type AccountChange, encodeTrieChanges, readTrieChanges } from "./trie-changes.js";
import {
  ACCOUNT_TRIE,
  DEFAULT_CACHE_BYTES,
  ownerId,
  type TrieCacheStats,
  type TrieLogRecord,
  TrieNodeStore,
} from "./trie-store.js";

export interface StateTrieOptions {
  /** Bytes the node cache may hold (default 256 MiB). */
  cacheBytes?: number;
  /** Told when the tables are (re)built from the flat state, and when that is done. */
  log?: (line: string) => void;
}

/** Leaf updates between two places apply may stop (primitives/slices.ts); some tens of microseconds of work. */
const UPDATES_PER_STEP = 32;
/** Nibbles of the account trie kept decoded when the held nodes outgrow the cache (4,369 branches at most). */
const KEPT_DEPTH = 3;
/** The root node's path (no nibbles of any key). */
const ROOT_PATH = new Uint8Array(32);

/** EIP-1186's nodes for one account and some of its slots, and the account's storage root. */
export interface TrieProof {
  accountProof: Uint8Array[];
  storageRoot: Uint8Array;
  storageProofs: Uint8Array[][];
}

export class StateTrie {
  private rootHash: Uint8Array;
  /** The decoded tries, kept across commits (their clean nodes match the store's). */
  private accounts!: PathTrie;
  /** The storage tries by their owner's id (its key's bytes as latin1). */
  private readonly storages = new Map<string, PathTrie>();
  /** Reads and loads of the tries dropped so far (the cache statistics count since start). */
  private droppedHits = 0;
  private droppedMisses = 0;

  private constructor(
    readonly nodes: TrieNodeStore,
    private readonly cacheBytes: number,
  ) {
    this.rootHash = EMPTY_TRIE_ROOT_BYTES;
    this.reload();
  }

  /** Drops every decoded node and starts again from the stored root. */
  private reload(): void {
    if (this.accounts !== undefined) this.forget(this.accounts);
    for (const trie of this.storages.values()) this.forget(trie);
    this.storages.clear();
    this.accounts = new PathTrie(this.nodes.loader(ACCOUNT_TRIE));
    const rootNode = this.nodes.loader(ACCOUNT_TRIE)(ROOT_PATH, 0);
    this.rootHash = rootNode === undefined ? EMPTY_TRIE_ROOT_BYTES : rootHashOf(rootNode);
  }

  private forget(trie: PathTrie): void {
    this.droppedHits += trie.hits;
    this.droppedMisses += trie.misses;
  }

  /** The storage trie whose owner (key prefix in the store) is `owner`, keccak256(address). */
  private storageTrie(owner: Uint8Array): PathTrie {
    const id = ownerId(owner);
    let trie = this.storages.get(id);
    if (trie === undefined) this.storages.set(id, (trie = new PathTrie(this.nodes.loader(owner))));
    return trie;
  }

  private dropStorage(owner: Uint8Array): void {
    const id = ownerId(owner);
    const trie = this.storages.get(id);
    if (trie === undefined) return;
    this.forget(trie);
    this.storages.delete(id);
  }

  /**
   * The trie of `lmdb`'s state. Where the stored trie is missing (a store from before it was kept) or
   * stale (the state was committed without it), it is rebuilt from the flat state first, once.
   */
  static open(lmdb: LmdbState, options: StateTrieOptions = {}): StateTrie {
    const nodes = new TrieNodeStore(lmdb);
    const stored = nodes.storedVersion();
    if (stored === undefined || stored !== lmdb.stateVersion()) {
      const why =
        stored === undefined ? "the datadir has no state trie tables yet" : "the state changed without its trie";
      // A new, empty store has nothing to build: no need to say so.
      const log = hasAny(lmdb.addresses()) ? options.log : undefined;
      log?.(`building the state trie tables from the flat state (${why}); this happens once`);
      const started = performance.now();
      const loader = new StateBulkLoader(lmdb, { writeFlatState: false });
      loader.clearTrie();
      for (const [address, account, storage] of lmdb.accountsWithStorage()) {
        loader.addAccount(address, account, storage);
      }
      loader.finish();
      log?.(`state trie tables built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    return new StateTrie(nodes, options.cacheBytes ?? DEFAULT_CACHE_BYTES);
  }

  /**
   * Applies a block's (or a dev edit's, or a rewind's) net writes; they stay pending until sealed.
   * `changes`: the writes as trie-changes.ts encodes them (or the writes themselves, encoded here).
   * Accounts and each account's slots go in key order: neighbouring keys share their upper nodes,
   * and the nodes read from the store are read in the store's order (measured faster than random).
   */
  apply(changes: Uint8Array | StateWrites): void {
    runWhole(this.applying(changes instanceof Uint8Array ? changes : encodeTrieChanges(changes)));
  }

  /**
   * apply in slices (primitives/slices.ts), for a caller on an event loop. Nothing else may change
   * the trie until it settles (a failed commit's discardPending may: the caller then discards this
   * block's nodes too).
   */
  applyInSlices(changes: Uint8Array, slices: Slices): Promise<void> {
    return runInSlices(this.applying(changes), slices);
  }

  /** apply's work, yielding every UPDATES_PER_STEP leaf updates and within each trie's rehash (PathTrie.committing). */
  private *applying(encoded: Uint8Array): Generator<void, void, undefined> {
    const accounts = this.accounts;
    const changes = readTrieChanges(encoded);
    let updates = 0;
    for (const i of keyOrder(changes.map((c) => c.key))) {
      const change = changes[i]!;
      const key = change.key;
      if (change.deleted || change.storageCleared) {
        this.nodes.clear(key);
        this.dropStorage(key);
      }
      if (change.deleted) {
        accounts.delete(key);
        continue;
      }
      let storageRoot: Uint8Array;
      if (change.slotKeys.length > 0) storageRoot = yield* this.storageRootAfter(change);
      else if (change.storageCleared) storageRoot = EMPTY_TRIE_ROOT_BYTES;
      else {
        const current = accounts.get(key);
        storageRoot = current === undefined ? EMPTY_TRIE_ROOT_BYTES : storageRootOfLeaf(current);
      }
      accounts.set(key, accountLeafValueOfBytes(change.nonce, change.balance, change.codeHash, storageRoot));
      if (++updates % UPDATES_PER_STEP === 0) yield;
    }
    yield;
    this.rootHash = yield* accounts.committing(this.nodes.stage(ACCOUNT_TRIE));
  }

  /** The root of an account's storage trie once `change`'s slots (some) are written. */
  private *storageRootAfter(change: AccountChange): Generator<void, Uint8Array, undefined> {
    const trie = this.storageTrie(change.key);
    const { slotKeys: keys, slotValues: values } = change;
    let updates = 0;
    for (const i of keyOrder(keys)) {
      const value = values[i]!;
      if (value.length === 0) trie.delete(keys[i]!);
      else trie.set(keys[i]!, slotLeafValueOfMinimal(value));
      if (++updates % UPDATES_PER_STEP === 0) yield;
    }
    if (updates >= UPDATES_PER_STEP) yield;
    return yield* trie.committing(this.nodes.stage(change.key));
  }

  /**
   * The stored nodes on `address`'s path in the account trie and, for each of `slots`, on its path
   * in the account's storage trie (EIP-1186 proofs of the latest state): the root node, then each
   * node its parent references by hash. Read from the committed nodes along the key's nibbles (a
   * block being committed is not in them, as it is not yet in the flat state), not from the state.
   */
  prove(address: bigint, slots: readonly bigint[]): TrieProof {
    const key = accountKey(address);
    const account = this.pathNodes(ACCOUNT_TRIE, key);
    return {
      accountProof: account.proof,
      storageRoot: account.leaf === undefined ? EMPTY_TRIE_ROOT_BYTES : storageRootOfLeaf(account.leaf),
      storageProofs: slots.map((slot) => this.pathNodes(key, slotKey(slot)).proof),
    };
  }

  /** The nodes from the root of `owner`'s trie towards `key` (32 bytes), as a proof lists them, and the key's leaf value. */
  private pathNodes(owner: Uint8Array, key: Uint8Array): { proof: Uint8Array[]; leaf?: Uint8Array } {
    const load = this.nodes.committedLoader(owner);
    const root = load(key, 0);
    // The empty trie's root is keccak(rlp("")): its one node is the empty string.
    if (root === undefined) return { proof: [EMPTY_RLP] };
    const proof = [root];
    let at = 0;
    for (let rlp = root; ; ) {
      const node = decodeNode(rlp);
      if (node.kind === "leaf") return hasNibbles(key, at, node.hp) ? { proof, leaf: node.value } : { proof };
      if (node.kind === "extension") {
        if (!hasNibbles(key, at, node.hp)) return { proof };
        at += hexPrefixLength(node.hp);
      } else {
        if (node.refs[keyNibble(key, at)] === undefined) return { proof };
        at++;
      }
      const next = load(key, at);
      if (next === undefined) throw new Error(`the state trie has no node at depth ${at} (the store is damaged)`);
      // A node under 32 bytes sits inside its parent's RLP, already in the proof.
      if (next.length >= 32) proof.push(next);
      rlp = next;
    }
  }

  /** The state root with every applied write (pending or written). */
  root(): bigint {
    return bytesToBigint(this.rootHash);
  }

  /** rootHash's 32 bytes. */
  rootBytes(): Uint8Array {
    return this.rootHash;
  }

  /**
   * Hands the pending nodes to one commit: the record its transaction writes (TrieLogWriter), then
   * `written` with its key once durable; meanwhile reads, and the next `apply`, see them.
   */
  seal(): TrieLogRecord {
    const record = this.nodes.seal();
    if (this.heldBytes() > this.cacheBytes) {
      // Over the cache's size: the storage tries go, the account trie keeps its upper levels (or nothing).
      for (const trie of this.storages.values()) this.forget(trie);
      this.storages.clear();
      this.accounts.unload(KEPT_DEPTH);
      if (this.accounts.heldBytes > this.cacheBytes) this.accounts.unload(0);
    }
    return record;
  }

  /** The commit of the record with `logKey` is durable: its nodes are read from the log from now on. */
  written(logKey: number): void {
    this.nodes.written(logKey);
  }

  /** Whether the log should be moved to the path tables (`mergeLog`). */
  mergeDue(): boolean {
    return this.nodes.mergeDue();
  }

  /**
   * Moves the logged nodes to the path tables, in a transaction of its own (trie-store.ts); `sync`: a
   * synchronous one; else worked out in `slices` (default: a few milliseconds each).
   */
  mergeLog(sync = false, slices?: Slices): Promise<void> {
    return this.nodes.mergeLog(sync, slices);
  }

  /** Forgets pending and sealed nodes after a failed commit, and goes back to the stored root. */
  discardPending(): void {
    this.nodes.discardPending();
    this.reload();
  }

  private heldBytes(): number {
    let bytes = this.accounts.heldBytes;
    for (const trie of this.storages.values()) bytes += trie.heldBytes;
    return bytes;
  }

  private heldNodes(): number {
    let nodes = this.accounts.heldNodes;
    for (const trie of this.storages.values()) nodes += trie.heldNodes;
    return nodes;
  }

  /** The decoded nodes held (estimated bytes), their limit, how often a walk found a node decoded, and the node log's size. */
  cacheStats(): TrieCacheStats {
    let { hits, misses } = this.accounts;
    hits += this.droppedHits;
    misses += this.droppedMisses;
    for (const trie of this.storages.values()) {
      hits += trie.hits;
      misses += trie.misses;
    }
    const log = this.nodes.logStats();
    return {
      bytes: this.heldBytes(),
      limitBytes: this.cacheBytes,
      nodes: this.heldNodes(),
      hits,
      misses,
      logCommits: log.commits,
      logPaths: log.paths,
    };
  }
}

/** Whether `key`'s nibbles from `at` start with the path of hex-prefix encoding `hp` (for a leaf: are it). */
function hasNibbles(key: Uint8Array, at: number, hp: Uint8Array): boolean {
  const n = hexPrefixLength(hp);
  if (at + n > 64) return false;
  for (let i = 0; i < n; i++) if (keyNibble(key, at + i) !== hexPrefixNibble(hp, i)) return false;
  return true;
}

function hasAny(items: Iterable<unknown>): boolean {
  for (const _ of items) return true;
  return false;
}
