// What the chain's parts share (chain.ts reads, block-production.ts mines, dev-edits.ts edits,
// rewind.ts rewinds): the stores, the head, the block in flight, the one write queue and the commit
// primitives every write goes through. Not exported beyond src/chain: Chain is the API.
//
// Every operation that writes runs through `serialize`, in call order, one at a time; all but mining
// first wait for the commit in flight (`drain`), so they see the head as durable.
import type { StateWrites } from "../evm/host.js";
import type { Slices } from "../primitives/slices.js";
import type { BatchStaging, InTransaction, LmdbState } from "../state/lmdb-state.js";
import type { StateRootCommit, StateRoots } from "../state/trie/state-roots.js";
import { TrieLogWriter } from "../state/trie/trie-store.js";
import type { BlockView, ChainStore } from "./chain-store.js";
import type { CommittingState } from "./committing-state.js";
import type { GenesisSpec } from "./genesis.js";
import { decodeUndo, type HistoricalState, type HistorySource, type UndoRecord } from "./history.js";
import { Lru } from "./lru.js";
import type { Block, BlockHeader, TransactionReceipt } from "./types.js";

/** Blocks (and their receipts) kept decoded in memory: at most this many, */
const BLOCK_CACHE = 256;
/** holding at most this many transactions (or receipts) together, some 1-2 KB each. */
const BLOCK_CACHE_TXS = 32_768;
/** Historical states kept open (each holds the changes since its block). */
const HISTORY_CACHE = 8;

/** The block whose commit is in flight: mined on the head, not yet reported. */
export interface CommittingBlock {
  block: Block;
  /** The state after it, for the next block to execute on. */
  state: CommittingState;
  /** Settles once its commit is durable or failed (never rejects). */
  settled: Promise<void>;
  failure?: unknown;
  /** `Chain.state()` meanwhile: the head's state, this block undone where LMDB holds it already. */
  headState?: HistoricalState;
}

