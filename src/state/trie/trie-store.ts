// The state trie's nodes in LMDB, beside the flat state: the account trie in `trie/accounts` keyed
// by the node's packed nibble path, every storage trie in `trie/storage` keyed by keccak256(address)
// ++ packed path. Keying by path (as geth's path scheme and reth's trie tables do) means a node is
// overwritten where it changes and deleted where it vanishes: no reference counting, and one
// account's storage trie is one key range (a cleared storage is one range delete).
//
// Reads go pending writes → sealed batches → logged batches → LMDB's path tables (the tries above
// keep what they decoded: state-trie.ts). A block's changed nodes stay pending until `seal` hands
// them to its commit, whose transaction writes them (`write`), so the trie on disk is always the
// flat state's; a sealed batch stays readable until its commit is durable (`written`), so that the
// next block's root can be computed while the previous block is still being written.
//
// A commit writes its nodes as one record of `trie/log` (node-log.ts), and every so many commits
// (LOG_COMMITS, or LOG_PATHS paths) the logged nodes and its own go to the path tables instead, the
// log emptied in the same transaction. The logged batches are read from memory, merged; an open reads
// the log back (at most LOG_PATHS paths).
import type { Database } from "lmdb";
import type { LmdbState } from "../lmdb-state.js";
import { batchPaths, decodeNodeLog, emptyBatch, encodeNodeLog, mergeBatch } from "./node-log.js";
import type { NodeLoader, NodeSink } from "./path-trie.js";

/** The account trie's owner (no key prefix); a storage trie's is keccak256(address). */
export const ACCOUNT_TRIE: Uint8Array = new Uint8Array(0);
/** Default size of the decoded nodes' cache (state-trie.ts). */
export const DEFAULT_CACHE_BYTES = 256 * 2 ** 20;
const VERSION_KEY = Buffer.from("version");
/** Commits logged, at most, before one writes the path tables (the nodes of every block changing the upper levels: written once per this many). */
const LOG_COMMITS = 16;
/** Paths logged, at most (some 300 bytes each and their map entries, held in memory until written to the path tables: about 40 MB). */
const LOG_PATHS = 96_000;
/** Room for the longest node key (a 32-byte owner, 32 bytes of nibbles, the count), and a view of each length. */
const READ_KEY = Buffer.alloc(65);
const READ_KEYS = Array.from({ length: READ_KEY.length + 1 }, (_, n) => READ_KEY.subarray(0, n));

export interface TrieCacheStats {
  /** Bytes the decoded nodes take (estimated), and may take before the deeper ones are dropped. */
  bytes: number;
  limitBytes: number;
  nodes: number;
  /** Walks that found a node decoded, and nodes read from the store, since start. */
  hits: number;
  misses: number;
  /** Commits whose nodes sit in `trie/log` (and in memory) until the next write of the path tables, and their paths. */
  logCommits: number;
  logPaths: number;
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
  return nodeKeyOfIdIn(Buffer.from(owner, "latin1"), id);
}

/** nodeKeyOfId of the owner's bytes (made once per owner when a batch is written, not once per node). */
function nodeKeyOfIdIn(owner: Buffer, id: PathId): Buffer {
  if (typeof id === "string") {
    const key = Buffer.allocUnsafe(owner.length + id.length);
    owner.copy(key, 0);
    key.write(id, owner.length, "latin1");
    return key;
  }
  const large = id >= LARGE_IDS;
  const depth = large ? (id - LARGE_IDS) % 16 : id % 8;
  // The nibbles, left-aligned in 48 bits: the high 24 and the low 24.
  const nibbles = large ? Math.floor((id - LARGE_IDS) / 16) : Math.floor(id / 8) * 2 ** 24;
  const high = Math.floor(nibbles / 2 ** 24);
  const low = nibbles - high * 2 ** 24;
  const packed = (depth + 1) >> 1;
  const at = owner.length;
  const key = Buffer.allocUnsafe(at + packed + 1);
  for (let i = 0; i < at; i++) key[i] = owner[i]!;
  for (let i = 0; i < packed; i++) key[at + i] = i < 3 ? (high >> (16 - 8 * i)) & 0xff : (low >> (40 - 8 * i)) & 0xff;
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
  /** How `write` stored it: as a log record, or with the logged batches into the path tables. */
  storedAs?: "log" | "tables";
}

