// The world state as flat key/value tables in one embedded LMDB environment (the `lmdb` package):
// blocks persist atomically, survive kill -9, and any worker thread can open the same environment
// read-only and serve `Host` reads synchronously straight from the shared memory map.
//
// Sub-databases (keys and values are raw bytes):
//   accounts     address (20)              -> nonceLen(1) nonce balanceLen(1) balance [codeHash(32)]
//                                             (minimal big-endian; the code hash is left out when it is
//                                             EMPTY_CODE_HASH)
//   code         codeHash (32)             -> code (content-addressed, never deleted)
//   storage      address (20) ++ slot (32) -> minimal big-endian value (absent = 0; 0 is never stored)
//   meta         "head" -> block number (8), "stateRoot" -> root (32), "version" -> commits that
//                wrote state (8)
//   blockhashes  block number (8, big-endian) -> hash (32)
// Other layers may keep their own sub-databases in the same environment (`database`) and write them
// in the same transaction as a block's state (`commit`'s `inTransaction`).
// An account's storage sits contiguously under its address prefix, so "has storage", "wipe storage"
// and the storage root of one account are range scans over that prefix.
// On a forked chain (`fork` option) the tables hold what the fork wrote, and a read they miss falls
// through to the upstream at the fork block (fork/fork-state.ts); roots and scans cover the tables only.
//
// Durability. LMDB commits are atomic (copy-on-write B-trees, a new meta page written last), so a
// reader or a restart sees a whole block or none of it. lmdb-js's defaults are kept: no `noSync`, no
// `useWritemap`; `overlappingSync` is on (the Linux default), which takes the fsync out of the
// writer lock and, after a process crash on the same boot, reopens at the last committed
// transaction. `commit` resolves only once the transaction is committed *and* flushed to disk
// (`db.flushed`), so a block reported as committed survives kill -9 and power loss alike;
// `commitSync` (transactionSync with default flags) likewise returns after the flush.
//
// A full disk. Without `useWritemap` LMDB maps the file read-only and writes pages with pwrite, so a
// write the file system refuses is an error of that commit (a write into a sparse writable map would
// be a SIGBUS instead): `commit` rejects with a StoreWriteError, nothing of it is written, and the
// environment keeps serving reads and takes the next commit once there is room (`probeWrite`).
import { statfsSync } from "node:fs";
import { type Database, open, type RootDatabase } from "lmdb";
import type { AccountInfo, AccountWrite, Host, StateWrites } from "../evm/host.js";
import { bigintToMinimalBytes } from "../primitives/hex.js";
import { EMPTY_CODE_HASH, keccak256 } from "../primitives/keccak.js";
import { runInSlices, runWhole, type Slices } from "../primitives/slices.js";
import { writeAddressAt, writeWordAt } from "../primitives/word-view.js";
import { FORK_TABLE_NAMES, type ForkPoint, ForkState, type ForkTables } from "./fork/fork-state.js";
import { EMPTY_TRIE_ROOT_BYTES, rlpEncodeBytes, rlpEncodeList, secureTrieRoot, trieRoot } from "./mpt.js";
import { orderedPut } from "./ordered-put.js";
import { StoreWriteError } from "./store-errors.js";

const EMPTY_CODE = new Uint8Array(0);
/** Sub-databases: the five above plus room for other layers' (the chain's). */
const MAX_DBS = 32;
/** Address space reserved for the map (virtual only: the file grows with the data). */
const DEFAULT_MAP_SIZE = 2 ** 40;
const HEAD_KEY = Buffer.from("head");
const STATE_ROOT_KEY = Buffer.from("stateRoot");
/** Counts the commits that wrote state: whoever keeps a derived copy (the stored trie) records it. */
const VERSION_KEY = Buffer.from("version");
/** Rewritten by `probeWrite`: a write that touches nothing else. */
const PROBE_KEY = Buffer.from("probe");
/** Free space below which a failed write is put down to a full disk, and a probe does not try. */
const LOW_SPACE_BYTES = 1 << 20;
/** 33 bytes of 0xff: address ++ this sorts after every address ++ slot key. */
const PREFIX_END_SUFFIX = Buffer.alloc(33, 0xff);
/** Code is immutable per hash, so a small cache of it never goes stale. */
const CODE_CACHE_LIMIT = 4096;

export interface LmdbStateOptions {
  /** BLOCKHASH source; by default the `blockhashes` sub-database (0n where unknown). */
  blockHash?: (number: bigint) => bigint;
  /** Address space to reserve for the map, in bytes (default 1 TiB; only virtual). */
  mapSize?: number;
  /** A forked chain: reads the local tables miss fall through to this upstream (fork/fork-state.ts). */
  fork?: ForkPoint;
}

