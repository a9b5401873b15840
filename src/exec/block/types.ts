// What a block executor returns. Both executors (sequential, Block-STM) produce the same value for
// the same input, to the byte: the differential tests hold them to it.
import type { Log, StateWrites } from "../../evm/host.js";
import type { InvalidTransactionError } from "../types.js";
import type { BaseSource } from "./pool/base-state.js";
import type { BlockStmPool } from "./pool/pool.js";

export type ExecutionMode = "sequential" | "parallel";

export interface Receipt {
  /** 1 success, 0 reverted or failed. */
  status: 0 | 1;
  /** Gas this transaction used (after refund). */
  gasUsed: bigint;
  /** Gas used by the block up to and including this transaction. */
  cumulativeGasUsed: bigint;
  logs: Log[];
  /** Address of the created contract, for a successful creation. */
  createdAddress?: bigint;
}

export interface ExecuteBlockOptions {
  /**
   * "auto" (default) runs Block-STM on worker threads when `threads` is above 1 and the block has at
   * least PARALLEL_MIN_TXS transactions, and finishes the block sequentially where it sees mid-block
   * that parallelism does not pay (see execute-block.ts); "parallel" forces Block-STM to the end
   * (tests). Either runs sequentially where Block-STM cannot be exact (an existing empty coinbase).
   */
  mode?: "auto" | ExecutionMode;
  /** Block-STM in one thread: virtual workers interleaved (default 1). */
  workers?: number;
  /** Block-STM in one thread: seed of the schedule that picks which worker steps next. */
  seed?: number;
  /**
   * Block-STM on threads when above 1: the main thread and the process-wide pool of `threads` - 1
   * worker threads (see pool/pool.ts), unless `pool` is given. `workers` and `seed` then do not apply.
   */
  threads?: number;
  /** Block-STM on this pool's threads and the main thread (threads + 1 in all; wins over `threads`). */
  pool?: BlockStmPool;
  /**
   * Block-STM on threads: the base state as workers open it, which must be `state`'s current version
   * (e.g. `snapshotState(state)` kept while the state does not change). Default: a snapshot of
   * `state` (a MemoryState) taken for this block.
   */
  base?: BaseSource;
  /** Measure the parallel run (ParallelStats); off by default (the dependency graph costs a pass). */
  stats?: boolean;
  /** "auto" with no pace learnt: how many of a block's first transactions Block-STM tries (default TRIAL_TXS, execute-block.ts). */
  trialTxs?: number;
}

/** What a parallel run measured (`stats: true`). Times in milliseconds. */
export interface ParallelStats {
  threads: number;
  /** Transactions committed by Block-STM (the rest, if any, ran sequentially after a fallback). */
  committedInParallel: number;
  executions: number;
  validations: number;
  /** Reads that met an ESTIMATE (the incarnation waited for its blocker). */
  blocked: number;
  /** Worker time on tasks, and idle (looking for a task or asleep), summed over workers. */
  workerBusyMs: number;
  workerIdleMs: number;
  /** Main thread: before workers start (encoding, resetting memory). */
  setupMs: number;
  /** Main thread: turning committed transactions into receipts and writes, while workers run. */
  commitMs: number;
  /** Main thread: after the workers finished (the last commits, any sequential rest). */
  tailMs: number;
  /** Sum of the committed incarnations' execution times, and the longest chain of them along observed dependencies. */
  workMs: number;
  criticalPathMs: number;
}

/**
 * A block with an invalid transaction is rejected as a whole, as a real chain rejects it: the index
 * and reason of the first invalid transaction, and no writes.
 */
export interface InvalidBlock {
  valid: false;
  txIndex: number;
  error: InvalidTransactionError;
  mode: ExecutionMode;
  /** Why this mode ran (and, after a mid-block fallback, where and why it changed). */
  modeReason: string;
  reexecutions: number;
  stats?: ParallelStats;
}

export interface ValidBlock {
  valid: true;
  receipts: Receipt[];
  /** The block's net writes, to apply to the state the block was executed on. */
  writes: StateWrites;
  gasUsed: bigint;
  blobGasUsed: bigint;
  mode: ExecutionMode;
  /** Why this mode ran (and, after a mid-block fallback, where and why it changed). */
  modeReason: string;
  /** Executions beyond one per transaction (Block-STM aborts); 0 when sequential. */
  reexecutions: number;
  stats?: ParallelStats;
}

export type BlockResult = ValidBlock | InvalidBlock;
