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
import type { NodeLoader, TrieCommit } from "./path-trie.js";

/** The account trie's owner (no key prefix); a storage trie's is keccak256(address). */
export const ACCOUNT_TRIE: Uint8Array = new Uint8Array(0);
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

/**
 * The LMDB key of the node whose path is the first `depth` nibbles of `leafKey` (32 bytes) in
 * `owner`'s trie: owner bytes ++ packed nibbles ++ nibble count.
 */
export function nodeKeyOfLeaf(owner: Uint8Array, leafKey: Uint8Array, depth: number): Buffer {
  const key = Buffer.allocUnsafe(owner.length + ((depth + 1) >> 1) + 1);
  writeNodeKeyOfLeaf(key, owner, leafKey, depth);
  return key;
}

/** Writes nodeKeyOfLeaf's key at the start of `out` (room enough) and returns its length: no buffer made. */
export function writeNodeKeyOfLeaf(out: Uint8Array, owner: Uint8Array, leafKey: Uint8Array, depth: number): number {
  const at = owner.length;
  const packed = (depth + 1) >> 1;
  out.set(owner, 0);
  for (let i = 0; i < packed; i++) out[at + i] = leafKey[i]!;
  if (depth & 1) out[at + packed - 1]! &= 0xf0;
  out[at + packed] = depth;
  return at + packed + 1;
}

/** An owner's id in the batches' maps: its bytes as a latin1 string ("" for the account trie). */
function ownerId(owner: Uint8Array): string {
  return Buffer.from(owner.buffer, owner.byteOffset, owner.length).toString("latin1");
}

/** Paths of at most this many nibbles (nearly every node's) have a number for an id; up to SMALL_ID_NIBBLES a small integer. */
const NUMBER_ID_NIBBLES = 12;
const SMALL_ID_NIBBLES = 6;
/** Where the ids of 7 to 12 nibbles start (above every small one). */
const LARGE_IDS = 2 ** 30;

/**
 * A path's id in the batches' maps, made without allocating where it can be: up to 6 nibbles (the
 * upper levels, and the leaves of tries under about 16M keys), the 24 bits of the nibbles
 * left-aligned, times 8, plus the count: an integer below 2^27, which V8 keeps unboxed; up to 12,
 * LARGE_IDS plus the 48 bits of nibbles times 16 plus the count (exact below 2^53); deeper, its
 * packed node key as a latin1 string.
 */
export function pathId(key: Uint8Array, depth: number): PathId {
  if (depth > NUMBER_ID_NIBBLES) return nodeKeyOfLeaf(ACCOUNT_TRIE, key, depth).toString("latin1");
  const bits = depth * 4;
  let high = (key[0]! << 16) | (key[1]! << 8) | key[2]!;
  if (bits < 24) high &= 0xffffff & ~((1 << (24 - bits)) - 1);
  if (depth <= SMALL_ID_NIBBLES) return high * 8 + depth;
  let low = (key[3]! << 16) | (key[4]! << 8) | key[5]!;
  if (bits < 48) low &= 0xffffff & ~((1 << (48 - bits)) - 1);
  return LARGE_IDS + (high * 2 ** 24 + low) * 16 + depth;
}

export type PathId = number | string;

/** The LMDB key of the path whose id is `id` in the trie whose owner id is `owner`: nodeKeyOfLeaf's. */
export function nodeKeyOfId(owner: string, id: PathId): Buffer {
  if (typeof id === "string") return Buffer.from(owner + id, "latin1");
  const large = id >= LARGE_IDS;
  const depth = large ? (id - LARGE_IDS) % 16 : id % 8;
  // The nibbles, left-aligned in 48 bits.
  const nibbles = large ? Math.floor((id - LARGE_IDS) / 16) : Math.floor(id / 8) * 2 ** 24;
  const packed = (depth + 1) >> 1;
  const key = Buffer.allocUnsafe(owner.length + packed + 1);
  const at = key.write(owner, "latin1");
  for (let i = 0; i < packed; i++) key[at + i] = Math.floor(nibbles / 2 ** (40 - 8 * i)) & 0xff;
  key[at + packed] = depth;
  return key;
}