/** What `commit` records beside the state writes, in the same transaction. */
export interface BlockMeta {
  number: bigint;
  /** Stored under `number` in `blockhashes`. */
  hash?: bigint;
  /** The state root after this block, as the caller computed or received it. */
  stateRoot?: bigint;
}

/**
 * Runs inside a commit's write transaction, after the state writes: reads (through this LmdbState or
 * any `database` handle) see them, and writes to `database` handles land in the same atomic
 * transaction. What it returns is recorded as the commit's `meta` (overriding the argument). If it
 * throws, nothing of the commit is written.
 */
export type InTransaction = () => BlockMeta | undefined;

/**
 * A batched commit's writes in order, until they all go to lmdb-js's write thread in one batch:
 * parallel arrays, so a write costs no object of its own. A removal's value is undefined.
 */
/** Accounts a batched commit stages between two places it may pause (their slots count as one account's). */
const ACCOUNTS_PER_STEP = 64;

/** How a `commitBatched` gets its state writes staged: in slices (primitives/slices.ts), or staged already (`stageBatched`). */
export interface BatchStaging {
  slices?: Slices;
  staged?: StagedWrites;
}

/** A batch's puts and removes, staged for lmdb-js's write thread (`stageBatched`, `commitBatched`). */
export interface StagedWrites {
  dbs: Bin[];
  keys: Uint8Array[];
  values: (Uint8Array | undefined)[];
  /** The state version this commit records (`stateVersion` answers it while staging). */
  version: bigint | undefined;
}

/** Puts into the flat-state tables, raw (`writeRawStateSync`); lmdb copies each key and value. */
export interface RawStateTables {
  /** address (20) -> `encodeAccount`'s record */
  account(address: Uint8Array, record: Uint8Array): void;
  /** code hash (32) -> code */
  code(codeHash: Uint8Array, code: Uint8Array): void;
  /** address (20) ++ slot (32) -> minimal big-endian value, not empty */
  slot(key: Uint8Array, value: Uint8Array): void;
}

export interface Head {
  number: bigint;
  stateRoot: bigint | undefined;
}

type Bin = Database<Uint8Array, Uint8Array>;

export class LmdbState implements Host {
  private readonly root: RootDatabase<Uint8Array, Uint8Array>;
  private readonly accounts: Bin;
  private readonly codes: Bin;
  private readonly storages: Bin;
  private readonly meta: Bin;
  private readonly blockHashes: Bin;
  private readonly blockHashFn: ((number: bigint) => bigint) | undefined;
  /** Set while a batched commit is staged: `put`/`remove` collect into it instead of writing. */
  private staged: StagedWrites | undefined;
  /** Set while a commit's write transaction runs: `stateRoot` then reads through it, not a snapshot. */
  private inWriteTxn = false;
  private readonly codeCache = new Map<bigint, Uint8Array>();
  /** Set on a forked chain: what answers the reads the local tables miss. */
  private fork: ForkState | undefined;
  readonly readOnly: boolean;
  readonly path: string;

  private constructor(path: string, readOnly: boolean, options: LmdbStateOptions) {
    this.path = path;
    this.readOnly = readOnly;
    this.root = open<Uint8Array, Uint8Array>({
      path,
      maxDbs: MAX_DBS,
      mapSize: options.mapSize ?? DEFAULT_MAP_SIZE,
      readOnly,
      encoding: "binary",
      keyEncoding: "binary",
    });
    const sub = (name: string): Bin => this.root.openDB<Uint8Array, Uint8Array>(name, BINARY);
    this.accounts = sub("accounts");
    this.codes = sub("code");
    this.storages = sub("storage");
    this.meta = sub("meta");
    this.blockHashes = sub("blockhashes");
    this.blockHashFn = options.blockHash;
    if (options.fork !== undefined) this.setFork(options.fork);
  }

  /** Opens (creating if needed) the environment at `path` (a directory) for reading and writing. */
  static open(path: string, options: LmdbStateOptions = {}): LmdbState {
    return new LmdbState(path, false, options);
  }

  /**
   * Opens an existing environment read-only, e.g. from a worker thread. Within one process lmdb-js
   * shares one native LMDB environment among all threads that open the same file (it matches them by
   * device and inode), so a worker's reads come from the same memory map as the writer's, uncopied;
   * other processes may open it too. Each thread's reads see the last block committed before its
   * current read transaction began (renewed at most once per event-loop turn).
   */
  static openReadOnly(path: string, options: LmdbStateOptions = {}): LmdbState {
    return new LmdbState(path, true, options);
  }

  /** Starts a new read transaction: a reader that kept one across blocks sees the last commit. */
  refresh(): void {
    this.root.resetReadTxn();
  }

  // ---- Host ----

