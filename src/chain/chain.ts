// The canonical chain on LMDB: genesis, blocks mined one after another, each committed with its
// state, receipts, transaction index and undo record in ONE transaction and reported only once that
// transaction is flushed (so kill -9 loses no block `mine` resolved); past blocks' state through the
// undo records (history.ts); dev edits, snapshots and state dumps.
//
// Every operation that writes (mine, setAccount, revert, loadState) runs through one queue, in call
// order, one at a time. Reads (head, blocks, receipts, state) see the last committed operation.
//
// Mining is pipelined one block deep: once block N's writes are in its LMDB transaction, the queue
// moves on and block N+1 executes on N's writes layered over LMDB (committing-state.ts; the trie
// reads N's sealed nodes) while LMDB's write thread commits and flushes N. N becomes the head (and
// `mine` resolves) only once durable; N+1's transaction starts only after that, so commits stay in
// order and a failed one takes the blocks built on it down with it. Every other write first waits
// for the commit in flight.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { AccountWrite, BlockEnv, Host, StateWrites } from "../evm/host.js";
import { deletedAccountWrite } from "../evm/host.js";
import { lmdbBase } from "../exec/block/pool/base-state.js";
import type { ExecutionMode } from "../exec/block/types.js";
import { bigintToBytes } from "../primitives/hex.js";
import { EMPTY_CODE_HASH, keccak256Word } from "../primitives/keccak.js";
import { MAX_U256 } from "../primitives/word-view.js";
import { checkLmdbFile, LMDB_DATA_FILE } from "../state/lmdb-file-check.js";
import { type InTransaction, LmdbState } from "../state/lmdb-state.js";
import { type AccountProof, proveFromTrie } from "../state/proof.js";
import { StoreDamagedError } from "../state/store-errors.js";
import { StateBulkLoader } from "../state/trie/bulk-load.js";
import type { StateTrie } from "../state/trie/state-trie.js";
import type { TrieCacheStats } from "../state/trie/trie-store.js";
import { VersionReadCache } from "../state/version-read-cache.js";
import { readingStore, verifyChainStore } from "./chain-check.js";
import { ChainStore, type TransactionLocation } from "./chain-store.js";
import { CommittingState } from "./committing-state.js";
import { nextBaseFee, nextExcessBlobGas } from "./fees.js";
import {
  type ChainFork,
  type ForkRequest,
  type ForkReset,
  forkGenesisWrites,
  openFork,
  putForkRecord,
  recordOf,
  refork,
} from "./fork.js";
import { type GenesisSpec, genesisHeader, writeGenesisState } from "./genesis.js";
import { beginGenesisLoad, discardInterruptedGenesisLoad, endGenesisLoad } from "./genesis-load.js";
import { hashHeader } from "./header.js";
import {
  decodeUndo,
  encodeUndo,
  HistoricalState,
  type HistorySource,
  mergeLater,
  type UndoRecord,
  undoOf,
  undoWrites,
} from "./history.js";
import { blockHeader, blockReceipts, buildBlock, type Rejected } from "./mine.js";
import {
  type AccountChange,
  decodeStateDump,
  dumpAccounts,
  dumpBlock,
  dumpBlockEnv,
  dumpChanges,
  SnapshotRegistry,
  type StateDump,
} from "./snapshot.js";
import type { Block, DroppedBlock, SignedTransaction, TransactionReceipt } from "./types.js";

export type { AccountChange, StateDump } from "./snapshot.js";

export interface ChainOptions {
  /** Directory of the node's data; the chain's LMDB environment is its `chain` subdirectory. */
  datadir: string;
  genesis: GenesisSpec;
  /** Block-STM worker threads when above 1 (executeBlock's `threads`). */
  threads?: number;
  /**
   * With threads above 1: "auto" (default) lets the executor run a block sequentially where
   * parallelism would not pay; "parallel" runs Block-STM on every block (tests that compare the two).
   */
  executorMode?: "auto" | "parallel";
  /**
   * The datadir is known to hold a chain (the node found its genesis.json): a store that is missing
   * or empty is damage, not a new chain.
   */
  resume?: boolean;
  /** Fork this upstream (fork.ts): the chain starts at its block, and state reads fall through to it. */
  fork?: ForkRequest;
  /** Bytes the state trie's node cache may hold (default 256 MiB). */
  stateCacheBytes?: number;
  /** Told of one-off work at open (building the state trie tables of a datadir from an older version). */
  log?: (line: string) => void;
}

export interface MinedBlock {
  block: Block;
  receipts: TransactionReceipt[];
  /** Invalid on the block's state (and their senders' later transactions): not included. */
  rejected: Rejected[];
  /** Did not fit the block's gas: for a later block. */
  deferred: SignedTransaction[];
  /** The block's net state writes by address: the accounts it changed (the pool re-checks only their senders). */
  writes: StateWrites;
  /** How the block was executed and where mining it spent its time (logs and metrics). */
  stats: MiningStats;
}

/** One block's mining: the executor's mode and aborts, and the milliseconds of each stage. */
export interface MiningStats {
  mode: ExecutionMode;
  /** Executions beyond one per transaction (Block-STM aborts); 0 when sequential. */
  reexecutions: number;
  executeMs: number;
  stateRootMs: number;
  commitMs: number;
}