export class ChainCore {
  /** The state trie on disk: the state root, updated from each commit's changed paths (maybe on its own thread). */
  roots!: StateRoots;
  /** Writes each commit's trie record in its transaction. */
  readonly trieLog: TrieLogWriter;
  head: Block;
  /** The block whose commit is in flight (the head is its parent), if any. */
  committing: CommittingBlock | undefined;
  /** The newest undo sequence handed out (its record committed or being committed). */
  published: bigint;
  /** Undo records whose commit is in flight, for historical states that fold them in early. */
  readonly inflight = new Map<bigint, UndoRecord>();
  /** Advances with every rewind: historical states check their block is still canonical. */
  epoch = 0;
  closed = false;
  /** The first block's number: 0, or the upstream's block on a fork. */
  genesisNumber = 0n;
  /** What the chain was made from (a re-fork funds its accounts again). */
  genesisSpec: GenesisSpec | undefined;
  readonly blocks = new Lru<bigint, Block>(BLOCK_CACHE, BLOCK_CACHE_TXS, (b) => b.transactions.length);
  readonly receiptCache = new Lru<bigint, TransactionReceipt[]>(BLOCK_CACHE, BLOCK_CACHE_TXS, (r) => r.length);
  readonly historical = new Lru<bigint, HistoricalState>(HISTORY_CACHE);
  readonly history: HistorySource;
  /** Commits made (blocks, dev edits) and heads replaced (rewinds): a block prepared before one is stale. */
  writes = 0;
  /**
   * A block executed ahead of its request on the tip (BlockProduction.prepareMining), its root under
   * way: taken by the mining that matches it, else dropped before the next write (`dropPrepared`).
   */
  prepared: { rooting: Promise<unknown> } | undefined;
  /** Prepared blocks dropped (ChainMetrics.preparedDropped). */
  preparedDropped = 0;
  /** Tail of the write queue; never rejects. */
  queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly lmdb: LmdbState,
    readonly store: ChainStore,
    readonly chainId: bigint,
    head: Block,
  ) {
    this.head = head;
    this.trieLog = new TrieLogWriter(lmdb);
    this.published = store.lastSeq();
    const core = this;
    this.history = {
      get publishedSeq() {
        return core.published;
      },
      get epoch() {
        return core.epoch;
      },
      undoFrom: (from) => this.undoFrom(from),
      canonicalHash: (n) => this.blockByNumber(n)?.hash,
    };
  }

  /** The newest block mined: the one whose commit is in flight, else the head. The next block's parent. */
  tip(): Block {
    return this.committing?.block ?? this.head;
  }

  blockByNumber(n: bigint): Block | undefined {
    if (n < 0n || n > this.head.header.number) return undefined;
    if (n === this.head.header.number) return this.head;
    let block = this.blocks.get(n);
    if (block === undefined) {
      block = this.store.block(n);
      if (block !== undefined) this.blocks.set(n, block);
    }
    return block;
  }

  /**
   * Block `number` of the canonical chain without decoding its transactions: its hash (the stored
   * header's) and header, and the block where it is decoded already; undefined past the head.
   */
  blockView(n: bigint): (BlockView & { header: BlockHeader }) | undefined {
    if (n < 0n || n > this.head.header.number) return undefined;
    const block = n === this.head.header.number ? this.head : this.blocks.get(n);
    if (block !== undefined) return { hash: block.hash, header: block.header, block };
    return this.store.headerAndHash(n);
  }

  /** The receipts of block `number` (empty for an unknown block). */
  blockReceipts(number: bigint): TransactionReceipt[] {
    const view = this.blockView(number);
    if (view === undefined) return [];
    let receipts = this.receiptCache.get(number);
    if (receipts === undefined || receipts[0]?.blockHash !== view.hash) {
      // A block not decoded already stays so: its receipts take the transactions' fields from the body.
      receipts =
        view.block !== undefined ? this.store.receiptsOf(view.block) : this.store.storedReceipts(number, view.hash);
      this.receiptCache.set(number, receipts);
    }
    return receipts;
  }

  /** A new head other than a mined block's (a rewind, a new fork): decoded blocks and states are stale. */
  replaceHead(head: Block): void {
    this.head = head;
    this.writes++;
    this.epoch++;
    this.blocks.clear();
    this.receiptCache.clear();
    this.historical.clear();
  }

  /**
   * The state root once `writes` are applied, and the trie record their commit writes: the stored
   * trie updated along the changed paths only (StateRoots). Once per commit, before it, in order.
   * `slices`: where the trie is on this thread, it is updated in slices.
   */
  async rootAfter(writes: StateWrites, slices?: Slices): Promise<StateRootCommit> {
    try {
      return await this.roots.rootAfter(writes, slices);
    } catch (error) {
      // Half-applied nodes go. With a commit in flight its sealed nodes are still read: the caller
      // discards once it has landed (block-production.ts).
      if (this.committing === undefined) this.roots.discard();
      throw error;
    }
  }

  /**
   * Commits `writes` (whose root `rootAfter` computed: `trie`) with the trie's record and what
   * `inTxn` writes, in one transaction, durably; `applied` is told once they are all in it (LMDB's
   * write thread then commits and flushes it). The trie's nodes stay readable until then; a failed
   * commit drops them and every later pending node. `batched` (a mined block, whose records read
   * nothing the same commit writes): LMDB's B-tree work runs on its write thread, the state writes
   * staged in slices or staged already (LmdbState.commitBatched).
   */
  async commitState(
    writes: StateWrites,
    trie: StateRootCommit,
    inTxn: InTransaction,
    applied?: () => void,
    batched?: BatchStaging,
  ): Promise<void> {
    this.writes++;
    try {
      const inTransaction = () => {
        const meta = inTxn();
        this.trieLog.write(trie);
        applied?.();
        return meta;
      };
      if (batched !== undefined) await this.lmdb.commitBatched(writes, undefined, inTransaction, batched);
      else await this.lmdb.commit(writes, undefined, inTransaction);
    } catch (e) {
      this.roots.discard();
      throw e;
    }
    this.roots.written(trie);
  }

  /**
   * Commits `writes` with an undo record under a new sequence: `inTxn` writes the chain's records in
   * the same transaction. The record is published first, so that historical states fold it in
   * whether or not they see the commit yet. `batched`: as commitState's.
   */
  async commitWithUndo(
    writes: StateWrites,
    trie: StateRootCommit,
    undo: UndoRecord,
    inTxn: (seq: bigint) => { number: bigint; hash: bigint; stateRoot?: bigint },
    applied?: () => void,
    batched?: BatchStaging,
  ): Promise<void> {
    const seq = ++this.published;
    this.inflight.set(seq, undo);
    try {
      await this.commitState(writes, trie, () => inTxn(seq), applied, batched);
    } finally {
      this.inflight.delete(seq);
    }
  }

  /**
   * Queues `fn` behind every earlier write; unless `pipelined` (mining, which builds on the block
   * in flight) it also waits for the commit in flight, so it sees the head as durable.
   */
  serialize<T>(fn: () => Promise<T>, pipelined = false): Promise<T> {
    if (this.closed) return Promise.reject(new Error("chain is closed"));
    const run = this.queue.then(async () => {
      if (!pipelined) {
        await this.drain();
        await this.dropPrepared();
      }
      return fn();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Gives up the prepared block, if any (`discardAfter` its root). */
  async dropPrepared(): Promise<void> {
    const prepared = this.prepared;
    if (prepared === undefined) return;
    this.prepared = undefined;
    this.preparedDropped++;
    await this.discardAfter(prepared.rooting);
  }

  /**
   * Gives up a block not committed, whose root (`rooting`) was the last started: once the commit in
   * flight is durable (or failed) and that root settled, its nodes, the only ones pending then, go
   * (StateRoots.discard).
   */
  async discardAfter(rooting: Promise<unknown>): Promise<void> {
    await this.drain();
    await rooting.catch(() => undefined);
    this.roots.discard();
  }

  /** Waits until no block's commit is in flight (whether it landed or failed). */
  async drain(): Promise<void> {
    while (this.committing !== undefined) await this.committing.settled;
  }

  /** Undo records with sequence >= `from`, oldest first: committed ones, then those in flight. */
  *undoFrom(from: bigint): Iterable<[bigint, UndoRecord]> {
    let last = from - 1n;
    for (const [seq, bytes] of this.store.undoFrom(from)) {
      last = seq;
      yield [seq, this.inflight.get(seq) ?? decodeUndo(bytes)];
    }
    const pending = [...this.inflight.entries()].filter(([seq]) => seq > last).sort(([a], [b]) => (a < b ? -1 : 1));
    yield* pending;
  }
}