  account(address: bigint): AccountInfo | undefined {
    const raw = this.accounts.getBinaryFast(readAddressKey(address));
    if (raw !== undefined) return decodeAccount(raw);
    const forked = this.fork?.account(address);
    return forked === undefined
      ? undefined
      : { nonce: forked.nonce, balance: forked.balance, codeHash: forked.codeHash };
  }

  code(address: bigint): Uint8Array {
    const raw = this.accounts.getBinaryFast(readAddressKey(address));
    if (raw === undefined) return this.fork?.account(address)?.code ?? EMPTY_CODE;
    const codeHash = decodeCodeHash(raw);
    if (codeHash === EMPTY_CODE_HASH) return EMPTY_CODE;
    let code = this.codeCache.get(codeHash);
    if (code === undefined) {
      code = this.codes.getBinary(wordKey(codeHash));
      if (code === undefined) return EMPTY_CODE; // not cached: only a write without its code does this
      if (this.codeCache.size >= CODE_CACHE_LIMIT) this.codeCache.clear();
      this.codeCache.set(codeHash, code);
    }
    return code;
  }

  storage(address: bigint, slot: bigint): bigint {
    const raw = this.storages.getBinaryFast(readStorageKey(address, slot));
    if (raw !== undefined) return readUint(raw, 0, raw.length);
    return this.fork?.storage(address, slot) ?? 0n;
  }

  hasStorage(address: bigint): boolean {
    const prefix = addressKey(address);
    for (const _ of this.storages.getKeys({ start: prefix, end: prefixEnd(prefix), limit: 1 })) return true;
    return this.fork?.mayHaveStorage(address) ?? false;
  }

  blockHash(number: bigint): bigint {
    if (this.blockHashFn !== undefined) return this.blockHashFn(number);
    if (number < 0n || number >= 2n ** 64n) return 0n;
    const raw = this.blockHashes.getBinaryFast(numberKey(number));
    if (raw !== undefined) return readUint(raw, 0, raw.length);
    return this.fork?.blockHash(number) ?? 0n;
  }

  // ---- forking ----

  /** The fork this state reads through (undefined: not forked). */
  get forkPoint(): ForkPoint | undefined {
    return this.fork?.point;
  }

  /**
   * Reads through `point` from now on (a re-fork; undefined: no longer forked). The local tables are
   * the caller's to reset, with `clearForkMarks` in the same commit.
   */
  setFork(point: ForkPoint | undefined): void {
    if (point === undefined) {
      this.fork = undefined;
      return;
    }
    const table = (name: keyof ForkTables) => this.database(FORK_TABLE_NAMES[name]);
    const tables: ForkTables = {
      accounts: table("accounts"),
      storage: table("storage"),
      blockHashes: table("blockHashes"),
      detached: table("detached"),
      zeroed: table("zeroed"),
    };
    this.fork = new ForkState(point, tables, !this.readOnly);
  }

  /** Forgets which accounts and slots the fork deleted or zeroed; runs inside a commit's `inTransaction`. */
  clearForkMarks(): void {
    this.fork?.clearMarks();
  }

  // ---- writes ----

  /**
   * Applies one block's net writes (and `meta`) in one LMDB transaction. Resolves once the
   * transaction is committed and flushed to disk; until then reads still see the previous block.
   * Code is stored by hash and read back through the account's code hash, so as in every write an
   * executor makes, a write that changes `codeHash` must carry the `code`.
   */
  async commit(writes: StateWrites, meta?: BlockMeta, inTransaction?: InTransaction): Promise<void> {
    this.assertWritable();
    let applyFailed = false;
    const apply = () => {
      try {
        this.applyInTxn(writes, meta, inTransaction);
      } catch (error) {
        applyFailed = true;
        throw error;
      }
    };
    try {
      // A throw inside lmdb-js's async transaction callback does not undo the writes made before it;
      // inside a child transaction it does, so a failed commit writes nothing.
      await this.root.transaction(() => this.root.childTransaction(apply));
      await this.root.flushed;
    } catch (error) {
      if (applyFailed) throw error;
      throw await this.writeError(error);
    }
  }

  /**
   * Writes and flushes one small record (meta "probe"), after checking the file system has room:
   * resolves once the store can commit again after a StoreWriteError, throws one while it cannot.
   */
  async probeWrite(): Promise<void> {
    this.assertWritable();
    const free = freeBytes(this.path);
    if (free !== undefined && free < LOW_SPACE_BYTES) throw new StoreWriteError(this.path, noSpace(free));
    try {
      await this.meta.put(PROBE_KEY, numberKey(BigInt(Date.now())));
      await this.root.flushed;
    } catch (error) {
      throw await this.writeError(error);
    }
  }