/** A block whose execution is done and whose commit is under way (`Chain.startMining`). */
export interface StartedBlock {
  /** The block and what it rejected (known before it is durable). */
  block: Block;
  rejected: Rejected[];
  /** Resolves once the block is durable and the head; rejects where its commit failed. */
  mined: Promise<MinedBlock>;
}

/** `startMining` was told to build on a block that is no longer the tip (its commit failed). */
export class TipMovedError extends Error {}

/** The block whose commit is in flight: mined on the head, not yet reported. */
interface CommittingBlock {
  block: Block;
  /** The state after it, for the next block to execute on. */
  state: CommittingState;
  /** Settles once its commit is durable or failed (never rejects). */
  settled: Promise<void>;
  failure?: unknown;
  /** `state()` meanwhile: the head's state, this block undone where LMDB holds it already. */
  headState?: HistoricalState;
}

/** Told once per rewind that drops blocks, after its commit: the dropped blocks, oldest first. */
export type BlocksDroppedListener = (dropped: DroppedBlock[]) => void;

const MAX_U64 = (1n << 64n) - 1n;
const MAX_ADDRESS = (1n << 160n) - 1n;
/** Blocks (and their receipts) kept decoded in memory: at most this many, */
const BLOCK_CACHE = 256;
/** holding at most this many transactions (or receipts) together, some 1-2 KB each. */
const BLOCK_CACHE_TXS = 32_768;
/** Accounts and slots a block's execution keeps of its parent's state for the undo record (a 30M-gas block reads at most some 15,000 cold). */
const BLOCK_READS_HELD = 1_000_000;
/** Historical states kept open (each holds the changes since its block). */
const HISTORY_CACHE = 8;

export class Chain {
  readonly chainId: bigint;
  private readonly threads: number;
  private executorMode: "auto" | "parallel" = "auto";
  /** Counters since open (weft_metrics): mined blocks and transactions, and where mining's time went. */
  readonly metrics: ChainMetrics = { blocks: 0, txs: 0, parallelBlocks: 0, executeMs: 0, stateRootMs: 0, commitMs: 0 };
  /** The state trie on disk: the state root, updated from each commit's changed paths. */
  private stateTrie!: StateTrie;
  private headBlock: Block;
  /** Tail of the write queue; never rejects. */
  private queue: Promise<unknown> = Promise.resolve();
  /** The block whose commit is in flight (the head is its parent), if any. */
  private committing: CommittingBlock | undefined;
  /** The newest undo sequence handed out (its record committed or being committed). */
  private published: bigint;
  /** Undo records whose commit is in flight, for historical states that fold them in early. */
  private readonly inflight = new Map<bigint, UndoRecord>();
  private epoch = 0;
  private closed = false;
  /** True when `open` made the chain (its genesis) rather than finding it. */
  created = false;
  /** The first block's number: 0, or the upstream's block on a fork. */
  private genesisNumber = 0n;
  /** What the chain was made from (a re-fork funds its accounts again). */
  private genesisSpec: GenesisSpec | undefined;
  private readonly blocks = new Lru<bigint, Block>(BLOCK_CACHE, BLOCK_CACHE_TXS, (b) => b.transactions.length);
  private readonly receiptCache = new Lru<bigint, TransactionReceipt[]>(BLOCK_CACHE, BLOCK_CACHE_TXS, (r) => r.length);
  private readonly historical = new Lru<bigint, HistoricalState>(HISTORY_CACHE);
  private readonly snapshots = new SnapshotRegistry();
  private readonly history: HistorySource;
  /** anvil_setCoinbase: the beneficiary of every later block (default: the parent's). */
  private coinbaseOverride: bigint | undefined;
  /** evm_setBlockGasLimit: the gas limit of every later block (default: the parent's). */
  private gasLimitOverride: bigint | undefined;
  /** anvil_setNextBlockBaseFeePerGas: the next block's base fee only (default: EIP-1559's). */
  private nextBaseFeeOverride: bigint | undefined;

  private constructor(
    private readonly lmdb: LmdbState,
    private readonly store: ChainStore,
    chainId: bigint,
    head: Block,
    threads: number,
  ) {
    this.chainId = chainId;
    this.headBlock = head;
    this.threads = threads;
    this.published = store.lastSeq();
    const chain = this;
    this.history = {
      get publishedSeq() {
        return chain.published;
      },
      get epoch() {
        return chain.epoch;
      },
      undoFrom: (from) => this.undoFrom(from),
      canonicalHash: (n) => this.blockByNumber(n)?.hash,
    };
  }

