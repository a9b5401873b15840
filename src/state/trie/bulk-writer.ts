// Where a bulk load's writes go (bulk-load.ts). A small load (a dev genesis, a test's) writes on the
// loading thread. A large one, from its first full batch on, hands each batch to a writer thread as
// a few transferred buffers and goes on parsing and building while that thread puts them: lmdb-js
// puts synchronously on the thread that calls it, and on a 1M-account genesis the puts and commits
// were about a third of the load's CPU. The loader stays synchronous: it blocks (Atomics.wait) only
// while MAX_IN_FLIGHT batches are unwritten, and at `finish`. At the end, while the writer thread
// builds the account trie, the loader writes some batches itself (the nodes of a large storage's
// trie, a share of its slots) between the writer's transactions: LMDB takes the two in turn.
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import { CLOSE_WORKER } from "../../threads/stop-worker.js";
import type { LmdbState, RawStateTables } from "../lmdb-state.js";
import { orderedPut } from "../ordered-put.js";
import { accountLeavesOf, writeAccountsInOrder } from "./address-ordered-accounts.js";
import { buildTrieLater, DuplicateLeafError, LeafBuffer, type LeafBufferParts, type NodeSink } from "./bulk-build.js";
import { setAccountLeafStorageRoot } from "./leaves.js";
import type { PackedSlots } from "./packed-slots.js";
import { forEachRecord, type PackedRecords, RecordBatch } from "./record-batch.js";
import { ACCOUNT_TRIE, type TrieNodeStore, writeNodeKeyOfLeaf } from "./trie-store.js";

/** The tables a batch's records name, by index. */
export const [ACCOUNTS, CODE, STORAGE, TRIE_ACCOUNTS, TRIE_STORAGE] = [0, 1, 2, 3, 4];

/**
 * One batch, one transaction: flat-state records (a state-writing commit), or trie nodes; or account
 * records, whose leaves are kept for the account trie and, where `write`, which are written in
 * `order`, `batch` per transaction (writeAccountsInOrder); or the account trie of those leaves, all
 * but the nodes above the `late` ones (whose storage roots are not known yet), and then, given those
 * roots, the rest (the last write: it marks the trie current); or a large storage's slots, a chunk
 * per transaction (writeClaimedSlots).
 */
export type WriterJob =
  | { kind: "state"; records: PackedRecords }
  | { kind: "nodes"; records: PackedRecords; last: boolean }
  | {
      kind: "accounts";
      records: LeafBufferParts;
      order: Uint32Array<ArrayBuffer>;
      storageRoots: Uint8Array<ArrayBuffer>;
      batch: number;
      write: boolean;
    }
  | { kind: "accountTrie"; late: number[] }
  | { kind: "slots"; slots: SharedSlots }
  | { kind: "accountTrieEnd"; roots: Uint8Array; stateRoot: Uint8Array };

/** Where a writer's jobs go, the account leaves it was given, and the account trie it is building between two jobs. */
export interface WriterContext {
  lmdb: LmdbState;
  nodes: TrieNodeStore;
  accountLeaves?: LeafBuffer;
  accountTrie?: { leaves: LeafBuffer; late: number[]; complete: () => Uint8Array; flush: (last: boolean) => void };
}

/** Trie nodes per commit. */
const NODE_BATCH = 200_000;

/**
 * A NodeSink that packs the nodes of `owner`'s trie into `batch` as records of `table` (keyed by
 * path), and calls `full` whenever the batch holds NODE_BATCH.
 */
export function nodeRecords(batch: RecordBatch, table: number, owner: Uint8Array, full: () => void): NodeSink {
  const key = new Uint8Array(owner.length + 32 + 1);
  return (leafKey, depth, rlp) => {
    batch.add(table, key.subarray(0, writeNodeKeyOfLeaf(key, owner, leafKey, depth)), rlp);
    if (batch.count >= NODE_BATCH) full();
  };
}

/** Records a job writes (the writer thread joins small jobs of one kind into one transaction). */
export function jobRecords(job: WriterJob): number {
  if (job.kind === "slots") return job.slots.count;
  return job.kind === "accountTrie" || job.kind === "accountTrieEnd" ? 1 : job.records.count;
}