  /**
   * What a failed LMDB commit becomes. lmdb-js rejects each write of the failed batch with a generic
   * "Commit failed" whose `commitError` promise holds the system error; that promise, and the
   * batch's own commit promise (`committed`), are rejected too and nobody else handles them: an
   * unhandled rejection would end the process. Both are handled here, in the same event-loop turn.
   */
  private async writeError(error: unknown): Promise<StoreWriteError> {
    this.root.committed.then(undefined, () => undefined);
    let cause = error;
    const detail = (error as { commitError?: unknown } | undefined)?.commitError;
    if (detail instanceof Promise) {
      const settled = detail.then(
        () => undefined,
        (e: unknown) => e,
      );
      // It is rejected in the same callback as the transaction: a short wait is only a safety net.
      const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 100).unref());
      cause = (await Promise.race([settled, timeout])) ?? error;
    }
    const free = freeBytes(this.path);
    const message = cause instanceof Error ? cause.message : String(cause);
    const reason = free !== undefined && free < LOW_SPACE_BYTES ? noSpace(free) : message;
    return new StoreWriteError(this.path, reason, { cause });
  }

  /**
   * As `commit`, but the B-tree work runs on lmdb-js's write thread, not the caller's: the writes
   * (this class's, and `inTransaction`'s through `put`/`remove`) are staged first, then handed over
   * as one batch, which lmdb-js commits as one atomic transaction. The price: `inTransaction`'s
   * reads see the previous commit, not this one's writes (`stateVersion` excepted), and its writes
   * must go through `put`/`remove` (a handle's `putSync` would commit on its own). A forked state
   * (whose fork marks write directly) commits as `commit` does.
   */
  async commitBatched(
    writes: StateWrites,
    meta?: BlockMeta,
    inTransaction?: InTransaction,
    prepared?: BatchStaging,
  ): Promise<void> {
    if (this.fork !== undefined) return this.commit(writes, meta, inTransaction);
    const staged = prepared?.staged ?? (await this.stageBatched(writes, prepared?.slices))!;
    this.staged = staged;
    try {
      this.afterWrites(writes, meta, inTransaction);
    } finally {
      this.staged = undefined;
    }
    await this.commitStaged(staged);
  }

  /**
   * The state writes of a `commitBatched` of `writes`, staged ahead of it (in `slices` if given; the
   * caller commits nothing else meanwhile). A storage clear reads the keys it removes: only once
   * every earlier commit is durable, and nothing may commit between this and that commitBatched.
   * Undefined for a forked state (which commits as `commit` does).
   */
  async stageBatched(writes: StateWrites, slices?: Slices): Promise<StagedWrites | undefined> {
    if (this.fork !== undefined) return undefined;
    this.assertWritable();
    const staged: StagedWrites = { dbs: [], keys: [], values: [], version: undefined };
    if (slices !== undefined) await runInSlices(this.staging(writes, staged), slices);
    else runWhole(this.staging(writes, staged));
    return staged;
  }

  /**
   * Writes that are not a state commit (a derived table's upkeep: the trie log's merge), made through
   * `put`/`remove` inside `stage` and committed as one batch on lmdb-js's write thread, flushed.
   * `stage` may read (the previous commit's data) but must not write otherwise.
   */
  async writeAside(stage: () => void): Promise<void> {
    this.assertWritable();
    const staged: StagedWrites = { dbs: [], keys: [], values: [], version: undefined };
    this.staged = staged;
    try {
      stage();
    } finally {
      this.staged = undefined;
    }
    await this.commitStaged(staged);
  }

  /**
   * As `writeAside`, in one synchronous transaction on this thread (a close: no wait on lmdb-js's
   * write thread and its flush promise).
   */
  writeAsideSync(stage: () => void): void {
    this.assertWritable();
    this.root.transactionSync(() => stage());
  }

  /** Commits staged puts and removes as one lmdb-js batch (one atomic transaction) and waits for its flush. */
  private async commitStaged(staged: StagedWrites): Promise<void> {
    const { dbs, keys, values } = staged;
    try {
      // Only plain puts and removes of fixed-size keys: nothing here throws halfway through the batch.
      const committed = this.root.batch(() => {
        for (let i = 0; i < dbs.length; i++) {
          const value = values[i];
          if (value === undefined) void dbs[i]!.remove(keys[i]!);
          else void dbs[i]!.put(keys[i]!, value);
        }
      });
      // Asked now, while lmdb-js's flush promise is this batch's (a later write would replace it).
      const flushed = new Promise<void>((resolve, reject) => void this.root.flushed.then(() => resolve(), reject));
      // A failed batch rejects `committed` first; this one may then reject unawaited.
      flushed.catch(() => undefined);
      await committed;
      await flushed;
    } catch (error) {
      throw await this.writeError(error);
    }
  }

  /** Writes `key` of `db` in the commit being applied (`commit`'s or `commitBatched`'s). */
  put(db: Bin, key: Uint8Array, value: Uint8Array): void {
    const staged = this.staged;
    if (staged === undefined) db.putSync(key, value);
    else {
      staged.dbs.push(db);
      staged.keys.push(key);
      staged.values.push(value);
    }
  }

  /** Removes `key` of `db` in the commit being applied (`commit`'s or `commitBatched`'s). */
  remove(db: Bin, key: Uint8Array): void {
    const staged = this.staged;
    if (staged === undefined) db.removeSync(key);
    else {
      staged.dbs.push(db);
      staged.keys.push(key);
      staged.values.push(undefined);
    }
  }

  /** As `commit`, but blocks the thread for the whole commit and flush (lmdb's `transactionSync`). */
  commitSync(writes: StateWrites, meta?: BlockMeta, inTransaction?: InTransaction): void {
    this.assertWritable();
    this.root.transactionSync(() => this.applyInTxn(writes, meta, inTransaction));
  }

  /**
   * A bulk load's flat-state writes as bytes, in one transaction that counts as a state-writing
   * commit: `write` puts keys and values already in the tables' encodings (above), each table's
   * best in key order (lmdb-js puts 1M keys about 5x faster in key order than in random order).
   * No StateWrites: no Map or object per account or slot.
   */
  writeRawStateSync(write: (tables: RawStateTables) => void, mostlyInOrder = false): void {
    this.assertWritable();
    this.root.transactionSync(() => {
      // `mostlyInOrder`: each table's puts mostly ascend (a bulk load's), appended where they can be.
      const tables: RawStateTables = mostlyInOrder
        ? { account: orderedPut(this.accounts), code: orderedPut(this.codes), slot: orderedPut(this.storages) }
        : {
            account: (address, record) => this.accounts.putSync(address, record),
            code: (codeHash, code) => this.codes.putSync(codeHash, code),
            slot: (key, value) => this.storages.putSync(key, value),
          };
      write(tables);
      this.put(this.meta, VERSION_KEY, numberKey(this.stateVersion() + 1n));
    });
  }

  private applyInTxn(writes: StateWrites, meta: BlockMeta | undefined, inTransaction?: InTransaction): void {
    for (const [address, w] of writes) this.writeAccount(address, w);
    this.afterWrites(writes, meta, inTransaction);
  }

  /**
   * A batched commit's state writes staged into `staged`, ACCOUNTS_PER_STEP accounts a step: `put`
   * and `remove` stage there only while a step runs, never while the caller is paused.
   */
  private *staging(writes: StateWrites, staged: StagedWrites): Generator<void, void, undefined> {
    const entries = writes.entries();
    for (;;) {
      let done = false;
      this.staged = staged;
      try {
        for (let k = 0; k < ACCOUNTS_PER_STEP && !done; k++) {
          const next = entries.next();
          if (next.done) done = true;
          else this.writeAccount(next.value[0], next.value[1]);
        }
      } finally {
        this.staged = undefined;
      }
      if (done) return;
      yield;
    }
  }

  /** What a commit writes after the state: its version, `inTransaction`'s records, the head's meta. */
  private afterWrites(writes: StateWrites, meta: BlockMeta | undefined, inTransaction?: InTransaction): void {
    if (writes.size > 0) {
      const version = this.stateVersion() + 1n;
      if (this.staged !== undefined) this.staged.version = version;
      this.put(this.meta, VERSION_KEY, numberKey(version));
    }
    if (inTransaction !== undefined) {
      this.inWriteTxn = true;
      try {
        meta = inTransaction() ?? meta;
      } finally {
        this.inWriteTxn = false;
      }
    }
    if (meta !== undefined) {
      const n = numberKey(meta.number);
      this.put(this.meta, HEAD_KEY, n);
      if (meta.hash !== undefined) this.put(this.blockHashes, n, wordKey(meta.hash));
      if (meta.stateRoot !== undefined) this.put(this.meta, STATE_ROOT_KEY, wordKey(meta.stateRoot));
      else this.remove(this.meta, STATE_ROOT_KEY);
    }
  }

  /** One account's write: its record, code and slots (or its removal). */
  private writeAccount(address: bigint, w: AccountWrite): void {
    const fork = this.fork;
    const key = addressKey(address);
    if (w.deleted || w.storageCleared) fork?.markDetached(address);
    if (w.deleted) {
      this.remove(this.accounts, key);
      this.clearStorage(key);
      return;
    }
    this.put(this.accounts, key, encodeAccount(w));
    if (w.code !== undefined && w.code.length > 0) this.put(this.codes, wordKey(w.codeHash), w.code);
    else if (fork !== undefined) this.copyUpstreamCode(fork, address, w.codeHash);
    if (w.storageCleared) this.clearStorage(key);
    for (const [slot, value] of w.storage) {
      const skey = storageKey(address, slot);
      if (value === 0n) {
        this.remove(this.storages, skey);
        fork?.markZeroed(address, slot);
      } else this.put(this.storages, skey, minimalBytes(value));
    }
  }

  /**
   * An upstream account the fork writes (a storage-only change carries no code) is copied up with
   * its code, so that every local account's code is in the code table.
   */
  private copyUpstreamCode(fork: ForkState, address: bigint, codeHash: bigint): void {
    if (codeHash === EMPTY_CODE_HASH || this.codes.doesExist(wordKey(codeHash))) return;
    const upstream = fork.upstreamAccount(address);
    if (upstream?.codeHash === codeHash) this.codes.putSync(wordKey(codeHash), upstream.code);
  }

  /** Removes every storage slot under `prefix` (an address key); runs inside the write transaction. */
  private clearStorage(prefix: Buffer): void {
    // Collect first: deleting under a live cursor of the same transaction is not safe.
    const keys = Array.from(this.storages.getKeys({ start: prefix, end: prefixEnd(prefix) }));
    for (const k of keys) this.remove(this.storages, k);
  }

  private assertWritable(): void {
    if (this.readOnly) throw new Error(`LmdbState at ${this.path} was opened read-only`);
  }

  // ---- other layers' tables and whole-state reads ----

  /**
   * A binary sub-database `name` of this environment (created if needed), for another layer's
   * tables. Its writes belong in a commit's `inTransaction`, so that they commit with the state.
   * The state's own names (accounts, code, storage, meta, blockhashes) are this class's.
   */
  database(name: string): Database<Uint8Array, Uint8Array> {
    return this.root.openDB<Uint8Array, Uint8Array>(name, BINARY);
  }

  /** Code by its hash (undefined where none is stored): code is kept by hash and never deleted. */
  codeByHash(codeHash: bigint): Uint8Array | undefined {
    if (codeHash === EMPTY_CODE_HASH) return EMPTY_CODE;
    return this.codeCache.get(codeHash) ?? this.codes.getBinary(wordKey(codeHash));
  }

  /** Every account's address, in address order (a scan of the whole table). */
  *addresses(): Iterable<bigint> {
    for (const key of this.accounts.getKeys({})) yield readUint(key as Buffer, 0, 20);
  }

  /** All non-zero storage of one account (a range scan over its prefix). */
  storageEntries(address: bigint): Map<bigint, bigint> {
    const prefix = addressKey(address);
    const out = new Map<bigint, bigint>();
    for (const { key, value } of this.storages.getRange({ start: prefix, end: prefixEnd(prefix) })) {
      out.set(readUint(key as Buffer, 20, 52), readUint(value as Buffer, 0, value.length));
    }
    return out;
  }

  // ---- meta ----

  /** The last block recorded by `commit(…, meta)`, or undefined where none was. */
  head(): Head | undefined {
    const n = this.meta.getBinary(HEAD_KEY);
    if (n === undefined) return undefined;
    const root = this.meta.getBinary(STATE_ROOT_KEY);
    return { number: readUint(n, 0, n.length), stateRoot: root === undefined ? undefined : readUint(root, 0, 32) };
  }

  /**
   * How many commits have written state (0 for a store from before it was counted). Inside a
   * commit's `inTransaction` it counts that commit: a derived table written there and recording it
   * (the stored trie, trie/trie-store.ts) can tell at the next open whether another commit, say
   * another process's, changed the state without it.
   */
  stateVersion(): bigint {
    const staged = this.staged?.version;
    if (staged !== undefined) return staged;
    const raw = this.meta.getBinary(VERSION_KEY);
    return raw === undefined ? 0n : readUint(raw, 0, raw.length);
  }

  /** The hash stored for block `number` in `blockhashes` (0n where none), whatever `blockHash` is. */
  storedBlockHash(number: bigint): bigint {
    const raw = this.blockHashes.getBinary(numberKey(number));
    return raw === undefined ? 0n : readUint(raw, 0, raw.length);
  }

  // ---- roots ----

  /**
   * The state root, recomputed in full. Accounts and storage are both in address order in LMDB, so
   * one pass merges the two cursors: each account's storage root is computed from its own slots
   * only (memory bounded by the largest single storage), and the account leaves (keccak(address),
   * rlp body) are collected and sorted by `trieRoot`, since the secure trie's order is hashed-key
   * order, not address order: O(n log n) time, about 150 bytes of memory per account. Both cursors
   * read one snapshot.
   */
  stateRoot(): bigint {
    // Inside a commit's `inTransaction`: read the write transaction (the block's own writes included).
    if (this.inWriteTxn) return this.stateRootOf(undefined);
    const txn = this.root.useReadTransaction();
    try {
      return this.stateRootOf(txn);
    } finally {
      txn.done();
    }
  }

  /**
   * Every account with its non-zero storage, in address order, from one read snapshot (one merged
   * pass over both tables): what the stored state trie (trie/state-trie.ts) is built from where missing.
   */
  *accountsWithStorage(): Iterable<[bigint, AccountInfo, Map<bigint, bigint>]> {
    const txn = this.root.useReadTransaction();
    try {
      const slots = this.storages.getRange({ transaction: txn })[Symbol.iterator]();
      let slot = slots.next();
      for (const { key, value } of this.accounts.getRange({ transaction: txn })) {
        while (!slot.done && Buffer.compare(slot.value.key.subarray(0, 20), key) < 0) slot = slots.next();
        const storage = new Map<bigint, bigint>();
        while (!slot.done && Buffer.compare(slot.value.key.subarray(0, 20), key) === 0) {
          storage.set(
            readUint(slot.value.key as Buffer, 20, 52),
            readUint(slot.value.value as Buffer, 0, slot.value.value.length),
          );
          slot = slots.next();
        }
        yield [readUint(key as Buffer, 0, 20), decodeAccount(value as Buffer), storage];
      }
      slots.return?.();
    } finally {
      txn.done();
    }
  }

  /** Reads `txn`, or (undefined) the current write transaction. */
  private stateRootOf(txn: ReturnType<RootDatabase["useReadTransaction"]> | undefined): bigint {
    const leaves: [Uint8Array, Uint8Array][] = [];
    const slots = this.storages.getRange({ transaction: txn })[Symbol.iterator]();
    let slot = slots.next();
    for (const { key, value } of this.accounts.getRange({ transaction: txn })) {
      // Skip storage of addresses before this one (none exist while the tables are consistent).
      while (!slot.done && Buffer.compare(slot.value.key.subarray(0, 20), key) < 0) slot = slots.next();
      const entries: [Uint8Array, Uint8Array][] = [];
      while (!slot.done && Buffer.compare(slot.value.key.subarray(0, 20), key) === 0) {
        entries.push([slot.value.key.subarray(20), rlpEncodeBytes(slot.value.value)]);
        slot = slots.next();
      }
      const storageRoot = entries.length === 0 ? EMPTY_TRIE_ROOT_BYTES : secureTrieRoot(entries);
      leaves.push([keccak256(key), accountBody(value, storageRoot)]);
    }
    slots.return?.();
    return bytesWord(trieRoot(leaves));
  }

  /** Root of one account's storage trie (the empty root where it has none). */
  storageRoot(address: bigint): bigint {
    const prefix = addressKey(address);
    const entries: [Uint8Array, Uint8Array][] = [];
    for (const { key, value } of this.storages.getRange({ start: prefix, end: prefixEnd(prefix) })) {
      entries.push([key.subarray(20), rlpEncodeBytes(value)]);
    }
    return bytesWord(entries.length === 0 ? EMPTY_TRIE_ROOT_BYTES : secureTrieRoot(entries));
  }

  /** Waits for pending writes, then closes this thread's handle (the environment stays open elsewhere). */
  async close(): Promise<void> {
    await this.root.close();
  }
}

