// The block executor's entry point: picks sequential or Block-STM and assembles the result. Both give
// the same BlockResult for the same input (receipts, gas, net writes), apart from `mode` and
// `reexecutions`.
import type { BlockEnv, Host } from "../../evm/host.js";
import type { TxInput } from "../types.js";
import { BlockBuilder, invalidBlock } from "./block-builder.js";
import { type BlockStmRun, runBlockStm } from "./block-stm.js";
import { canDeferFees } from "./coinbase.js";
import { type SnapshotableState, snapshotState } from "./pool/base-state.js";
import { sharedPool } from "./pool/pool.js";
import { executeSequential } from "./sequential.js";
import type { BlockResult, ExecuteBlockOptions } from "./types.js";

/** Below this many transactions "auto" runs sequentially: Block-STM's bookkeeping cannot pay off. */
export const PARALLEL_MIN_TXS = 8;

/**
 * When "auto" picks Block-STM: only on worker threads (`threads` above 1, what a node's --threads
 * asks for). In one thread Block-STM runs at about 0.8-0.95x of sequential execution (`weft bench exec
 * --threads 1`), so one thread is always sequential. On threads it pays where transactions are heavy
 * (2 threads: 1.4x on the rwa workload, 2 cores) and not yet where they are light (0.6x on ERC-20).
 */
export function autoPicksParallel(txs: number, threads: number): boolean {
  return threads > 1 && txs >= PARALLEL_MIN_TXS;
}

export function executeBlock(
  txs: readonly TxInput[],
  block: BlockEnv,
  state: Host,
  options: ExecuteBlockOptions = {},
): BlockResult {
  const mode = options.mode ?? "auto";
  const threads = options.pool?.threads ?? options.threads ?? 1;
  const parallel = mode === "parallel" || (mode === "auto" && autoPicksParallel(txs.length, threads));
  // An existing empty coinbase makes deferred fees inexact (a zero fee would delete it): sequential.
  if (!parallel || !canDeferFees(state, block.coinbase)) return executeSequential(txs, block, state);

  let run: BlockStmRun | undefined;
  if (threads > 1) {
    const pool = options.pool ?? sharedPool(threads);
    const base = options.base ?? snapshotState(snapshotable(state));
    run = pool.run(txs, block, base, (n) => state.blockHash(n));
  }
  // One thread, or the pool's op log overflowed: the single-thread Block-STM.
  run ??= runBlockStm(txs, block, state, { workers: options.workers ?? 1, seed: options.seed ?? 0 });
  const reexecutions = run.executions - txs.length;
  // Committed results are exactly the sequential ones, so the first invalid transaction (or the first
  // that does not fit the block) is the one sequential execution would have stopped at.
  const builder = new BlockBuilder(block, state);
  for (let i = 0; i < txs.length; i++) {
    const tx = txs[i]!;
    const unfit = builder.fits(i, tx);
    if (unfit !== undefined) return invalidBlock(i, unfit, "parallel", reexecutions);
    const result = run.results[i]!;
    if ("thrown" in result) throw result.thrown;
    if (!result.outcome.valid) return invalidBlock(i, result.outcome.error, "parallel", reexecutions);
    // The run's results are used only here, once each: the builder may take their writes over.
    builder.add(tx, result.outcome, true);
  }
  return builder.valid("parallel", reexecutions);
}

function snapshotable(state: Host): SnapshotableState {
  const s = state as Partial<SnapshotableState>;
  if (typeof s.addresses !== "function" || typeof s.storageEntries !== "function") {
    throw new Error("executeBlock: threads > 1 needs a MemoryState, or `base` for the workers");
  }
  return state as SnapshotableState;
}
