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

/**
 * Below this many transactions "auto" runs sequentially: Block-STM's bookkeeping cannot pay off.
 * A placeholder until worker threads exist and it can be measured.
 */
export const PARALLEL_MIN_TXS = 8;

/**
 * Whether "auto" may pick Block-STM at all. Not yet: in one thread it still runs at about 0.8-0.93x
 * of sequential execution (`weft bench exec --threads 1`, 2,000 transfers or ERC-20 transfers), and
 * the worker pool does not yet beat one core on the 2-core machines measured so far.
 */
export const AUTO_PARALLEL = false;

export function executeBlock(
  txs: readonly TxInput[],
  block: BlockEnv,
  state: Host,
  options: ExecuteBlockOptions = {},
): BlockResult {
  const mode = options.mode ?? "auto";
  const parallel = mode === "parallel" || (mode === "auto" && AUTO_PARALLEL && txs.length >= PARALLEL_MIN_TXS);
  // An existing empty coinbase makes deferred fees inexact (a zero fee would delete it): sequential.
  if (!parallel || !canDeferFees(state, block.coinbase)) return executeSequential(txs, block, state);

  const threads = options.pool?.threads ?? options.threads ?? 1;
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