const BINARY = { encoding: "binary", keyEncoding: "binary" } as const;

/** Bytes an unprivileged writer may still use on the file system holding `path` (undefined where unknown). */
function freeBytes(path: string): number | undefined {
  try {
    const fs = statfsSync(path);
    return fs.bavail * fs.bsize;
  } catch {
    return undefined;
  }
}

function noSpace(free: number): string {
  return `no space left on the device, ${free} bytes free`;
}

// ---- encodings ----

const LIMITS: Record<number, bigint> = { 8: 1n << 64n, 20: 1n << 160n, 32: 1n << 256n };

function checkFits(value: bigint, bytes: number): void {
  if (value < 0n || value >= LIMITS[bytes]!) throw new RangeError(`${value} does not fit ${bytes} bytes`);
}

// Keys for reads are written into one reused buffer: lmdb copies a key before it looks it up. Writes
// get fresh copies of it.
const READ_KEY = Buffer.alloc(52);
const READ_KEY_VIEW = new DataView(READ_KEY.buffer, READ_KEY.byteOffset, READ_KEY.length);
const READ_ADDRESS_KEY = READ_KEY.subarray(0, 20);

function readAddressKey(address: bigint): Buffer {
  checkFits(address, 20);
  writeAddressAt(READ_KEY_VIEW, 0, address);
  return READ_ADDRESS_KEY;
}