  /**
   * Opens the chain in `o.datadir`, creating it from `o.genesis` where the directory holds none. A
   * datadir made from another genesis (another chain id or another block 0) is an error. The store is
   * checked first (LMDB's meta pages, then the head and the blocks below it, and the state against
   * the head's root: see chain-check.ts): damage is a StoreDamagedError, never served.
   */
  static async open(o: ChainOptions): Promise<Chain> {
    const path = join(o.datadir, "chain");
    const reloading = discardInterruptedGenesisLoad(path);
    if (reloading) o.log?.(`discarded a genesis load cut short in ${path}; loading it again`);
    const file = checkLmdbFile(path);
    if (o.resume === true && file.kind !== "ok" && !reloading) {
      const what = file.kind === "absent" ? "is missing" : "is empty";
      throw new StoreDamagedError(path, `${LMDB_DATA_FILE} ${what}, but the datadir holds a chain (its genesis.json)`);
    }
    mkdirSync(path, { recursive: true });
    const lmdb = readingStore(path, () => LmdbState.open(path));
    try {
      const { store, stored, holdsState } = readingStore(path, () => {
        const store = new ChainStore(lmdb);
        const stored = store.genesis();
        return {
          store,
          stored,
          holdsState: stored === undefined && (lmdb.head() !== undefined || hasAny(lmdb.addresses())),
        };
      });
      const fork = openFork(lmdb, store, o.fork, o.datadir, (read) => readingStore(path, read));
      const created = stored === undefined;
      let genesis: Block;
      if (stored === undefined) {
        if (holdsState) {
          throw new Error(`${path} holds state but no chain: not a Weft datadir, or made by another version`);
        }
        genesis = await Chain.createGenesis(lmdb, store, o.genesis, fork);
      } else {
        // A kept chain's restart reads no allocation (genesis.json's header only): block 0 has its root.
        const root = o.genesis.allocOmitted ? readingStore(path, () => store.header(0n))?.stateRoot : undefined;
        const header = genesisHeader(o.genesis, root);
        genesis = fork?.base ?? { header, hash: hashHeader(header), transactions: [] };
      }
      if (stored !== undefined && stored.chainId !== o.genesis.chainId) {
        throw new Error(
          `datadir ${o.datadir} holds chain id ${stored.chainId}, not ${o.genesis.chainId}: use another datadir or the same chain id`,
        );
      } else if (stored !== undefined && stored.hash !== genesis.hash) {
        throw new Error(
          `datadir ${o.datadir} was made from another genesis (block 0 is 0x${stored.hash.toString(16)} there, 0x${genesis.hash.toString(16)} from the given genesis): use another datadir`,
        );
      }
      const trieOptions = {
        ...(o.stateCacheBytes === undefined ? {} : { cacheBytes: o.stateCacheBytes }),
        ...(o.log === undefined ? {} : { log: o.log }),
      };
      const { head, trie } = verifyChainStore(lmdb, store, path, undefined, trieOptions);
      const chain = new Chain(lmdb, store, o.genesis.chainId, head, Math.max(1, Math.floor(o.threads ?? 1)));
      chain.stateTrie = trie!;
      chain.created = created;
      if (o.executorMode !== undefined) chain.executorMode = o.executorMode;
      chain.genesisNumber = genesis.header.number;
      chain.genesisSpec = o.genesis;
      return chain;
    } catch (e) {
      await lmdb.close();
      // LMDB's own damage reports from a read not run through readingStore (the genesis load's,
      // for one): damage all the same.
      if (e instanceof Error && /^MDB_(CORRUPTED|PAGE_NOTFOUND|BAD_)/.test(e.message)) {
        throw new StoreDamagedError(path, `a record cannot be read (${e.message})`);
      }
      throw e;
    }
  }

  /** Writes block 0 and its state (the flat state and the trie, in bulk); returns the block. */
  private static async createGenesis(
    lmdb: LmdbState,
    store: ChainStore,
    spec: GenesisSpec,
    fork: ChainFork | undefined,
  ): Promise<Block> {
    if (fork !== undefined) {
      const genesis = fork.base;
      // The upstream's block N with the funded accounts set: the header's root is the upstream's, not the local state's.
      await lmdb.commit(forkGenesisWrites(spec, fork), undefined, () => {
        store.putGenesis(genesis.hash, spec.chainId);
        store.putBlock(genesis, []);
        putForkRecord(lmdb, recordOf(fork));
        return { number: genesis.header.number, hash: genesis.hash };
      });
      return genesis;
    }
    beginGenesisLoad(lmdb.path);
    const root = writeGenesisState(new StateBulkLoader(lmdb, { writeFlatState: true }), spec);
    const header = genesisHeader(spec, root);
    const genesis: Block = { header, hash: hashHeader(header), transactions: [] };
    await lmdb.commit(new Map(), undefined, () => {
      store.putGenesis(genesis.hash, spec.chainId);
      store.putBlock(genesis, []);
      return { number: 0n, hash: genesis.hash, stateRoot: root };
    });
    endGenesisLoad(lmdb.path);
    return genesis;
  }

  // ---- reads ----

  /** The directory of the chain's LMDB environment (worker threads open it read-only). */
  get lmdbPath(): string {
    return this.lmdb.path;
  }

  head(): Block {
    return this.headBlock;
  }

  /** The newest block mined: the one whose commit is in flight, else the head. The next block's parent. */
  tip(): Block {
    return this.committing?.block ?? this.headBlock;
  }

  /** The chain's first block: block 0, or on a fork the upstream's block it forked at. */
  firstBlock(): Block {
    return this.blockByNumber(this.genesisNumber)!;
  }

  blockByNumber(n: bigint): Block | undefined {
    if (n < 0n || n > this.headBlock.header.number) return undefined;
    if (n === this.headBlock.header.number) return this.headBlock;
    let block = this.blocks.get(n);
    if (block === undefined) {
      block = this.store.block(n);
      if (block !== undefined) this.blocks.set(n, block);
    }
    return block;
  }

  blockByHash(hash: bigint): Block | undefined {
    if (hash === this.headBlock.hash) return this.headBlock;
    const n = this.store.numberOf(hash);
    if (n === undefined) return undefined;
    const block = this.blockByNumber(n);
    return block?.hash === hash ? block : undefined;
  }

