// The state trie's nodes in LMDB, beside the flat state: the account trie in `trie/accounts` keyed
// by the node's packed nibble path, every storage trie in `trie/storage` keyed by keccak256(address)
// ++ packed path. Keying by path (as geth's path scheme and reth's trie tables do) means a node is
// overwritten where it changes and deleted where it vanishes: no reference counting, and one
// account's storage trie is one key range (a cleared storage is one range delete).
//
// Reads go pending writes → sealed batches → logged batches → LMDB's path tables (the tries above
// keep what they decoded: state-trie.ts). A block's changed nodes stay pending until `seal` hands
// them to its commit as one record of `trie/log` (node-log.ts), which that commit's transaction
// writes (TrieLogWriter), so the trie on disk is always the flat state's; a sealed batch stays
// readable until its commit is durable (`written`), so that the next block's root can be computed
// while the previous block is still being written. The thread that owns the trie need not be the
// one that commits: the record is bytes (root-worker.ts).
//
// Once the log holds LOG_COMMITS commits (or LOG_PATHS paths), `mergeLog` writes its nodes to the
// path tables and removes its records, in a transaction of its own, outside every block's: a node
// changed by several of those commits (the upper levels, every block) is written there once. The
// logged batches are read from memory, merged; an open reads the log back (at most LOG_PATHS paths).
import type { Database } from "lmdb";
import { runInSlices, runWhole, type Slices } from "../../primitives/slices.js";
import type { LmdbState } from "../lmdb-state.js";
import { branchRecord, embeddedLeaf, nibbleInParent, nodeLength } from "./branch-record.js";
import { branchChildren, nodeKind } from "./node-codec.js";
import { batchPaths, decodeNodeLog, emptyBatch, encodeNodeLog, isEmptyBatch, mergeBatch } from "./node-log.js";
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
/** A merge works out its writes this many milliseconds at a time (a block's root waits at most that long). */
const MERGE_SLICES: Slices = { ms: 4, pause: () => new Promise<void>((resolve) => setImmediate(resolve)) };
/** Nodes between a merge's checks of the clock (a power of two). */
const MERGE_STEP_NODES = 256;

/** One write of a merge: a put, or a remove where `value` is undefined. */
interface TableWrite {
  table: Database<Uint8Array, Uint8Array>;
  key: Uint8Array;
  value: Uint8Array | undefined;
}

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