function readStorageKey(address: bigint, slot: bigint): Buffer {
  checkFits(address, 20);
  checkFits(slot, 32);
  writeAddressAt(READ_KEY_VIEW, 0, address);
  writeWordAt(READ_KEY_VIEW, 20, slot);
  return READ_KEY;
}

function addressKey(address: bigint): Buffer {
  return Buffer.from(readAddressKey(address));
}

function storageKey(address: bigint, slot: bigint): Buffer {
  return Buffer.from(readStorageKey(address, slot));
}

function wordKey(word: bigint): Buffer {
  checkFits(word, 32);
  writeWordAt(READ_KEY_VIEW, 0, word);
  return Buffer.from(READ_KEY.subarray(0, 32));
}

function numberKey(number: bigint): Buffer {
  checkFits(number, 8);
  const out = Buffer.allocUnsafe(8);
  out.writeBigUInt64BE(number);
  return out;
}

function prefixEnd(prefix: Buffer): Buffer {
  return Buffer.concat([prefix, PREFIX_END_SUFFIX]);
}

/**
 * Minimal big-endian bytes (no leading zeros, 0 is empty), copied into Node's shared Buffer pool: the
 * `.buffer` of a small (on-heap) Uint8Array is made a backing store of its own when read, and lmdb-js
 * reads a value's address through it.
 */