/**
 * A large storage's slots (sorted, none zero) in shared memory, written `batch` per state-writing
 * commit by whichever thread claims each next chunk (`claimed[0]` counts the chunks claimed): the
 * writer thread once it has built the account trie, the loading thread once it has built this
 * storage's trie. Which of the two tries is done first depends on the genesis (1M accounts and a
 * token of 1M holders: about even), and the other is then still hashing beside the puts.
 */
export interface SharedSlots {
  address: Uint8Array;
  keys: Uint8Array;
  values: Uint8Array;
  count: number;
  batch: number;
  claimed: Int32Array;
}

/** `slots` (sorted, none zero) copied into shared memory, to be written by writeClaimedSlots. */
export function shareSlots(address: Uint8Array, slots: PackedSlots, batch: number): SharedSlots {
  const share = (bytes: Uint8Array) => {
    const shared = new Uint8Array(new SharedArrayBuffer(slots.count * 32));
    shared.set(bytes.subarray(0, shared.length));
    return shared;
  };
  const claimed = new Int32Array(new SharedArrayBuffer(4));
  return { address, keys: share(slots.keys), values: share(slots.values), count: slots.count, batch, claimed };
}

/** Writes chunks of `shared` until none is left unclaimed (returns once those it claimed are written). */
export function writeClaimedSlots(
  lmdb: { writeRawStateSync(write: (tables: RawStateTables) => void, mostlyInOrder: boolean): void },
  { address, keys, values, count, batch, claimed }: SharedSlots,
): void {
  // Each put's key and value are copied out of shared memory (lmdb-js reads them where they lie, and
  // not in a SharedArrayBuffer: a segfault) into buffers of this thread, no array made per slot: a
  // value of n bytes is `value[n]`, a view of one buffer.
  const key = new Uint8Array(ADDRESS_BYTES + WORD);
  key.set(address, 0);
  const bytes = new Uint8Array(WORD);
  const value = Array.from({ length: WORD + 1 }, (_, n) => bytes.subarray(0, n));
  for (let from = Atomics.add(claimed, 0, 1) * batch; from < count; from = Atomics.add(claimed, 0, 1) * batch) {
    lmdb.writeRawStateSync((tables) => {
      const end = Math.min(count, from + batch) * WORD;
      for (let at = from * WORD; at < end; at += WORD) {
        for (let j = 0; j < WORD; j++) key[ADDRESS_BYTES + j] = keys[at + j]!;
        let first = at;
        while (first < at + WORD && values[first] === 0) first++;
        for (let j = first; j < at + WORD; j++) bytes[j - first] = values[j]!;
        tables.slot(key, value[at + WORD - first]!);
      }
    }, true);
  }
}

/** What the writer thread is given at start. */
export interface WriterThreadData {
  path: string;
  port: MessagePort;
  counters: Int32Array;
}

/** Indices in the shared counters: batches done, and the state (RUNNING, FAILED or ABANDONED). */
export const DONE = 0;
export const STATUS = 1;
export const [RUNNING, FAILED, ABANDONED] = [0, 1, 2];
const ADDRESS_BYTES = 20;
const WORD = 32;
/** Batches handed over and not yet written, at most (each up to about 20 MB). */
const MAX_IN_FLIGHT = 4;

/**
 * Writes `jobs`, all of one kind, in one transaction (on whichever thread holds `lmdb`): a writer
 * that fell behind catches up with fewer commits.
 */
export function writeJobs(context: WriterContext, jobs: readonly WriterJob[]): void {
  const { lmdb, nodes } = context;
  const first = jobs[0]!;
  if (first.kind === "accountTrie" || first.kind === "accountTrieEnd") {
    for (const job of jobs) {
      if (job.kind === "accountTrie") startAccountTrie(context, job.late);
      else if (job.kind === "accountTrieEnd") endAccountTrie(context, job.roots, job.stateRoot);
    }
    return;
  }
  if (first.kind === "slots") {
    for (const job of jobs) if (job.kind === "slots") writeClaimedSlots(lmdb, job.slots);
    return;
  }
  if (first.kind === "accounts") {
    for (const job of jobs) {
      if (job.kind !== "accounts") continue;
      const records = LeafBuffer.of(job.records);
      if (job.write) writeAccountsInOrder(lmdb, records, job.order, job.batch);
      context.accountLeaves ??= new LeafBuffer();
      accountLeavesOf(context.accountLeaves, records, job.storageRoots);
    }
    return;
  }
  if (first.kind === "state") {
    lmdb.writeRawStateSync((tables) => {
      for (const job of jobs) {
        if (job.kind !== "state") continue;
        forEachRecord(job.records, (table, key, value) => {
          if (table === ACCOUNTS) tables.account(key, value);
          else if (table === STORAGE) tables.slot(key, value);
          else tables.code(key, value);
        });
      }
    }, true);
    return;
  }
  lmdb.commitSync(new Map(), undefined, () => {
    // The builder emits nodes in key order but for each parent, which follows its subtree.
    const accounts = orderedPut(nodes.accounts);
    const storage = orderedPut(nodes.storage);
    for (const job of jobs) {
      if (job.kind !== "nodes") continue;
      forEachRecord(job.records, (table, key, value) => (table === TRIE_ACCOUNTS ? accounts : storage)(key, value));
      // Last: it records the state version the flat commits reached.
      if (job.last) nodes.markCurrent();
    }
    return undefined;
  });
}