/** One trie's staged nodes as a commit hands them over (its vacated paths come first). */
class StagedNodes implements NodeSink {
  constructor(private readonly staged: Map<PathId, Uint8Array | null>) {}

  vacate(key: Uint8Array, depth: number): void {
    this.staged.set(pathId(key, depth), null);
  }

  write(key: Uint8Array, depth: number, rlp: Uint8Array): void {
    this.staged.set(pathId(key, depth), rlp);
  }
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
  /** The logged batches, merged (read after the sealed ones); undefined until the log is first read. */
  private logged: NodeBatch | undefined;
  private loggedCommits = 0;
  private loggedPaths = 0;
  /** The next log record's key: above every key in the log (never reused, so a failed commit's records are never overwritten). */
  private nextLogKey = 1n;
  readonly log: Database<Uint8Array, Uint8Array>;

  constructor(private readonly lmdb: LmdbState) {
    this.accounts = lmdb.database("trie/accounts");
    this.storage = lmdb.database("trie/storage");
    this.meta = lmdb.database("trie/meta");
    this.log = lmdb.database("trie/log");
  }

  /** Commits and paths in the log now (none read yet: none counted). */
  logStats(): { commits: number; paths: number } {
    return { commits: this.loggedCommits, paths: this.loggedPaths };
  }

  /** The logged batches, read from the log at first use (a bulk load, which empties it, reads nothing). */
  private loggedNodes(): NodeBatch {
    if (this.logged !== undefined) return this.logged;
    const logged = emptyBatch();
    let commits = 0;
    // Keys count up (big-endian): oldest first.
    for (const { key, value } of this.log.getRange({})) {
      mergeBatch(logged, decodeNodeLog(Buffer.from(value)));
      commits++;
      this.nextLogKey = Buffer.from(key).readBigUInt64BE(0) + 1n;
    }
    this.loggedCommits = commits;
    this.loggedPaths = batchPaths(logged);
    this.logged = logged;
    return logged;
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
    const id = ownerId(owner);
    return (key, depth) => this.durable(owner, id, pathId(key, depth), key, depth);
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
    return this.durable(owner, id, path, key, depth);
  }

  /** A committed node: logged, else in the path tables. */
  private durable(owner: Uint8Array, id: string, path: PathId, key: Uint8Array, depth: number): Uint8Array | undefined {
    const logged = this.loggedNodes();
    const node = logged.nodes.get(id)?.get(path);
    if (node !== undefined) return node ?? undefined;
    if (id !== "" && logged.cleared.has(id)) return undefined;
    return this.committed(owner, key, depth);
  }

  private committed(owner: Uint8Array, key: Uint8Array, depth: number): Uint8Array | undefined {
    const table = owner.length === 0 ? this.accounts : this.storage;
    // The key written into one buffer and passed as a view made once per length (lmdb-js copies a
    // key before it looks it up); the value read into lmdb-js's reused buffer and copied out once,
    // into a plain Uint8Array (getBinary's copy is a Buffer of its own off-heap store, which the
    // decoded node's views would then wrap again).
    const raw = table.getBinaryFast(READ_KEYS[writeNodeKeyOfLeaf(READ_KEY, owner, key, depth)]!);
    if (raw === undefined) return undefined;
    const n = raw.length;
    const rlp = new Uint8Array(n);
    if (n <= 64) for (let i = 0; i < n; i++) rlp[i] = raw[i]!;
    else rlp.set(new Uint8Array(raw.buffer, raw.byteOffset, n));
    return rlp;
  }