function minimalBytes(value: bigint): Buffer {
  const bytes = bigintToMinimalBytes(value);
  const out = Buffer.allocUnsafe(bytes.length);
  out.set(bytes);
  return out;
}

/** The big-endian unsigned integer in buf[from..to). */
function readUint(buf: Buffer, from: number, to: number): bigint {
  const n = to - from;
  if (n <= 0) return 0n;
  if (n <= 6) return BigInt(buf.readUIntBE(from, n));
  const head = n & 7;
  let v = 0n;
  let i = from;
  if (head === 7) {
    v = (BigInt(buf[i]!) << 48n) | BigInt(buf.readUIntBE(i + 1, 6));
    i += 7;
  } else if (head > 0) {
    v = BigInt(buf.readUIntBE(i, head));
    i += head;
  }
  for (; i < to; i += 8) v = (v << 64n) | buf.readBigUInt64BE(i);
  return v;
}

/** An account's record in the accounts table (see the top of this file). */
export function encodeAccount(w: Pick<AccountWrite, "nonce" | "balance" | "codeHash">): Buffer {
  return encodeAccountOfMinimal(bigintToMinimalBytes(w.nonce), bigintToMinimalBytes(w.balance), w.codeHash);
}

/** encodeAccount from the nonce's and balance's minimal big-endian bytes (made once by a caller that needs them twice). */
export function encodeAccountOfMinimal(nonce: Uint8Array, balance: Uint8Array, codeHash: bigint): Buffer {
  const withCode = codeHash !== EMPTY_CODE_HASH;
  const out = Buffer.allocUnsafe(2 + nonce.length + balance.length + (withCode ? 32 : 0));
  let o = 0;
  out[o++] = nonce.length;
  out.set(nonce, o);
  o += nonce.length;
  out[o++] = balance.length;
  out.set(balance, o);
  o += balance.length;
  if (withCode) {
    checkFits(codeHash, 32);
    writeWordAt(READ_KEY_VIEW, 0, codeHash);
    READ_KEY.copy(out, o, 0, 32);
  }
  return out;
}