/** Builds the account trie of the leaves given so far but for the nodes above the `late` ones, writing its nodes. */
function startAccountTrie(context: WriterContext, late: number[]): void {
  const leaves = context.accountLeaves ?? new LeafBuffer();
  context.accountLeaves = undefined;
  const batch = new RecordBatch();
  const flush = (last: boolean) => batch.drain((records) => writeJobs(context, [{ kind: "nodes", records, last }]));
  const sink = nodeRecords(batch, TRIE_ACCOUNTS, ACCOUNT_TRIE, () => flush(false));
  context.accountTrie = { leaves, late, complete: buildTrieLater(leaves, sink, late), flush };
}

/** Puts the late leaves' storage roots (32 bytes each, in order) in place, writes the rest and the root. */
function endAccountTrie(context: WriterContext, roots: Uint8Array, stateRoot: Uint8Array): void {
  const build = context.accountTrie;
  if (build === undefined) throw new Error("bulk load: no account trie is being built");
  context.accountTrie = undefined;
  for (const [i, index] of build.late.entries()) {
    setAccountLeafStorageRoot(build.leaves.value(index), roots.subarray(i * 32, i * 32 + 32));
  }
  stateRoot.set(build.complete());
  build.flush(true);
}

export class BulkWriter {
  private thread: WriterThread | undefined;
  /** A state batch being packed for the thread. */
  private readonly packing = new RecordBatch();
  private readonly packingTables: RawStateTables = {
    account: (address, record) => this.packing.add(ACCOUNTS, address, record),
    code: (codeHash, code) => this.packing.add(CODE, codeHash, code),
    slot: (key, value) => this.packing.add(STORAGE, key, value),
  };

  /** The jobs' context while there is no writer thread (a small load): they run here. */
  private readonly here: WriterContext;

  constructor(
    private readonly lmdb: LmdbState,
    nodes: TrieNodeStore,
  ) {
    this.here = { lmdb, nodes };
  }

  /** From the next write on, batches go to a writer thread (the load is large); once. */
  startThread(): void {
    if (this.thread !== undefined) return;
    // The account leaves are kept where the records go: all on one thread.
    if (this.here.accountLeaves !== undefined)
      throw new Error("bulk load: the writer thread starts after account records");
    this.thread = new WriterThread(this.lmdb.path);
  }

  /** As LmdbState.writeRawStateSync: one state-writing commit of what `write` puts. */
  writeRawStateSync(write: (tables: RawStateTables) => void): void {
    if (this.thread === undefined) {
      this.lmdb.writeRawStateSync(write, true);
      return;
    }
    write(this.packingTables);
    this.thread.send({ kind: "state", records: this.packing.take() });
  }

  /** Writes chunks of a large storage's slots (writeClaimedSlots), after the jobs handed over before. */
  writeClaimedSlots(slots: SharedSlots): void {
    this.run({ kind: "slots", slots });
  }

  /**
   * Account records (`records` are not used again by the caller), with their storage roots (32
   * bytes each, in the order added): their leaves are kept for the account trie, and where `write`
   * the records are written in `order` (writeAccountsInOrder).
   */
  writeAccounts(
    records: LeafBuffer,
    order: Uint32Array<ArrayBuffer>,
    storageRoots: Uint8Array<ArrayBuffer>,
    batch: number,
    write: boolean,
  ): void {
    this.run({ kind: "accounts", records: records.parts(), order, storageRoots, batch, write });
  }

  /** Writes `batch`'s trie nodes (and empties it); `last` marks the trie current, after every state write. */
  writeNodes(batch: RecordBatch, last: boolean): void {
    this.run({ kind: "nodes", records: batch.take(), last });
  }

