// The state trie's nodes in LMDB, beside the flat state: the account trie in `trie/accounts` keyed
// by the node's packed nibble path, every storage trie in `trie/storage` keyed by keccak256(address)
// ++ packed path. Keying by path (as geth's path scheme and reth's trie tables do) means a node is
// overwritten where it changes and deleted where it vanishes: no reference counting, and one
// account's storage trie is one key range (a cleared storage is one range delete).
//
// Reads go pending writes → sealed batches → LMDB (the tries above keep what they decoded:
// state-trie.ts). A block's changed nodes stay pending until `seal` hands them to its commit, whose
// transaction writes them (`write`), so the trie on disk is always the flat state's; a sealed batch
// stays readable until its commit is durable (`written`), so that the next block's root can be
// computed while the previous block is still being written.
import type { Database } from "lmdb";
import type { LmdbState } from "../lmdb-state.js";
import { nibble } from "./node-codec.js";
import type { NodeLoader, TrieCommit } from "./path-trie.js";

/** The account trie's owner; a storage trie's is the hex of keccak256(address). */
export const ACCOUNT_TRIE = "";
/** Default size of the decoded nodes' cache (state-trie.ts). */
export const DEFAULT_CACHE_BYTES = 256 * 2 ** 20;
const VERSION_KEY = Buffer.from("version");

export interface TrieCacheStats {
  /** Bytes the decoded nodes take (estimated), and may take before the deeper ones are dropped. */
  bytes: number;
  limitBytes: number;
  nodes: number;
  /** Walks that found a node decoded, and nodes read from the store, since start. */
  hits: number;
  misses: number;
}

/** The LMDB key of the node at `path` of `owner`'s trie: owner bytes ++ packed nibbles ++ nibble count. */
export function nodeKey(owner: string | Uint8Array, path: string): Buffer {
  const ownerBytes = typeof owner === "string" ? Buffer.from(owner, "hex") : owner;
  const at = ownerBytes.length;
  const key = Buffer.allocUnsafe(at + ((path.length + 1) >> 1) + 1);
  key.set(ownerBytes, 0);
  let i = 0;
  for (; i + 1 < path.length; i += 2) key[at + (i >> 1)] = (nibble(path, i) << 4) | nibble(path, i + 1);
  if (i < path.length) key[at + (i >> 1)] = nibble(path, i) << 4;
  key[key.length - 1] = path.length;
  return key;
}

/** nodeKey(owner, path) where `path` is the first `depth` nibbles of `leafKey` (32 bytes): no string made. */
export function nodeKeyOfLeaf(owner: Uint8Array, leafKey: Uint8Array, depth: number): Buffer {
  const at = owner.length;
  const packed = (depth + 1) >> 1;
  const key = Buffer.allocUnsafe(at + packed + 1);
  key.set(owner, 0);
  key.set(leafKey.subarray(0, packed), at);
  if (depth & 1) key[at + packed - 1]! &= 0xf0;
  key[at + packed] = depth;
  return key;
}

/** One commit's changed nodes: by owner, then path (null: deleted), and the storage tries it cleared. */
export interface NodeBatch {
  readonly nodes: Map<string, Map<string, Uint8Array | null>>;
  readonly cleared: Set<string>;
}

export class TrieNodeStore {
  readonly accounts: Database<Uint8Array, Uint8Array>;
  readonly storage: Database<Uint8Array, Uint8Array>;
  private readonly meta: Database<Uint8Array, Uint8Array>;
  /** Uncommitted nodes by owner, then path; null: deleted. */
  private pending = new Map<string, Map<string, Uint8Array | null>>();
  /** Storage tries cleared since the last seal (their stored nodes are all gone). */
  private cleared = new Set<string>();
  /** Batches handed to commits not yet durable, oldest first: read after `pending`, before LMDB. */
  private sealed: NodeBatch[] = [];

  constructor(private readonly lmdb: LmdbState) {
    this.accounts = lmdb.database("trie/accounts");
    this.storage = lmdb.database("trie/storage");
    this.meta = lmdb.database("trie/meta");
  }

