// Mining: the next block's environment (with the dev settings of later blocks: coinbase, gas limit,
// next base fee), its execution over the state after the tip, its root, receipts and undo record,
// and its commit. Mining is pipelined one block deep: once block N's writes are in its LMDB
// transaction, the queue moves on and block N+1 executes on N's writes layered over LMDB
// (committing-state.ts; the trie reads N's sealed nodes) while LMDB's write thread commits and
// flushes N. N becomes the head (and `mined` resolves) only once durable; N+1's transaction starts
// only after that, so commits stay in order and a failed one takes the blocks built on it down with it.
// A sequential execution and the state root run in slices with a turn of the event loop between
// them, so requests are served while a large block is built.
// A block may also be prepared ahead of its request (prepareMining: a dev script's next evm_mine,
// executed while this block is written): mining takes it where it is the block it would build (the
// same parent, environment and transactions, no write since), else drops it first.
import type { BlockEnv, StateWrites } from "../evm/host.js";
import { executorPool } from "../exec/block/execute-block.js";
import { lmdbBase } from "../exec/block/pool/base-state.js";
import type { ExecutionMode } from "../exec/block/types.js";
import { bigintToBytes } from "../primitives/hex.js";
import { keccak256Word } from "../primitives/keccak.js";
import type { Slices } from "../primitives/slices.js";
import type { StagedWrites } from "../state/lmdb-state.js";
import type { StateRootCommit } from "../state/trie/state-roots.js";
import { VersionReadCache } from "../state/version-read-cache.js";
import type { ChainCore, CommittingBlock } from "./chain-core.js";
import { type BlockContentRecords, encodeBlockContents, encodeBlockRecords } from "./chain-store.js";
import { CommittingState } from "./committing-state.js";
import { nextBaseFee, nextExcessBlobGas } from "./fees.js";
import { hashHeader } from "./header.js";
import { encodeUndo, type UndoRecord, undoOf } from "./history.js";
import { type BuiltBlock, blockHeader, blockReceipts, buildBlock, type Rejected } from "./mine.js";
import type { Block, BlockHeader, SignedTransaction, TransactionReceipt } from "./types.js";

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
  /** Why the executor ran the block as it did (executeBlock's modeReason). */
  modeReason: string;
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

/**
 * A block executed on the tip whose commit has not started: its receipts, undo record, header fields
 * and encodings made, its root under way (ChainCore.prepared while it waits for its turn).
 */
interface PreparedBlock {
  parent: Block;
  env: BlockEnv;
  /** The transactions it was asked to include, in order (those included are `built.transactions`). */
  txs: readonly SignedTransaction[];
  /** ChainCore.writes when it was prepared: any later commit makes it stale. */
  writesSeen: number;
  /** The parent's commit, where it was in flight. */
  previous: CommittingBlock | undefined;
  built: BuiltBlock;
  receipts: TransactionReceipt[];
  undo: UndoRecord;
  undoRecord: Uint8Array;
  /** Every field but the state root. */
  header: BlockHeader;
  contents: BlockContentRecords;
  rooting: Promise<StateRootCommit>;
  slices: Slices & { pausedMs: number };
  executeMs: number;
  encodeMs: number;
  /** Prepared ahead of its request (prepareMining), not by it. */
  ahead: boolean;
}

function sameEnv(a: BlockEnv, b: BlockEnv): boolean {
  return (
    a.chainId === b.chainId &&
    a.number === b.number &&
    a.coinbase === b.coinbase &&
    a.timestamp === b.timestamp &&
    a.gasLimit === b.gasLimit &&
    a.baseFee === b.baseFee &&
    a.prevRandao === b.prevRandao &&
    a.excessBlobGas === b.excessBlobGas
  );
}

/** `startMining` was told to build on a block that is no longer the tip (its commit failed). */
export class TipMovedError extends Error {}