  transaction(hash: bigint): TransactionLocation | undefined {
    return this.store.locateTransaction(hash, (n) => this.blockByNumber(n));
  }

  receipt(hash: bigint): TransactionReceipt | undefined {
    const loc = this.transaction(hash);
    return loc === undefined ? undefined : this.blockReceipts(loc.blockNumber)[loc.index];
  }

  /** The receipts of block `number` (empty for an unknown block). */
  blockReceipts(number: bigint): TransactionReceipt[] {
    const block = this.blockByNumber(number);
    if (block === undefined) return [];
    let receipts = this.receiptCache.get(number);
    if (receipts === undefined || receipts[0]?.blockHash !== block.hash) {
      receipts = this.store.receiptsOf(block);
      this.receiptCache.set(number, receipts);
    }
    return receipts;
  }

  /**
   * The head state (dev edits included); it follows the chain as blocks are added. While a block's
   * commit is in flight LMDB may already show it: the head's state then undoes it (its undo record).
   */
  state(): Host {
    const committing = this.committing;
    if (committing === undefined || committing.block === this.headBlock) return this.lmdb;
    if (committing.headState?.hash !== this.headBlock.hash) committing.headState = this.headHistory();
    return committing.headState;
  }

  /** The head's state: LMDB with the undo records newer than the head (commits in flight) undone. */
  private headHistory(): HistoricalState {
    const head = this.headBlock;
    let from = this.published + 1n;
    for (const seq of this.inflight.keys()) if (seq < from) from = seq;
    return new HistoricalState(this.lmdb, this.history, head.header.number, head.hash, from);
  }

  /**
   * The state after block `number` (with the dev edits made while it was the head: the state the
   * next block was built on). It stays at that block while the chain grows; it throws once a revert
   * drops the block. Cost: see history.ts (reads every undo record since the block, once).
   */
  stateAt(number: bigint): Host {
    const head = this.headBlock;
    if (number < 0n || number > head.header.number) {
      throw new Error(`block ${number} is not in the chain (head is ${head.header.number})`);
    }
    if (number === head.header.number) return this.headHistory();
    if (number < this.genesisNumber)
      throw new Error(`block ${number} is before the fork (block ${this.genesisNumber})`);
    const block = this.blockByNumber(number)!;
    const cached = this.historical.get(number);
    if (cached !== undefined && cached.hash === block.hash) return cached;
    const from = this.store.blockSeq(number + 1n);
    if (from === undefined) throw new Error(`chain store: block ${number + 1n} has no undo record`);
    const state = new HistoricalState(this.lmdb, this.history, number, block.hash, from);
    this.historical.set(number, state);
    return state;
  }

  /**
   * The environment of the next block: parent's gas limit and coinbase, EIP-1559 base fee, EIP-4844
   * excess blob gas (coinbase, gas limit and base fee as the dev setters left them, where they did).
   */
  nextBlockEnv(timestamp: bigint): BlockEnv {
    return this.envOn(this.headBlock, timestamp);
  }

  private envOn(parent: Block, timestamp: bigint): BlockEnv {
    return {
      chainId: this.chainId,
      number: parent.header.number + 1n,
      coinbase: this.coinbaseOverride ?? parent.header.coinbase,
      timestamp,
      gasLimit: this.gasLimitOverride ?? parent.header.gasLimit,
      baseFee: this.nextBaseFeeOverride ?? nextBaseFee(parent.header),
      // Deterministic, different every block (a dev chain has no beacon randomness).
      prevRandao: keccak256Word(bigintToBytes(parent.hash, 32)),
      excessBlobGas: nextExcessBlobGas(parent.header),
    };
  }

  /** The next mined block's base fee: a dev-set one, else EIP-1559's from the tip. */
  nextBaseFee(): bigint {
    return this.nextBaseFeeOverride ?? nextBaseFee(this.tip().header);
  }

  /** The next mined block's gas limit: a dev-set one, else the tip's. */
  nextGasLimit(): bigint {
    return this.gasLimitOverride ?? this.tip().header.gasLimit;
  }

  /** The environment block `block` was executed in (for re-executing or tracing its transactions). */
  blockEnvOf(block: Block): BlockEnv {
    const h = block.header;
    return {
      chainId: this.chainId,
      number: h.number,
      coinbase: h.coinbase,
      timestamp: h.timestamp,
      gasLimit: h.gasLimit,
      baseFee: h.baseFeePerGas,
      prevRandao: h.mixHash,
      excessBlobGas: h.excessBlobGas,
    };
  }

  // ---- writes ----

  /**
   * Mines the next block from `txs` (in the order given; see buildBlock for what is dropped or
   * deferred) and resolves once it is durably committed. The timestamp may equal the parent's, not
   * precede it.
   */
  mine(txs: readonly SignedTransaction[], o: { timestamp: bigint }): Promise<MinedBlock> {
    return this.startMining(txs, o).then((started) => started.mined);
  }

  /**
   * Mines the next block on the tip and resolves once it is executed and its commit is under way:
   * the next block may then be mined on top while this one is written. `mined` resolves once it is
   * durable and the head. With `parent`, fails with a TipMovedError unless the tip is that block.
   */
  startMining(txs: readonly SignedTransaction[], o: { timestamp: bigint; parent?: bigint }): Promise<StartedBlock> {
    return this.serialize(() => this.mineNow(txs, o.timestamp, o.parent), true);
  }

