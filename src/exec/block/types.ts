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
   * least PARALLEL_MIN_TXS transactions, sequentially otherwise; "parallel" forces Block-STM (tests). Either may still run sequentially where Block-STM cannot be exact (see execute-block.ts).
   */
  mode?: "auto" | ExecutionMode;
  /** Block-STM: virtual workers interleaved in one thread (default 1). */
  workers?: number;
  /** Block-STM: seed of the schedule that picks which worker steps next. */
  seed?: number;
  /**
   * Block-STM on worker threads when above 1: the process-wide pool with this many threads (see
   * pool/pool.ts) unless `pool` is given. `workers` and `seed` then do not apply.
   */
  threads?: number;
  /** Block-STM: this pool (its thread count wins over `threads`). */
  pool?: BlockStmPool;
  /**
   * Block-STM on threads: the base state as workers open it, which must be `state`'s current version
   * (e.g. `snapshotState(state)` kept while the state does not change). Default: a snapshot of
   * `state` (a MemoryState) taken for this block.
   */
  base?: BaseSource;
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
  reexecutions: number;
}

export interface ValidBlock {
  valid: true;
  receipts: Receipt[];
  /** The block's net writes, to apply to the state the block was executed on. */
  writes: StateWrites;
  gasUsed: bigint;
  blobGasUsed: bigint;
  mode: ExecutionMode;
  /** Executions beyond one per transaction (Block-STM aborts); 0 when sequential. */
  reexecutions: number;
}

export type BlockResult = ValidBlock | InvalidBlock;