/** An owner's id in the batches' maps (and the tries' by owner): its bytes as a latin1 string ("" for the account trie). */
export function ownerId(owner: Uint8Array): string {
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

/** Writes the nibbles of node key `dbKey` (after its owner's `at` bytes) into `path` (32 bytes, zeros after them); returns its depth. */
function pathOfKey(dbKey: Uint8Array, at: number, path: Uint8Array): number {
  const depth = dbKey[dbKey.length - 1]!;
  path.fill(0);
  path.set(dbKey.subarray(at, dbKey.length - 1), 0);
  return depth;
}

/** Sets nibble `i` of `key` to `v`, clearing the nibbles after it (a child's path under its branch). */
function setKeyNibble(key: Uint8Array, i: number, v: number): void {
  const byte = i >> 1;
  key[byte] = i & 1 ? (key[byte]! & 0xf0) | v : v << 4;
  key.fill(0, byte + 1);
}

/** A copy of the first `n` bytes of `raw` (lmdb-js's reused read buffer) as a plain Uint8Array. */
function copied(raw: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(n);
  if (n <= 64) for (let i = 0; i < n; i++) out[i] = raw[i]!;
  else out.set(new Uint8Array(raw.buffer, raw.byteOffset, n));
  return out;
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

/** A batch handed to one commit, and the key of the log record that commit writes (`TrieLogWriter`). */
export interface SealedBatch extends NodeBatch {
  readonly logKey: number;
}

/**
 * What a commit writes of the trie, in its own transaction (`TrieLogWriter.write`): the sealed
 * nodes as one `trie/log` record (none where nothing changed) under `logKey`. Bytes only: it may
 * come from another thread (root-worker.ts).
 */
export interface TrieLogRecord {
  logKey: number;
  record: Uint8Array | undefined;
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

/** The 8-byte key of log record `n` (big-endian: the log's key order is its commit order). */
function logKeyBytes(n: number): Buffer {
  const key = Buffer.alloc(8);
  key.writeBigUInt64BE(BigInt(n));
  return key;
}

/** Records that the stored trie matches the state version being committed; inside that commit's transaction. */
function markCurrent(lmdb: LmdbState, meta: Database<Uint8Array, Uint8Array>): void {
  const v = Buffer.alloc(8);
  v.writeBigUInt64BE(lmdb.stateVersion());
  lmdb.put(meta, VERSION_KEY, v);
}

/** Writes a commit's trie record (`TrieLogRecord`) inside that commit's transaction; on the thread that commits. */
export class TrieLogWriter {
  private readonly log: Database<Uint8Array, Uint8Array>;
  private readonly meta: Database<Uint8Array, Uint8Array>;

  constructor(private readonly lmdb: LmdbState) {
    this.log = lmdb.database("trie/log");
    this.meta = lmdb.database("trie/meta");
  }

  write(commit: TrieLogRecord): void {
    if (commit.record !== undefined) this.lmdb.put(this.log, logKeyBytes(commit.logKey), commit.record);
    markCurrent(this.lmdb, this.meta);
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
  /** Batches handed to commits not yet durable, oldest first: read after `pending`, before the log. */
  private sealed: SealedBatch[] = [];
  /** The logged batches, merged (read after the sealed ones); undefined until the log is first read. */
  private logged: NodeBatch | undefined;
  private loggedCommits = 0;
  private loggedPaths = 0;
  /** The newest logged record's key (0: none). */
  private lastLoggedKey = 0;
  /** The logged batches being written to the path tables (read after `logged`), and that write. */
  private merging: { batch: NodeBatch; done: Promise<void> } | undefined;
  /** The next log record's key: above every key in the log (never reused, so a failed commit's records are never overwritten). */
  private nextLogKey = 1;
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
      this.lastLoggedKey = Number(Buffer.from(key).readBigUInt64BE(0));
      this.nextLogKey = this.lastLoggedKey + 1;
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
    markCurrent(this.lmdb, this.meta);
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

  /** A committed node: logged, else being merged, else in the path tables. */
  private durable(owner: Uint8Array, id: string, path: PathId, key: Uint8Array, depth: number): Uint8Array | undefined {
    const logged = this.loggedNodes();
    let node = logged.nodes.get(id)?.get(path);
    if (node !== undefined) return node ?? undefined;
    if (id !== "" && logged.cleared.has(id)) return undefined;
    const merging = this.merging?.batch;
    if (merging !== undefined) {
      node = merging.nodes.get(id)?.get(path);
      if (node !== undefined) return node ?? undefined;
      if (id !== "" && merging.cleared.has(id)) return undefined;
    }
    return this.committed(owner, key, depth);
  }

  private committed(owner: Uint8Array, key: Uint8Array, depth: number): Uint8Array | undefined {
    const table = owner.length === 0 ? this.accounts : this.storage;
    // The key written into one buffer and passed as a view made once per length (lmdb-js copies a
    // key before it looks it up); the value read into lmdb-js's reused buffer and copied out once,
    // into a plain Uint8Array (getBinary's copy is a Buffer of its own off-heap store, which the
    // decoded node's views would then wrap again).
    const raw = table.getBinaryFast(READ_KEYS[writeNodeKeyOfLeaf(READ_KEY, owner, key, depth)]!);
    if (raw !== undefined) return copied(raw, nodeLength(raw));
    if (depth === 0) return undefined;
    // A leaf under a branch is in the branch's record (branch-record.ts).
    const parent = table.getBinaryFast(READ_KEYS[writeNodeKeyOfLeaf(READ_KEY, owner, key, depth - 1)]!);
    const leaf = parent === undefined ? undefined : embeddedLeaf(parent, nibbleInParent(key, depth));
    return leaf === undefined ? undefined : copied(leaf, leaf.length);
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
   * Hands the staged nodes to one commit, with the log record it writes: later stages start a new
   * batch, and reads still see this one until `written` (or `discardPending`).
   */
  seal(): TrieLogRecord {
    this.loggedNodes(); // the log's keys are known before one is handed out
    const batch: SealedBatch = { nodes: this.pending, cleared: this.cleared, logKey: this.nextLogKey++ };
    this.sealed.push(batch);
    this.pending = new Map();
    this.cleared = new Set();
    return { logKey: batch.logKey, record: isEmptyBatch(batch) ? undefined : encodeNodeLog(batch) };
  }

  /** The commit of the sealed batch with `logKey` is durable: its nodes are read from the log from now on. */
  written(logKey: number): void {
    const at = this.sealed.findIndex((b) => b.logKey === logKey);
    if (at < 0) throw new Error(`trie log record ${logKey} was not sealed, or was written already`);
    const [batch] = this.sealed.splice(at, 1);
    if (isEmptyBatch(batch!)) return;
    const logged = this.loggedNodes();
    mergeBatch(logged, batch!);
    this.loggedCommits++;
    this.loggedPaths = batchPaths(logged);
    this.lastLoggedKey = logKey;
  }

  /** Whether the log holds enough to be written to the path tables (`mergeLog`). */
  mergeDue(): boolean {
    this.loggedNodes();
    return this.loggedCommits >= LOG_COMMITS || this.loggedPaths > LOG_PATHS;
  }

  /**
   * Writes the logged nodes to the path tables and removes their records from the log, in one
   * transaction of its own (not a block's: the log is durable and this is idempotent, so a crash
   * before it leaves the log to be read again). Reads keep seeing the nodes meanwhile. One at a time.
   * The writes are worked out first, a few milliseconds at a time with a turn of the event loop
   * between (some 50,000 paths take 150-250 ms, which a block's root would otherwise wait for), then
   * committed as one batch. `sync` (a close): whole, in a synchronous transaction on this thread.
   */
  async mergeLog(sync = false, slices: Slices = MERGE_SLICES): Promise<void> {
    while (this.merging !== undefined) await this.merging.done;
    const batch = this.loggedNodes();
    if (this.loggedCommits === 0) return;
    const upTo = logKeyBytes(this.lastLoggedKey);
    const commits = this.loggedCommits;
    this.logged = emptyBatch();
    this.loggedCommits = 0;
    this.loggedPaths = 0;
    let settle!: () => void;
    // Set before the first pause: reads find the batch's nodes here until they are in the tables.
    this.merging = { batch, done: new Promise<void>((resolve) => (settle = resolve)) };
    try {
      const writes: TableWrite[] = [];
      const steps = this.tableWrites(batch, writes);
      if (sync) runWhole(steps);
      else await runInSlices(steps, slices);
      for (const k of Array.from(this.log.getKeys({ end: Buffer.concat([upTo, Buffer.of(0)]) }))) {
        writes.push({ table: this.log, key: k as Uint8Array, value: undefined });
      }
      const stage = () => {
        for (const w of writes) {
          if (w.value === undefined) this.lmdb.remove(w.table, w.key);
          else this.lmdb.put(w.table, w.key, w.value);
        }
      };
      if (sync) this.lmdb.writeAsideSync(stage);
      else await this.lmdb.writeAside(stage);
    } catch (error) {
      // Still logged: read as before, written with the next merge.
      mergeBatch(batch, this.logged);
      this.logged = batch;
      this.loggedCommits += commits;
      this.loggedPaths = batchPaths(batch);
      throw error;
    } finally {
      this.merging = undefined;
      settle();
    }
  }

  /**
   * The path tables' writes for `batch`'s nodes (its cleared storage tries first), into `writes`,
   * yielding now and then. A leaf whose branch is in the batch goes into that branch's record, which
   * keeps the leaves it held that the batch leaves alone (branch-record.ts). The tables are read as
   * they are before the writes (merges run one at a time; nothing else writes them).
   */
  private *tableWrites(batch: NodeBatch, writes: TableWrite[]): Generator<void, void, undefined> {
    const remove = (table: Database<Uint8Array, Uint8Array>, key: Uint8Array) =>
      void writes.push({ table, key, value: undefined });
    for (const owner of batch.cleared) {
      const start = Buffer.from(owner, "latin1");
      const end = Buffer.concat([start, Buffer.alloc(34, 0xff)]);
      for (const k of Array.from(this.storage.getKeys({ start, end }))) remove(this.storage, k);
      yield;
    }
    const path = new Uint8Array(32);
    for (const [owner, staged] of batch.nodes) {
      const table = owner === "" ? this.accounts : this.storage;
      const ownerBytes = Buffer.from(owner, "latin1");
      const cleared = batch.cleared.has(owner);
      // Near key order: each B-tree page is found once and filled in order (fewer page visits and splits).
      const ids = [...staged.keys()].sort(byKeyOrder);
      yield;
      for (let i = 0; i < ids.length; i++) {
        if ((i & (MERGE_STEP_NODES - 1)) === MERGE_STEP_NODES - 1) yield;
        const id = ids[i]!;
        const node = staged.get(id)!;
        const dbKey = nodeKeyOfIdIn(ownerBytes, id);
        if (node === null) {
          remove(table, dbKey);
          continue;
        }
        const depth = pathOfKey(dbKey, ownerBytes.length, path);
        const kind = nodeKind(node);
        if (depth > 0 && kind === "leaf") {
          const parent = staged.get(pathId(path, depth - 1));
          if (parent != null && nodeKind(parent) === "branch") {
            // Where a node of its own was (an extension or branch that collapsed into this leaf).
            remove(table, dbKey);
            continue;
          }
        }
        if (kind !== "branch") {
          writes.push({ table, key: dbKey, value: node });
          continue;
        }
        const held = cleared ? undefined : table.getBinary(dbKey);
        const leaves: (Uint8Array | undefined)[] = new Array(16);
        const present = branchChildren(node);
        for (let n = 0; n < 16; n++) {
          if ((present & (1 << n)) === 0) continue;
          setKeyNibble(path, depth, n);
          const child = staged.get(pathId(path, depth + 1));
          if (child === undefined) leaves[n] = held === undefined ? undefined : embeddedLeaf(held, n);
          else if (child !== null && nodeKind(child) === "leaf") leaves[n] = child;
        }
        writes.push({ table, key: dbKey, value: branchRecord(node, leaves) });
      }
    }
  }

  /** Drops the staged nodes and every sealed batch (a commit failed, and what was built on it). */
  discardPending(): void {
    this.pending = new Map();
    this.cleared = new Set();
    this.sealed = [];
  }
}
