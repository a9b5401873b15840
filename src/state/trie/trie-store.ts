// The state trie's nodes in LMDB, beside the flat state: the account trie in `trie/accounts` keyed
// by the node's packed nibble path, every storage trie in `trie/storage` keyed by keccak256(address)
// ++ packed path. Keying by path (as geth's path scheme and reth's trie tables do) means a node is
// overwritten where it changes and deleted where it vanishes: no reference counting, and one
// account's storage trie is one key range (a cleared storage is one range delete).
//
// Reads go pending writes → a bounded LRU cache of node RLPs (the upper levels stay in it, being on
// every path) → LMDB. A block's changed nodes stay pending until `writePending`, which runs inside
// the block's commit transaction, so the trie on disk is always the flat state's.
import type { Database } from "lmdb";
import type { LmdbState } from "../lmdb-state.js";
import type { NodeLoader, TrieCommit } from "./path-trie.js";

/** The account trie's owner; a storage trie's is the hex of keccak256(address). */
export const ACCOUNT_TRIE = "";
/** What one cached node costs beyond its key and RLP (the Map entry, the string and array headers). */
const ENTRY_OVERHEAD = 160;
/** Default cache size. */
export const DEFAULT_CACHE_BYTES = 256 * 2 ** 20;
const VERSION_KEY = Buffer.from("version");

export interface TrieCacheStats {
  /** Bytes the cache holds (estimated) and may hold. */
  bytes: number;
  limitBytes: number;
  nodes: number;
  hits: number;
  misses: number;
}

/** The LMDB key of the node at `path` of `owner`'s trie: owner bytes ++ packed nibbles ++ nibble count. */
export function nodeKey(owner: string, path: string): Buffer {
  const ownerBytes = owner.length >> 1;
  const packed = (path.length + 1) >> 1;
  const key = Buffer.alloc(ownerBytes + packed + 1);
  if (ownerBytes > 0) key.write(owner, 0, "hex");
  key.write(path.length & 1 ? `${path}0` : path, ownerBytes, "hex");
  key[ownerBytes + packed] = path.length;
  return key;
}

export class TrieNodeStore {
  readonly accounts: Database<Uint8Array, Uint8Array>;
  readonly storage: Database<Uint8Array, Uint8Array>;
  private readonly meta: Database<Uint8Array, Uint8Array>;
  private readonly cache = new Map<string, Uint8Array>();
  private cacheBytes = 0;
  private hits = 0;
  private misses = 0;
  /** Uncommitted nodes by cache key (owner:path); null: deleted. */
  private pending = new Map<string, Uint8Array | null>();
  /** Storage tries cleared since the last write (their stored nodes are all gone). */
  private cleared = new Set<string>();

  constructor(
    private readonly lmdb: LmdbState,
    readonly limitBytes: number = DEFAULT_CACHE_BYTES,
  ) {
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
    this.meta.putSync(VERSION_KEY, v);
  }

  loader(owner: string): NodeLoader {
    return (path) => this.node(owner, path);
  }

  private node(owner: string, path: string): Uint8Array | undefined {
    const key = `${owner}:${path}`;
    const staged = this.pending.get(key);
    if (staged !== undefined) return staged ?? undefined;
    if (owner !== ACCOUNT_TRIE && this.cleared.has(owner)) return undefined;
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      this.hits++;
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    this.misses++;
    const table = owner === ACCOUNT_TRIE ? this.accounts : this.storage;
    const raw = table.getBinary(nodeKey(owner, path));
    if (raw === undefined) return undefined;
    const rlp = new Uint8Array(raw);
    this.remember(key, rlp);
    return rlp;
  }

  private remember(key: string, rlp: Uint8Array): void {
    const old = this.cache.get(key);
    if (old !== undefined) this.forget(key, old);
    this.cache.set(key, rlp);
    this.cacheBytes += key.length + rlp.length + ENTRY_OVERHEAD;
    while (this.cacheBytes > this.limitBytes && this.cache.size > 0) {
      const [oldest, value] = this.cache.entries().next().value as [string, Uint8Array];
      this.forget(oldest, value);
    }
  }

  private forget(key: string, rlp: Uint8Array): void {
    this.cache.delete(key);
    this.cacheBytes -= key.length + rlp.length + ENTRY_OVERHEAD;
  }

  /** Stages one trie's update. */
  stage(owner: string, commit: TrieCommit): void {
    for (const path of commit.deletes) this.pending.set(`${owner}:${path}`, null);
    for (const [path, rlp] of commit.writes) this.pending.set(`${owner}:${path}`, rlp);
  }

  /** Stages the removal of a whole storage trie (its account was deleted or its storage cleared). */
  clear(owner: string): void {
    const prefix = `${owner}:`;
    for (const key of this.pending.keys()) if (key.startsWith(prefix)) this.pending.delete(key);
    this.cleared.add(owner);
  }

  /** Writes the staged nodes; inside the commit's write transaction. Also moves them into the cache. */
  writePending(): void {
    for (const owner of this.cleared) {
      const start = Buffer.from(owner, "hex");
      const end = Buffer.concat([start, Buffer.alloc(34, 0xff)]);
      const keys = Array.from(this.storage.getKeys({ start, end }));
      for (const k of keys) this.storage.removeSync(k);
      const prefix = `${owner}:`;
      for (const [key, value] of this.cache) if (key.startsWith(prefix)) this.forget(key, value);
    }
    for (const [key, rlp] of this.pending) {
      const colon = key.indexOf(":");
      const owner = key.slice(0, colon);
      const table = owner === ACCOUNT_TRIE ? this.accounts : this.storage;
      const dbKey = nodeKey(owner, key.slice(colon + 1));
      if (rlp === null) {
        table.removeSync(dbKey);
        const old = this.cache.get(key);
        if (old !== undefined) this.forget(key, old);
      } else {
        table.putSync(dbKey, rlp);
        this.remember(key, rlp);
      }
    }
    this.markCurrent();
    this.pending = new Map();
    this.cleared = new Set();
  }

  /** Drops the staged nodes and the cache (a commit failed: what it cached may not be on disk). */
  discardPending(): void {
    this.pending = new Map();
    this.cleared = new Set();
    this.cache.clear();
    this.cacheBytes = 0;
  }

  stats(): TrieCacheStats {
    return {
      bytes: this.cacheBytes,
      limitBytes: this.limitBytes,
      nodes: this.cache.size,
      hits: this.hits,
      misses: this.misses,
    };
  }
}