/** Decodes an account record; `raw.length` is the record's length (getBinaryFast's buffer may be longer). */
function decodeAccount(raw: Buffer): AccountInfo {
  const nonceEnd = 1 + raw[0]!;
  const balanceEnd = nonceEnd + 1 + raw[nonceEnd]!;
  return {
    nonce: readUint(raw, 1, nonceEnd),
    balance: readUint(raw, nonceEnd + 1, balanceEnd),
    codeHash: raw.length > balanceEnd ? readUint(raw, balanceEnd, balanceEnd + 32) : EMPTY_CODE_HASH,
  };
}

function decodeCodeHash(raw: Buffer): bigint {
  const nonceEnd = 1 + raw[0]!;
  const balanceEnd = nonceEnd + 1 + raw[nonceEnd]!;
  return raw.length > balanceEnd ? readUint(raw, balanceEnd, balanceEnd + 32) : EMPTY_CODE_HASH;
}

const EMPTY_CODE_HASH_BYTES = wordKey(EMPTY_CODE_HASH);

/** rlp([nonce, balance, storageRoot, codeHash]) straight from a stored record (already minimal bytes). */
function accountBody(raw: Uint8Array, storageRoot: Uint8Array): Uint8Array {
  const nonceEnd = 1 + raw[0]!;
  const balanceEnd = nonceEnd + 1 + raw[nonceEnd]!;
  const codeHash = raw.length > balanceEnd ? raw.subarray(balanceEnd, balanceEnd + 32) : EMPTY_CODE_HASH_BYTES;
  return rlpEncodeList([
    rlpEncodeBytes(raw.subarray(1, nonceEnd)),
    rlpEncodeBytes(raw.subarray(nonceEnd + 1, balanceEnd)),
    rlpEncodeBytes(storageRoot),
    rlpEncodeBytes(codeHash),
  ]);
}

function bytesWord(bytes: Uint8Array): bigint {
  return readUint(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), 0, bytes.length);
}