/** Where mining's time went, in milliseconds, since the chain was opened. */
export interface ChainMetrics {
  blocks: number;
  txs: number;
  /** Blocks executed by Block-STM on worker threads (the others ran sequentially). */
  parallelBlocks: number;
  /** Blocks executed ahead of their request (Chain.prepareMining) and mined so, and those dropped instead. */
  preparedBlocks: number;
  preparedDropped: number;
  /** Executing the block and building its receipts and undo record (not the pauses between its slices). */
  executeMs: number;
  /**
   * Waiting for the incremental state root once the block's receipts, undo record, header fields and
   * encodings are made: on the root's own thread (the node's) only what it took beyond them; on the
   * main thread all of it.
   */
  stateRootMs: number;
  /** Encoding the block's records and staging its state writes, the LMDB write transaction and its flush to disk. */
  commitMs: number;
}

const MAX_U64 = (1n << 64n) - 1n;
/**
 * A block's sequential execution and its state root run in slices of this many milliseconds, with a
 * turn of the event loop between them: requests that arrive meanwhile (reads, new transactions)
 * wait one slice, not a block.
 */
export const MINING_SLICE_MS = 10;

/** The slices of one block's execution and root, and the milliseconds spent paused between them (not mining's). */
function miningSlices(ms: number): Slices & { pausedMs: number } {
  return {
    ms,
    pausedMs: 0,
    async pause() {
      const start = performance.now();
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.pausedMs += performance.now() - start;
    },
  };
}
/** Accounts and slots a block's execution keeps of its parent's state for the undo record (a 30M-gas block reads at most some 15,000 cold). */
const BLOCK_READS_HELD = 1_000_000;

export class BlockProduction {
  /** Counters since open (weft_metrics): mined blocks and transactions, and where mining's time went (Chain.metrics adds ChainCore's count of prepared blocks dropped). */
  readonly metrics: Omit<ChainMetrics, "preparedDropped"> = {
    blocks: 0,
    txs: 0,
    parallelBlocks: 0,
    preparedBlocks: 0,
    executeMs: 0,
    stateRootMs: 0,
    commitMs: 0,
  };
  /** anvil_setCoinbase: the beneficiary of every later block (default: the parent's). */
  coinbaseOverride: bigint | undefined;
  /** evm_setBlockGasLimit: the gas limit of every later block (default: the parent's). */
  gasLimitOverride: bigint | undefined;
  /** anvil_setNextBlockBaseFeePerGas: the next block's base fee only (default: EIP-1559's). */
  nextBaseFeeOverride: bigint | undefined;

  constructor(
    private readonly core: ChainCore,
    /** Block-STM worker threads when above 1 (executeBlock's `threads`). */
    private readonly threads: number,
    private readonly executorMode: "auto" | "parallel",
    /** Milliseconds of execution and root between turns of the event loop (MINING_SLICE_MS). */
    private readonly sliceMs: number,
  ) {}

  /** See Chain.startExecutorWorkers. */
  startWorkers(): void {
    if (this.threads > 1) executorPool(this.threads);
  }