/** Number ids first in key order of their nibbles, then the deeper paths' string ids in byte order. */
function byKeyOrder(a: PathId, b: PathId): number {
  if (typeof a === "number") return typeof b === "number" ? a - b : -1;
  if (typeof b === "number") return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One commit's changed nodes: by owner id, then path id (null: deleted), and the storage tries it cleared. */
export interface NodeBatch {
  readonly nodes: Map<string, Map<PathId, Uint8Array | null>>;
  readonly cleared: Set<string>;
}

export class TrieNodeStore {
  readonly accounts: Database<Uint8Array, Uint8Array>;
  readonly storage: Database<Uint8Array, Uint8Array>;
  private readonly meta: Database<Uint8Array, Uint8Array>;
  /** Uncommitted nodes by owner id, then path id; null: deleted. */
  private pending = new Map<string, Map<PathId, Uint8Array | null>>();
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

  /** Reads `owner`'s trie (ACCOUNT_TRIE, or a storage trie's keccak256(address)), pending nodes first. */
  loader(owner: Uint8Array): NodeLoader {
    const id = ownerId(owner);
    return (key, depth) => this.node(owner, id, key, depth);
  }

  /** Reads the committed nodes only (what matches the committed flat state), not the pending ones. */
  committedLoader(owner: Uint8Array): NodeLoader {
    return (key, depth) => this.committed(owner, key, depth);
  }

  private node(owner: Uint8Array, id: string, key: Uint8Array, depth: number): Uint8Array | undefined {
    const path = pathId(key, depth);
    const staged = this.pending.get(id)?.get(path);
    if (staged !== undefined) return staged ?? undefined;
    if (id !== "" && this.cleared.has(id)) return undefined;
    for (let i = this.sealed.length - 1; i >= 0; i--) {
      const batch = this.sealed[i]!;
      const node = batch.nodes.get(id)?.get(path);
      if (node !== undefined) return node ?? undefined;
      if (id !== "" && batch.cleared.has(id)) return undefined;
    }
    return this.committed(owner, key, depth);
  }

  private committed(owner: Uint8Array, key: Uint8Array, depth: number): Uint8Array | undefined {
    const table = owner.length === 0 ? this.accounts : this.storage;
    const raw = table.getBinary(nodeKeyOfLeaf(owner, key, depth));
    // getBinary's bytes are already a copy out of LMDB's map: viewed as a plain Uint8Array, not copied again.
    return raw === undefined ? undefined : new Uint8Array(raw.buffer, raw.byteOffset, raw.length);
  }

  /** Stages one trie's update. */
  stage(owner: Uint8Array, commit: TrieCommit): void {
    const id = ownerId(owner);
    let staged = this.pending.get(id);
    if (staged === undefined) this.pending.set(id, (staged = new Map()));
    // Deletes first: a path vacated and written again in one commit holds the new node.
    for (const { key, depth } of commit.deletes) staged.set(pathId(key, depth), null);
    for (const { key, depth, rlp } of commit.writes) staged.set(pathId(key, depth), rlp);
  }

  /** Stages the removal of a whole storage trie (its account was deleted or its storage cleared). */
  clear(owner: Uint8Array): void {
    const id = ownerId(owner);
    this.pending.delete(id);
    this.cleared.add(id);
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
      const start = Buffer.from(owner, "latin1");
      const end = Buffer.concat([start, Buffer.alloc(34, 0xff)]);
      const keys = Array.from(this.storage.getKeys({ start, end }));
      for (const k of keys) this.lmdb.remove(this.storage, k);
    }
    for (const [owner, staged] of batch.nodes) {
      const table = owner === "" ? this.accounts : this.storage;
      // Near key order: each B-tree page is found once and filled in order (fewer page visits and splits).
      for (const path of [...staged.keys()].sort(byKeyOrder)) {
        const rlp = staged.get(path)!;
        const dbKey = nodeKeyOfId(owner, path);
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