  /** The state version (LmdbState.stateVersion) the stored trie was last written at; undefined: none. */
  storedVersion(): bigint | undefined {
    const raw = this.meta.getBinary(VERSION_KEY);
    return raw === undefined ? undefined : Buffer.from(raw).readBigUInt64BE(0);
  }

  /** Records that the trie matches the state's current version; inside a write transaction. */
  markCurrent(): void {
    const v = Buffer.alloc(8);
    v.writeBigUInt64BE(this.lmdb.stateVersion());
    this.lmdb.put(this.meta, VERSION_KEY, v);
  }

  loader(owner: string): NodeLoader {
    return (path) => this.node(owner, path);
  }

  /** Reads the committed nodes only (what matches the committed flat state), not the pending ones. */
  committedLoader(owner: string): NodeLoader {
    return (path) => this.committed(owner, path);
  }

  private node(owner: string, path: string): Uint8Array | undefined {
    const staged = this.pending.get(owner)?.get(path);
    if (staged !== undefined) return staged ?? undefined;
    if (owner !== ACCOUNT_TRIE && this.cleared.has(owner)) return undefined;
    for (let i = this.sealed.length - 1; i >= 0; i--) {
      const batch = this.sealed[i]!;
      const node = batch.nodes.get(owner)?.get(path);
      if (node !== undefined) return node ?? undefined;
      if (owner !== ACCOUNT_TRIE && batch.cleared.has(owner)) return undefined;
    }
    return this.committed(owner, path);
  }

  private committed(owner: string, path: string): Uint8Array | undefined {
    const table = owner === ACCOUNT_TRIE ? this.accounts : this.storage;
    const raw = table.getBinary(nodeKey(owner, path));
    return raw === undefined ? undefined : new Uint8Array(raw);
  }

  /** Stages one trie's update. */
  stage(owner: string, commit: TrieCommit): void {
    let staged = this.pending.get(owner);
    if (staged === undefined) this.pending.set(owner, (staged = new Map()));
    for (const path of commit.deletes) staged.set(path, null);
    for (const [path, rlp] of commit.writes) staged.set(path, rlp);
  }

  /** Stages the removal of a whole storage trie (its account was deleted or its storage cleared). */
  clear(owner: string): void {
    this.pending.delete(owner);
    this.cleared.add(owner);
  }

  /**
   * Hands the staged nodes to one commit: later stages start a new batch, and reads still see this
   * one until `written` (or `discardPending`).
   */
  seal(): NodeBatch {
    const batch: NodeBatch = { nodes: this.pending, cleared: this.cleared };
    this.sealed.push(batch);
    this.pending = new Map();
    this.cleared = new Set();
    return batch;
  }

  /** Writes `batch` (from `seal`); inside the commit's write transaction. */
  write(batch: NodeBatch): void {
    for (const owner of batch.cleared) {
      const start = Buffer.from(owner, "hex");
      const end = Buffer.concat([start, Buffer.alloc(34, 0xff)]);
      const keys = Array.from(this.storage.getKeys({ start, end }));
      for (const k of keys) this.lmdb.remove(this.storage, k);
    }
    for (const [owner, staged] of batch.nodes) {
      const table = owner === ACCOUNT_TRIE ? this.accounts : this.storage;
      const ownerBytes = Buffer.from(owner, "hex");
      // In key order: each B-tree page is found once and filled in order (fewer page visits and splits).
      for (const path of [...staged.keys()].sort()) {
        const rlp = staged.get(path)!;
        const dbKey = nodeKey(ownerBytes, path);
        if (rlp === null) this.lmdb.remove(table, dbKey);
        else this.lmdb.put(table, dbKey, rlp);
      }
    }
    this.markCurrent();
  }

  /** `batch`'s commit is durable: its nodes are read from LMDB from now on. */
  written(batch: NodeBatch): void {
    this.sealed = this.sealed.filter((b) => b !== batch);
  }

  /** Drops the staged nodes and every sealed batch (a commit failed, and what was built on it). */
  discardPending(): void {
    this.pending = new Map();
    this.cleared = new Set();
    this.sealed = [];
  }
}