  /** The environment of a block on `parent` (see Chain.nextBlockEnv). */
  envOn(parent: Block, timestamp: bigint): BlockEnv {
    return {
      chainId: this.core.chainId,
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

  /** See Chain.startMining. */
  startMining(txs: readonly SignedTransaction[], o: { timestamp: bigint; parent?: bigint }): Promise<StartedBlock> {
    return this.core.serialize(() => this.mineNow(txs, o.timestamp, o.parent), true);
  }

  /** See Chain.prepareMining. */
  prepareMining(txs: readonly SignedTransaction[], o: { timestamp: bigint }): Promise<void> {
    return this.core.serialize(async () => {
      await this.core.dropPrepared();
      const previous = this.core.committing;
      // Built on a block that will not land: the next block is mined afresh on what does.
      if (previous?.failure !== undefined) return;
      const parent = this.core.tip();
      if (o.timestamp < parent.header.timestamp || o.timestamp > MAX_U64) return;
      const prepared = await this.prepare(txs, parent, this.envOn(parent, o.timestamp), previous);
      prepared.ahead = true;
      this.core.prepared = prepared;
    }, true);
  }

  private async mineNow(
    txs: readonly SignedTransaction[],
    timestamp: bigint,
    expectedParent: bigint | undefined,
  ): Promise<StartedBlock> {
    const core = this.core;
    const previous = core.committing;
    const parent = core.tip();
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
      let prepared = this.takePrepared(parent, env, txs);
      if (prepared === undefined) {
        // A prepared block of other transactions or another environment goes first (core.dropPrepared).
        await core.dropPrepared();
        prepared = await this.prepare(txs, parent, env, previous);
      }
      return await this.commitPrepared(prepared);
    } catch (error) {
      if (this.nextBaseFeeOverride === undefined) this.nextBaseFeeOverride = baseFeeOverride;
      throw error;
    }
  }

  /**
   * The prepared block (prepareMining), where it is this block: the same parent, environment and
   * transactions, and nothing written since but its parent's commit. Taken out of the core.
   */
  private takePrepared(parent: Block, env: BlockEnv, txs: readonly SignedTransaction[]): PreparedBlock | undefined {
    const prepared = this.core.prepared as PreparedBlock | undefined;
    if (
      prepared === undefined ||
      prepared.writesSeen !== this.core.writes ||
      prepared.parent.hash !== parent.hash ||
      !sameEnv(prepared.env, env) ||
      prepared.txs.length !== txs.length ||
      prepared.txs.some((tx, i) => tx.hash !== txs[i]!.hash)
    ) {
      return undefined;
    }
    this.core.prepared = undefined;
    return prepared;
  }

  /**
   * A block's execution on `parent` (whose commit, `previous`, may be in flight), and all of it that
   * does not need the parent durable: its receipts, undo record, header fields and encodings, with
   * its root under way.
   */
  private async prepare(
    txs: readonly SignedTransaction[],
    parent: Block,
    env: BlockEnv,
    previous: CommittingBlock | undefined,
  ): Promise<PreparedBlock> {
    const core = this.core;
    const started = performance.now();
    const state = previous?.state ?? core.lmdb;
    // What the block reads of its parent's state is kept for its undo record (no second read).
    const reads = new VersionReadCache(BLOCK_READS_HELD).over(state, 0n);
    const slices = miningSlices(this.sliceMs);
    const built = await buildBlock(
      txs,
      env,
      reads,
      slices,
      this.threads,
      // Block-STM's workers read LMDB, with the net writes of a block in flight over it (as `state` has them).
      this.threads > 1 ? lmdbBase(core.lmdb.path, previous?.state.writes) : undefined,
      this.executorMode,
    );
    // The root is computed beside the receipts and the undo record where the trie has a thread of
    // its own; on this thread, in slices once they are done.
    const rooting = core.rootAfter(built.result.writes, slices);
    rooting.catch(() => undefined);
    try {
      const receipts = blockReceipts(built.transactions, built.result, env);
      const undo = undoOf(state, built.result.writes, reads);
      const executed = performance.now();
      // What does not depend on the state root is made while it is computed: the header's other
      // roots and bloom, the undo record's and the block's contents' encodings, with turns of the
      // event loop between them. The root fills in the header.
      const pausedInExecution = slices.pausedMs;
      await slices.pause();
      const header = blockHeader(parent, env, built, receipts, 0n);
      const undoRecord = encodeUndo(undo);
      await slices.pause();
      const contents = encodeBlockContents(env.number, built.transactions, receipts);
      return {
        parent,
        env,
        txs,
        writesSeen: core.writes,
        previous,
        built,
        receipts,
        undo,
        undoRecord,
        header,
        contents,
        rooting,
        slices,
        executeMs: executed - started - pausedInExecution,
        encodeMs: performance.now() - executed - (slices.pausedMs - pausedInExecution),
        ahead: false,
      };
    } catch (error) {
      // Its root's nodes must not stay pending under the next block's.
      await core.discardAfter(rooting);
      throw error;
    }
  }

  /** A prepared block's commit: see Chain.startMining. */
  private async commitPrepared(prepared: PreparedBlock): Promise<StartedBlock> {
    const core = this.core;
    const { env, built, receipts, undo, undoRecord, header, contents, rooting, slices, previous } = prepared;
    /** Gives the block up before its commit: its pending nodes go, once the trie has sealed them. */
    const abandon = async (error: unknown): Promise<never> => {
      await rooting.catch(() => undefined);
      core.roots.discard();
      throw error;
    };
    // Once the parent is durable (one commit at a time, in block order), its state writes are
    // staged while the root is computed.
    await core.drain();
    // Built on a block that never landed (whose failure dropped the pending nodes; these go too).
    if (previous?.failure !== undefined) await abandon(previous.failure);
    const stagingStart = performance.now();
    const pausedBeforeStaging = slices.pausedMs;
    let staged: StagedWrites | undefined;
    try {
      staged = await core.lmdb.stageBatched(built.result.writes, slices);
    } catch (error) {
      await abandon(error);
    }
    const rootWaitStart = performance.now();
    const pausedBeforeRoot = slices.pausedMs;
    const stagingMs = rootWaitStart - stagingStart - (pausedBeforeRoot - pausedBeforeStaging);
    let block: Block;
    let trie: StateRootCommit;
    let rooted: number;
    try {
      trie = await rooting;
      rooted = performance.now() - (slices.pausedMs - pausedBeforeRoot);
      header.stateRoot = trie.root;
      block = { header, hash: hashHeader(header), transactions: built.transactions };
    } catch (error) {
      core.roots.discard();
      throw error;
    }
    const blockRecords = encodeBlockRecords(block, receipts, contents);
    for (const r of receipts) r.blockHash = block.hash;
    const committed = performance.now();
    let applied!: () => void;
    const inTransaction = new Promise<void>((resolve) => {
      applied = resolve;
    });
    const durable = core.commitWithUndo(
      built.result.writes,
      trie,
      undo,
      (seq) => {
        core.store.putEncodedBlock(blockRecords);
        core.store.putUndo(seq, undoRecord, env.number);
        return { number: env.number, hash: block.hash, stateRoot: block.header.stateRoot };
      },
      applied,
      // Undefined for a forked state, which commits unbatched.
      { staged },
    );
    const entry: CommittingBlock = {
      block,
      state: new CommittingState(core.lmdb, built.result.writes, env.number, block.hash),
      settled: Promise.resolve(),
    };
    core.committing = entry;
    const mined = durable.then((): MinedBlock => {
      const stats: MiningStats = {
        mode: built.result.mode,
        modeReason: built.result.modeReason,
        reexecutions: built.result.reexecutions,
        executeMs: prepared.executeMs,
        stateRootMs: rooted - rootWaitStart,
        commitMs: prepared.encodeMs + stagingMs + performance.now() - committed,
      };
      const m = this.metrics;
      m.executeMs += stats.executeMs;
      m.stateRootMs += stats.stateRootMs;
      m.commitMs += stats.commitMs;
      m.blocks++;
      m.txs += built.transactions.length;
      if (built.result.mode === "parallel") m.parallelBlocks++;
      if (prepared.ahead) m.preparedBlocks++;
      core.head = block;
      // Kept for the reads that follow a new head (a client fetching it, by number, once the next
      // block is already the head): a block just mined is not decoded back from LMDB.
      core.blocks.set(env.number, block);
      core.receiptCache.set(env.number, receipts);
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
      if (core.committing === entry) core.committing = undefined;
    });
    // Once the block's writes are in the transaction (or it failed before), and lmdb-js has handed
    // the transaction back to its write thread, the next block may run.
    await Promise.race([inTransaction, entry.settled]);
    await new Promise<void>((resolve) => setImmediate(resolve));
    return { block, rejected: built.rejected, mined };
  }
}