  /**
   * Writes `batch`'s trie nodes (and empties it) on this thread, between the writer thread's
   * transactions (LMDB takes them in turn).
   */
  writeNodesHere(batch: RecordBatch): void {
    batch.drain((records) => writeJobs(this.here, [{ kind: "nodes", records, last: false }]));
  }

  /**
   * Builds the account trie of the accounts given (where they went: the writer thread in a large
   * load), but for the nodes above the leaves added at the indices `late`, whose storage roots are
   * given to `endAccountTrie`, the load's last write.
   */
  startAccountTrie(late: number[]): void {
    this.run({ kind: "accountTrie", late });
  }

  /** Hands over the late leaves' storage roots (32 bytes each, in `late`'s order); returns the state root, once all is written. */
  endAccountTrie(roots: Uint8Array): Uint8Array {
    const stateRoot = new Uint8Array(this.thread === undefined ? new ArrayBuffer(32) : new SharedArrayBuffer(32));
    this.run({ kind: "accountTrieEnd", roots, stateRoot });
    this.finish();
    return stateRoot;
  }

  /** Runs `job` on the writer thread, or here where there is none. */
  private run(job: WriterJob): void {
    if (this.thread === undefined) writeJobs(this.here, [job]);
    else this.thread.send(job);
  }

  /** Returns once every write is done and readable here; throws where one failed. */
  finish(): void {
    const thread = this.thread;
    if (thread === undefined) return;
    this.thread = undefined;
    thread.close();
    // The loading thread's read snapshot predates the thread's commits.
    this.lmdb.refresh();
  }

  /** A load given up (bad input): the writes not yet made are dropped. */
  abandon(): void {
    this.thread?.abandon();
    this.thread = undefined;
  }
}

/** The buffers a job hands over (they are not used again on the loading thread). */
function transferred(job: WriterJob): ArrayBuffer[] {
  // A SharedSlots' memory is shared, not moved.
  if (job.kind === "accountTrieEnd" || job.kind === "accountTrie" || job.kind === "slots") return [];
  if (job.kind === "accounts") {
    const { keys, values, ends } = job.records;
    return [keys.buffer, values.buffer, ends.buffer, job.order.buffer, job.storageRoots.buffer];
  }
  const { bytes, ends, tables } = job.records;
  return [bytes.buffer, ends.buffer, tables.buffer];
}

/** The writer thread (bulk-writer-worker.ts) and the counters shared with it. */
class WriterThread {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly counters = new Int32Array(new SharedArrayBuffer(8));
  private sent = 0;

  constructor(path: string) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const data: WriterThreadData = { path, port: port2, counters: this.counters };
    this.worker = new Worker(new URL("./bulk-writer-worker.js", import.meta.url), {
      workerData: data,
      transferList: [port2],
    });
    // Neither keeps the process alive: a load that fails leaves the thread to end on its own.
    this.worker.unref();
    this.port.unref();
  }

  send(job: WriterJob): void {
    const buffers = transferred(job);
    // A job that holds no batch (a step of the account trie, shared slots) is not held back: the
    // loader goes on to build the storage tries meanwhile.
    if (buffers.length > 0) this.waitUntilDone(this.sent + 1 - MAX_IN_FLIGHT);
    this.port.postMessage(job, buffers);
    this.sent++;
  }

  /** Waits for every batch, then lets the thread end. */
  close(): void {
    this.waitUntilDone(this.sent);
    this.port.postMessage(CLOSE_WORKER);
  }

  abandon(): void {
    Atomics.compareExchange(this.counters, STATUS, RUNNING, ABANDONED);
    this.port.postMessage(CLOSE_WORKER);
  }

  private waitUntilDone(batches: number): void {
    for (;;) {
      const done = Atomics.load(this.counters, DONE);
      if (Atomics.load(this.counters, STATUS) === FAILED) {
        const message = receiveMessageOnPort(this.port)?.message;
        this.port.postMessage(CLOSE_WORKER);
        if (typeof message === "object" && message !== null && "duplicateLeaf" in message) {
          throw new DuplicateLeafError(Number(message.duplicateLeaf));
        }
        throw new Error(`bulk load: a write failed: ${String(message)}`);
      }
      if (done >= batches) return;
      Atomics.wait(this.counters, DONE, done);
    }
  }
}