  /** Stages one trie's update: what its commit (PathTrie.commit) tells the sink. */
  stage(owner: Uint8Array): NodeSink {
    const id = ownerId(owner);
    let staged = this.pending.get(id);
    if (staged === undefined) this.pending.set(id, (staged = new Map()));
    return new StagedNodes(staged);
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

  /**
   * Writes `batch` (from `seal`); inside the commit's write transaction: as a log record, or (every
   * so many commits, or `toTables`) with the logged nodes into the path tables, the log emptied.
   */
  write(batch: NodeBatch, toTables = false): void {
    const logged = this.loggedNodes();
    const paths = batchPaths(batch);
    // The logged nodes are only those of commits already durable where no older batch is in flight.
    const alone = this.sealed[0] === batch;
    const full = this.loggedCommits >= LOG_COMMITS || this.loggedPaths + paths > LOG_PATHS;
    if (alone && (toTables || full)) {
      this.writeTables(logged.nodes, logged.cleared, batch);
      const keys = Array.from(this.log.getKeys({}));
      for (const k of keys) this.lmdb.remove(this.log, k as Uint8Array);
      batch.storedAs = "tables";
    } else if (paths > 0 || batch.cleared.size > 0) {
      const key = Buffer.alloc(8);
      key.writeBigUInt64BE(this.nextLogKey++);
      this.lmdb.put(this.log, key, encodeNodeLog(batch));
      batch.storedAs = "log";
    }
    this.markCurrent();
  }

  /** Writes the logged nodes (`nodes`, `cleared`: not changed here), then `batch` over them, to the path tables. */
  private writeTables(
    nodes: Map<string, Map<PathId, Uint8Array | null>>,
    cleared: Set<string>,
    batch: NodeBatch,
  ): void {
    for (const owner of new Set([...cleared, ...batch.cleared])) {
      const start = Buffer.from(owner, "latin1");
      const end = Buffer.concat([start, Buffer.alloc(34, 0xff)]);
      const keys = Array.from(this.storage.getKeys({ start, end }));
      for (const k of keys) this.lmdb.remove(this.storage, k);
    }
    const owners = new Map<string, Map<PathId, Uint8Array | null>>();
    for (const [owner, staged] of nodes) if (!batch.cleared.has(owner)) owners.set(owner, staged);
    for (const [owner, staged] of batch.nodes) {
      const held = owners.get(owner);
      if (held === undefined) owners.set(owner, staged);
      else {
        const both = new Map(held);
        for (const [path, rlp] of staged) both.set(path, rlp);
        owners.set(owner, both);
      }
    }
    for (const [owner, staged] of owners) {
      const table = owner === "" ? this.accounts : this.storage;
      const ownerBytes = Buffer.from(owner, "latin1");
      // Near key order: each B-tree page is found once and filled in order (fewer page visits and splits).
      for (const path of [...staged.keys()].sort(byKeyOrder)) {
        const rlp = staged.get(path)!;
        const dbKey = nodeKeyOfIdIn(ownerBytes, path);
        if (rlp === null) this.lmdb.remove(table, dbKey);
        else this.lmdb.put(table, dbKey, rlp);
      }
    }
  }

  /** `batch`'s commit is durable: its nodes are read from the log or the path tables from now on. */
  written(batch: NodeBatch): void {
    this.sealed = this.sealed.filter((b) => b !== batch);
    if (batch.storedAs === "tables") {
      this.logged = emptyBatch();
      this.loggedCommits = 0;
      this.loggedPaths = 0;
    } else if (batch.storedAs === "log") {
      const logged = this.loggedNodes();
      mergeBatch(logged, batch);
      this.loggedCommits++;
      this.loggedPaths = batchPaths(logged);
    }
  }

  /** Whether the log holds commits while nothing is staged or sealed (`write` of an empty batch then only empties it). */
  logOnly(): boolean {
    this.loggedNodes();
    const staged = this.pending.size > 0 || this.cleared.size > 0 || this.sealed.length > 0;
    return this.loggedCommits > 0 && !staged;
  }

  /** Drops the staged nodes and every sealed batch (a commit failed, and what was built on it). */
  discardPending(): void {
    this.pending = new Map();
    this.cleared = new Set();
    this.sealed = [];
  }
}