  private async mineNow(
    txs: readonly SignedTransaction[],
    timestamp: bigint,
    expectedParent: bigint | undefined,
  ): Promise<StartedBlock> {
    // Block-STM's workers read LMDB, which lacks the block in flight: a forced parallel block waits for it.
    if (this.threads > 1 && this.executorMode === "parallel") await this.drain();
    const previous = this.committing;
    const parent = this.tip();
    if (expectedParent !== undefined && parent.hash !== expectedParent) {
      throw new TipMovedError(`block ${parent.header.number + 1n}'s intended parent is gone (its commit failed)`);
    }
    if (timestamp < parent.header.timestamp) {
      throw new Error(`block timestamp ${timestamp} is before its parent's (${parent.header.timestamp})`);
    }
    if (timestamp > MAX_U64) throw new Error(`block timestamp ${timestamp} does not fit 64 bits`);
    const env = this.envOn(parent, timestamp);
    // A set base fee is for one block; the next follows EIP-1559 from this one.
    const baseFeeOverride = this.nextBaseFeeOverride;
    this.nextBaseFeeOverride = undefined;
    try {
      return await this.buildAndCommit(txs, parent, env, previous);
    } catch (error) {
      if (this.nextBaseFeeOverride === undefined) this.nextBaseFeeOverride = baseFeeOverride;
      throw error;
    }
  }

  /** mineNow's work once the block's environment is set: see startMining. */
  private async buildAndCommit(
    txs: readonly SignedTransaction[],
    parent: Block,
    env: BlockEnv,
    previous: CommittingBlock | undefined,
  ): Promise<StartedBlock> {
    const started = performance.now();
    const state = previous?.state ?? this.lmdb;
    // What the block reads of its parent's state is kept for its undo record (no second read).
    const reads = new VersionReadCache(BLOCK_READS_HELD).over(state, 0n);
    // Over a block in flight the main thread executes (Block-STM's workers would read LMDB without it).
    const threads = previous === undefined ? this.threads : 1;
    const built = buildBlock(
      txs,
      env,
      reads,
      threads,
      threads > 1 ? lmdbBase(this.lmdb.path) : undefined,
      this.executorMode,
    );
    const receipts = blockReceipts(built.transactions, built.result, env);
    const undo = undoOf(state, built.result.writes, reads);
    const executed = performance.now();
    let block: Block;
    let rooted: number;
    try {
      const stateRoot = this.rootAfter(built.result.writes);
      rooted = performance.now();
      const header = blockHeader(parent, env, built, receipts, stateRoot);
      block = { header, hash: hashHeader(header), transactions: built.transactions };
    } catch (error) {
      // Its pending nodes go, once the parent's are written (they are read until then).
      await this.drain();
      this.stateTrie.discardPending();
      throw error;
    }
    // One transaction at a time, in block order: the parent must be durable first.
    await this.drain();
    if (previous?.failure !== undefined) {
      // Built on a block that never landed (whose failure dropped the pending nodes, these too).
      this.stateTrie.discardPending();
      throw previous.failure;
    }
    for (const r of receipts) r.blockHash = block.hash;
    const committed = performance.now();
    let applied!: () => void;
    const inTransaction = new Promise<void>((resolve) => {
      applied = resolve;
    });
    const durable = this.commitWithUndo(
      built.result.writes,
      undo,
      (seq) => {
        this.store.putBlock(block, receipts);
        this.store.putUndo(seq, encodeUndo(undo), env.number);
        return { number: env.number, hash: block.hash, stateRoot: block.header.stateRoot };
      },
      applied,
      true,
    );
    const entry: CommittingBlock = {
      block,
      state: new CommittingState(this.lmdb, built.result.writes, env.number, block.hash),
      settled: Promise.resolve(),
    };
    this.committing = entry;
    const mined = durable.then((): MinedBlock => {
      const stats: MiningStats = {
        mode: built.result.mode,
        reexecutions: built.result.reexecutions,
        executeMs: executed - started,
        stateRootMs: rooted - executed,
        commitMs: performance.now() - committed,
      };
      const m = this.metrics;
      m.executeMs += stats.executeMs;
      m.stateRootMs += stats.stateRootMs;
      m.commitMs += stats.commitMs;
      m.blocks++;
      m.txs += built.transactions.length;
      if (built.result.mode === "parallel") m.parallelBlocks++;
      this.headBlock = block;
      // Kept for the reads that follow a new head (a client fetching it, by number, once the next
      // block is already the head): a block just mined is not decoded back from LMDB.
      this.blocks.set(env.number, block);
      this.receiptCache.set(env.number, receipts);
      return {
        block,
        receipts,
        rejected: built.rejected,
        deferred: built.deferred,
        writes: built.result.writes,
        stats,
      };
    });
    entry.settled = mined.then(
      () => undefined,
      (error: unknown) => {
        entry.failure = error;
      },
    );
    void entry.settled.then(() => {
      if (this.committing === entry) this.committing = undefined;
    });
    // Once the block's writes are in the transaction (or it failed before), and lmdb-js has handed
    // the transaction back to its write thread, the next block may run.
    await Promise.race([inTransaction, entry.settled]);
    await new Promise<void>((resolve) => setImmediate(resolve));
    return { block, rejected: built.rejected, mined };
  }

  // ---- dev settings of later blocks (in memory: a restart goes back to the parent's values) ----

  /** anvil_setCoinbase: every later block's beneficiary (and who gets its fees). */
  setCoinbase(address: bigint): void {
    check(address, MAX_ADDRESS, "address");
    this.coinbaseOverride = address;
  }

  /** evm_setBlockGasLimit: every later block's gas limit. */
  setGasLimit(limit: bigint): void {
    check(limit, MAX_U64, "gas limit");
    this.gasLimitOverride = limit;
  }

  /** anvil_setNextBlockBaseFeePerGas: the next mined block's base fee (later ones follow EIP-1559 from it). */
  setNextBaseFee(fee: bigint): void {
    check(fee, MAX_U64, "base fee");
    this.nextBaseFeeOverride = fee;
  }

  /**
   * Sets fields of an account (dev methods: anvil_setBalance, setNonce, setCode, setStorageAt).
   * Durable once resolved; seen by the next block and by `state()`; undone by a revert to a
   * snapshot taken before it.
   */
  setAccount(address: bigint, change: AccountChange): Promise<void> {
    return this.serialize(() => this.applyChanges(new Map([[address, change]])));
  }

  /** anvil_loadState: sets every account of the dump (see snapshot.ts), in one commit. */
  async loadState(dump: StateDump | Uint8Array | string): Promise<void> {
    // Parsed at the call (a bad dump fails before anything queued after it runs).
    const changes = dumpChanges(decodeStateDump(dump));
    return this.serialize(() => this.applyChanges(changes));
  }

  /** anvil_dumpState: every account with its code and storage, the head's environment and header. */
  dumpState(): StateDump {
    const head = this.headBlock;
    return {
      block: dumpBlockEnv(head.header),
      accounts: dumpAccounts(this.lmdb),
      best_block_number: Number(head.header.number),
      blocks: [dumpBlock(head)],
      transactions: [],
      historical_states: null,
    };
  }

  private async applyChanges(changes: Map<bigint, AccountChange>): Promise<void> {
    const writes: StateWrites = new Map();
    for (const [address, change] of changes) writes.set(address, this.changeWrite(address, change));
    const head = this.headBlock;
    const undo = undoOf(this.lmdb, writes);
    this.rootAfter(writes);
    await this.commitWithUndo(writes, undo, (seq) => {
      this.store.putUndo(seq, encodeUndo(undo));
      // The state no longer matches the head's root.
      return { number: head.header.number, hash: head.hash };
    });
  }

  private changeWrite(address: bigint, c: AccountChange): AccountWrite {
    check(address, MAX_ADDRESS, "address");
    if (c.nonce !== undefined) check(c.nonce, MAX_U64, "nonce");
    if (c.balance !== undefined) check(c.balance, MAX_U256, "balance");
    for (const [slot, value] of c.storage ?? []) {
      check(slot, MAX_U256, "storage slot");
      check(value, MAX_U256, "storage value");
    }
    const current = this.lmdb.account(address);
    const w: AccountWrite = {
      deleted: false,
      nonce: c.nonce ?? current?.nonce ?? 0n,
      balance: c.balance ?? current?.balance ?? 0n,
      codeHash: current?.codeHash ?? EMPTY_CODE_HASH,
      storageCleared: false,
      storage: new Map(c.storage ?? []),
    };
    if (c.code !== undefined) {
      w.codeHash = c.code.length === 0 ? EMPTY_CODE_HASH : keccak256Word(c.code);
      if (c.code.length > 0) w.code = c.code;
    }
    // An account left with nothing (EIP-161 empty, no storage) does not exist.
    const empty = w.nonce === 0n && w.balance === 0n && w.codeHash === EMPTY_CODE_HASH;
    if (empty && [...w.storage.values()].every((v) => v === 0n) && !this.lmdb.hasStorage(address)) {
      return deletedAccountWrite();
    }
    return w;
  }

  /**
   * Commits `writes` with an undo record under a new sequence: `inTxn` writes the chain's records in
   * the same transaction. The record is published first, so that historical states fold it in
   * whether or not they see the commit yet. `batched`: as commitState's.
   */
  private async commitWithUndo(
    writes: StateWrites,
    undo: UndoRecord,
    inTxn: (seq: bigint) => { number: bigint; hash: bigint; stateRoot?: bigint },
    applied?: () => void,
    batched = false,
  ): Promise<void> {
    const seq = ++this.published;
    this.inflight.set(seq, undo);
    try {
      await this.commitState(writes, () => inTxn(seq), applied, batched);
    } finally {
      this.inflight.delete(seq);
    }
  }

  /** A snapshot id (evm_snapshot): the state once every operation called before it is done. */
  snapshot(): bigint {
    const { id, point } = this.snapshots.take();
    this.queue = this.queue.then(async () => {
      await this.drain();
      point.seq = this.published;
      point.head = this.headBlock.header.number;
    });
    return id;
  }

  /**
   * Rewinds blocks and state to snapshot `id` (evm_revert), durably; false where `id` is unknown or
   * already used. Removes `id` and every later snapshot. `onDropped` (when given) is told which
   * blocks were dropped, with their receipts (read for it only, so pass it only when someone listens).
   */
  revert(id: bigint, onDropped?: BlocksDroppedListener): Promise<boolean> {
    return this.serialize(() => this.revertNow(id, onDropped));
  }

  /**
   * anvil_reset: back to the first block (0, or a fork's block) and its state (every block and dev
   * edit since undone, durably, as a revert does), every snapshot dropped; `onDropped` as for revert.
   * With `forking` (a forked chain only) it then forks again: that upstream (default: the same) at
   * that block (default: its latest).
   */
  reset(onDropped?: BlocksDroppedListener, forking?: ForkReset): Promise<void> {
    return this.serialize(async () => {
      // Fetched before anything changes: an upstream that fails leaves the chain as it was.
      const fork = forking === undefined ? undefined : refork(this.lmdb.forkPoint, forking);
      const funded = fork === undefined ? undefined : forkGenesisWrites(this.genesisSpec!, fork);
      this.snapshots.clear();
      await this.rewind({ seq: 0n, head: this.genesisNumber }, "genesis", onDropped);
      if (fork !== undefined) await this.replaceFork(fork, funded!);
    });
  }

  /**
   * Swaps the fork under a chain rewound to its first block: the local state wiped but for the funded
   * accounts, the upstream's new block as the first block, reads through the new fork point.
   */
  private async replaceFork(fork: ChainFork, funded: StateWrites): Promise<void> {
    const writes: StateWrites = new Map();
    for (const address of this.lmdb.addresses()) writes.set(address, deletedAccountWrite());
    for (const [address, w] of funded) writes.set(address, w);
    const previous = this.lmdb.forkPoint;
    const oldFirst = this.genesisNumber;
    this.rootAfter(writes);
    await this.commitState(writes, () => {
      this.lmdb.clearForkMarks();
      this.store.deleteBlock(oldFirst);
      this.store.putGenesis(fork.base.hash, this.chainId);
      this.store.putBlock(fork.base, []);
      putForkRecord(this.lmdb, recordOf(fork));
      return { number: fork.base.header.number, hash: fork.base.hash };
    });
    this.lmdb.setFork(fork.point);
    if (previous !== undefined && previous.client !== fork.point.client) void previous.client.close();
    this.genesisNumber = fork.base.header.number;
    this.headBlock = fork.base;
    this.epoch++;
    this.blocks.clear();
    this.receiptCache.clear();
    this.historical.clear();
  }

  /** The live snapshots with the block each returns to (anvil_metadata's `snapshots`), by id. */
  snapshotHeads(): { id: bigint; number: bigint; hash: bigint }[] {
    const out: { id: bigint; number: bigint; hash: bigint }[] = [];
    for (const [id, point] of this.snapshots.list()) {
      const block = this.blockByNumber(point.head);
      if (block !== undefined) out.push({ id, number: point.head, hash: block.hash });
    }
    return out;
  }

  private async revertNow(id: bigint, onDropped?: BlocksDroppedListener): Promise<boolean> {
    const point = this.snapshots.claim(id);
    if (point === undefined) return false;
    await this.rewind(point, `snapshot ${id}`, onDropped);
    return true;
  }

  /** Rewinds blocks and state to `point` (the undo records after it, merged and applied in one commit). */
  private async rewind(
    point: { seq: bigint; head: bigint },
    what: string,
    onDropped?: BlocksDroppedListener,
  ): Promise<void> {
    const merged: UndoRecord = new Map();
    for (const [, record] of this.undoFrom(point.seq + 1n)) mergeLater(merged, record);
    const headNumber = this.headBlock.header.number;
    if (merged.size === 0 && point.head === headNumber) return;
    const target = this.blockByNumber(point.head);
    if (target === undefined) throw new Error(`${what}: block ${point.head} is gone`);
    // The head's root still describes the state only where no dev edit followed the block.
    const exact = this.store.lastUndoAtOrBelow(point.seq) === (this.store.blockSeq(point.head) ?? 0n);
    // Read now: the commit below deletes the blocks and their receipts.
    const dropped = onDropped === undefined ? [] : this.blocksAbove(point.head);
    const rewind = undoWrites(merged);
    this.rootAfter(rewind);
    await this.commitState(rewind, () => {
      for (let n = headNumber; n > point.head; n--) this.store.deleteBlock(n);
      this.store.deleteUndoFrom(point.seq + 1n);
      return { number: point.head, hash: target.hash, stateRoot: exact ? target.header.stateRoot : undefined };
    });
    this.headBlock = target;
    this.epoch++;
    this.blocks.clear();
    this.receiptCache.clear();
    this.historical.clear();
    // Only a rewind that removed blocks is news (a revert over dev edits alone drops none).
    if (dropped.length > 0) onDropped?.(dropped);
  }

  /** The blocks above `number` with their receipts, oldest first. */
  private blocksAbove(number: bigint): DroppedBlock[] {
    const out: DroppedBlock[] = [];
    for (let n = number + 1n; n <= this.headBlock.header.number; n++) {
      const block = this.blockByNumber(n);
      if (block !== undefined) out.push({ block, receipts: this.blockReceipts(n) });
    }
    return out;
  }

  /**
   * Whether the store takes writes again after a StoreWriteError (resolves), or still not (rejects
   * with one): queued like every write, so it never runs beside a block's commit.
   */
  probeWrite(): Promise<void> {
    return this.serialize(() => this.lmdb.probeWrite());
  }

  /** Waits for queued operations, then closes the database. Later calls fail. */
  async close(): Promise<void> {
    if (this.closed) return;
    const last = this.queue;
    this.closed = true;
    await last;
    await this.drain();
    // The trie's logged nodes go to its path tables: the next open reads no log, and a version that
    // keeps no log reads the whole trie. A failure leaves them logged, read back at the next open.
    if (this.stateTrie.logOnly()) {
      try {
        this.lmdb.commitSync(new Map(), undefined, () => {
          this.stateTrie.writePending();
          return undefined;
        });
      } catch {}
    }
    const upstream = this.lmdb.forkPoint?.client;
    await this.lmdb.close();
    await upstream?.close();
  }

  // ---- internals ----

  /**
   * The state root once `writes` are applied: the stored trie updated along the changed paths only,
   * its changed nodes pending until `commitState` writes them. Call it once per commit, before it.
   */
  private rootAfter(writes: StateWrites): bigint {
    this.stateTrie.apply(writes);
    return this.stateTrie.root();
  }

  /**
   * Commits `writes` (whose root `rootAfter` computed) with the trie's changed nodes and what
   * `inTxn` writes, in one transaction, durably; `applied` is told once they are all in it (LMDB's
   * write thread then commits and flushes it). The nodes stay readable until then; a failed commit
   * drops them and every later pending node. `batched` (a mined block, whose records read nothing
   * the same commit writes): LMDB's B-tree work runs on its write thread (LmdbState.commitBatched).
   */
  private async commitState(
    writes: StateWrites,
    inTxn: InTransaction,
    applied?: () => void,
    batched = false,
  ): Promise<void> {
    const nodes = this.stateTrie.seal();
    try {
      const commit = batched ? this.lmdb.commitBatched : this.lmdb.commit;
      await commit.call(this.lmdb, writes, undefined, () => {
        const meta = inTxn();
        this.stateTrie.write(nodes);
        applied?.();
        return meta;
      });
    } catch (e) {
      this.stateTrie.discardPending();
      throw e;
    }
    this.stateTrie.written(nodes);
  }

  /** The state trie's node cache: its size, its limit and how often it answered (weft_metrics). */
  stateCacheStats(): TrieCacheStats {
    return this.stateTrie.cacheStats();
  }

  /** EIP-1186 proofs of the head's state, read from the stored trie along each key's path. */
  proveLatest(address: bigint, slots: readonly bigint[]): AccountProof {
    return proveFromTrie(this.stateTrie, this.lmdb, address, slots);
  }

  /** The stored state trie (eth_getProof on the head's state). */
  get trie(): StateTrie {
    return this.stateTrie;
  }

  /**
   * Queues `fn` behind every earlier write; unless `pipelined` (mining, which builds on the block
   * in flight) it also waits for the commit in flight, so it sees the head as durable.
   */
  private serialize<T>(fn: () => Promise<T>, pipelined = false): Promise<T> {
    if (this.closed) return Promise.reject(new Error("chain is closed"));
    const run = this.queue.then(async () => {
      if (!pipelined) await this.drain();
      return fn();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Waits until no block's commit is in flight (whether it landed or failed). */
  private async drain(): Promise<void> {
    while (this.committing !== undefined) await this.committing.settled;
  }

  /** Undo records with sequence >= `from`, oldest first: committed ones, then those in flight. */
  private *undoFrom(from: bigint): Iterable<[bigint, UndoRecord]> {
    let last = from - 1n;
    for (const [seq, bytes] of this.store.undoFrom(from)) {
      last = seq;
      yield [seq, this.inflight.get(seq) ?? decodeUndo(bytes)];
    }
    const pending = [...this.inflight.entries()].filter(([seq]) => seq > last).sort(([a], [b]) => (a < b ? -1 : 1));
    yield* pending;
  }
}

/** Where mining's time went, in milliseconds, since the chain was opened. */
export interface ChainMetrics {
  blocks: number;
  txs: number;
  /** Blocks executed by Block-STM on worker threads (the others ran sequentially). */
  parallelBlocks: number;
  /** Executing the block and building its receipts and undo record. */
  executeMs: number;
  /** The incremental state root (the first block also builds the trie from the state). */
  stateRootMs: number;
  /** The LMDB write transaction and its flush to disk. */
  commitMs: number;
}

function hasAny(items: Iterable<unknown>): boolean {
  for (const _ of items) return true;
  return false;
}

function check(value: bigint, max: bigint, what: string): void {
  if (value < 0n || value > max) throw new RangeError(`${what} ${value} out of range`);
}

/** A small least-recently-used map. */
class Lru<K, V> {
  private readonly map = new Map<K, V>();
  private weight = 0;
  constructor(
    private readonly limit: number,
    private readonly weightLimit = Number.POSITIVE_INFINITY,
    private readonly weigh: (value: V) => number = () => 0,
  ) {}

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.delete(key);
    this.map.set(key, value);
    this.weight += this.weigh(value);
    // The oldest go first, but the newest entry stays however heavy it is.
    while (this.map.size > 1 && (this.map.size > this.limit || this.weight > this.weightLimit)) {
      this.delete(this.map.keys().next().value as K);
    }
  }

  private delete(key: K): void {
    const old = this.map.get(key);
    if (old === undefined) return;
    this.weight -= this.weigh(old);
    this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
    this.weight = 0;
  }
}
