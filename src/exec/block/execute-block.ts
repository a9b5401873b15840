// The block executor's entry point: picks sequential or Block-STM, drives the rolling commit and
// assembles the result. Both give the same BlockResult for the same input (receipts, gas, net
// writes), apart from `mode`, `modeReason`, `reexecutions` and `stats`.
import type { BlockEnv, Host } from "../../evm/host.js";
import type { TxInput } from "../types.js";
import { BlockBuilder, invalidBlock } from "./block-builder.js";
import { runBlockStm } from "./block-stm.js";
import { canDeferFees } from "./coinbase.js";
import { Committer, type Rejection } from "./committer.js";
import type { MVMemory } from "./mv-memory.js";
import { type SnapshotableState, snapshotState } from "./pool/base-state.js";
import { sharedPool } from "./pool/pool.js";
import { Ctl, type Scheduler } from "./scheduler.js";
import { executeSequential, finishSequentially } from "./sequential.js";
import type { BlockResult, ExecuteBlockOptions, ParallelStats } from "./types.js";

/**
 * Below this many transactions "auto" runs sequentially: starting the workers and the commit cost
 * more than 2 threads win on so few (`weft bench exec --txs 16` on 2 cores: erc20 parallel 0.9x).
 */
export const PARALLEL_MIN_TXS = 32;

/**
 * The mid-block check of "auto" on threads: once this many first incarnations have run, if the
 * wasted work (re-executions plus reads that had to wait for a blocker) exceeds WASTE_LIMIT of them,
 * the block is too dependent to pay (one hot account, a chain of swaps on one pair): the workers stop
 * and the rest runs sequentially from the last committed transaction.
 */
export const FALLBACK_WINDOW = 64;
export const WASTE_LIMIT = 0.5;

/** Whether "auto" starts Block-STM, and why (or why not). */
export function autoChoice(txs: number, threads: number): { parallel: boolean; reason: string } {
  if (threads <= 1) return { parallel: false, reason: "one thread: Block-STM cannot beat sequential execution in one" };
  if (txs < PARALLEL_MIN_TXS)
    return { parallel: false, reason: `${txs} transactions: below ${PARALLEL_MIN_TXS}, too few to pay` };
  return { parallel: true, reason: `Block-STM on ${threads} threads` };
}

export function executeBlock(
  txs: readonly TxInput[],
  block: BlockEnv,
  state: Host,
  options: ExecuteBlockOptions = {},
): BlockResult {
  const mode = options.mode ?? "auto";
  const threads = options.pool?.threads ?? options.threads ?? 1;
  if (mode === "sequential") return executeSequential(txs, block, state);
  const choice =
    mode === "parallel" ? { parallel: true, reason: "Block-STM requested" } : autoChoice(txs.length, threads);
  if (!choice.parallel) return executeSequential(txs, block, state, choice.reason);
  // An existing empty coinbase makes deferred fees inexact (a zero fee would delete it): sequential.
  if (!canDeferFees(state, block.coinbase)) {
    return executeSequential(txs, block, state, "the coinbase exists and is empty: deferred fees would not be exact");
  }
  if (threads > 1 || options.pool !== undefined)
    return onPool(txs, block, state, options, mode === "auto", choice.reason);

  const setupStart = performance.now();
  const run = runBlockStm(txs, block, state, { workers: options.workers ?? 1, seed: options.seed ?? 0 });
  if (run === undefined) return executeSequential(txs, block, state, "Block-STM's memory ran out of room");
  const builder = new BlockBuilder(block, state);
  const reexecutions = run.scheduler.read(Ctl.EXECUTIONS) - run.scheduler.read(Ctl.FIRST_EXECUTIONS);
  const rejected = new Committer(txs, builder, run.memory).take(txs.length);
  const result = rejected
    ? invalidBlock(rejected.txIndex, rejected.error, "parallel", choice.reason, reexecutions)
    : builder.valid(
        "parallel",
        `${choice.reason}, ${options.workers ?? 1} virtual workers in one thread`,
        reexecutions,
      );
  if (options.stats)
    result.stats = measure(run.scheduler, run.memory, txs.length, 1, performance.now() - setupStart, 0, 0);
  return result;
}

/** Block-STM on the pool with the rolling commit; in "auto", a fallback to sequential mid-block. */
function onPool(
  txs: readonly TxInput[],
  block: BlockEnv,
  state: Host,
  options: ExecuteBlockOptions,
  auto: boolean,
  reason: string,
): BlockResult {
  const n = txs.length;
  const t0 = performance.now();
  const pool = options.pool ?? sharedPool(options.threads!);
  const base = options.base ?? snapshotState(snapshotable(state));
  const run = pool.start(txs, block, base, state, (k) => state.blockHash(k));
  if (run === undefined)
    return executeSequential(txs, block, state, `${n} transactions: more than Block-STM's memory holds`);
  const builder = new BlockBuilder(block, state);
  const committer = new Committer(txs, builder, run.memory);
  const setupMs = performance.now() - t0;
  let commitMs = 0;
  let rejected: Rejection | undefined;
  let fallback: string | undefined;
  let committed = 0;
  while (committed < n) {
    const upTo = run.waitCommitted(committed);
    if (upTo > committed) {
      const t = performance.now();
      rejected = committer.take(upTo);
      commitMs += performance.now() - t;
      if (rejected !== undefined) break;
      committed = upTo;
    } else if (run.ended()) {
      break; // a failure, or memory full
    }
    if (auto) fallback = wasteful(run.scheduler);
    if (fallback !== undefined) break;
  }
  // An invalid transaction ends the block; so does a fallback: the workers leave it.
  if (committed < n) run.stop();
  const end = run.finish();
  const tailStart = performance.now();
  if (end.failure !== undefined) throw new Error(`BlockStmPool: a worker failed: ${end.failure}`);
  // Commits made after the last take (a stop, a failure) are final too.
  rejected ??= committer.take(run.scheduler.committed());
  let result: BlockResult;
  const inParallel = committer.taken;
  const reexecutions = run.scheduler.read(Ctl.EXECUTIONS) - run.scheduler.read(Ctl.FIRST_EXECUTIONS);
  if (rejected !== undefined) {
    result = invalidBlock(rejected.txIndex, rejected.error, "parallel", reason, reexecutions);
  } else if (inParallel < n) {
    const why = end.memoryFull ? "Block-STM's memory ran out of room" : (fallback ?? "the workers stopped");
    const modeReason = `${reason}, then sequential from transaction ${inParallel}: ${why}`;
    result = finishSequentially(
      txs,
      inParallel,
      builder,
      inParallel === 0 ? "sequential" : "parallel",
      modeReason,
      reexecutions,
    );
  } else {
    result = builder.valid("parallel", reason, reexecutions);
  }
  if (options.stats)
    result.stats = measure(
      run.scheduler,
      run.memory,
      inParallel,
      pool.threads,
      setupMs,
      commitMs,
      performance.now() - tailStart,
    );
  return result;
}

/** Whether the run so far wastes too much for parallelism to pay (the reason), else undefined. */
function wasteful(scheduler: Scheduler): string | undefined {
  const first = scheduler.read(Ctl.FIRST_EXECUTIONS);
  if (first < FALLBACK_WINDOW) return undefined;
  const wasted = scheduler.read(Ctl.EXECUTIONS) - first + scheduler.read(Ctl.BLOCKED);
  if (wasted <= WASTE_LIMIT * first) return undefined;
  return `${wasted} re-executions and waits in the first ${first} transactions: too dependent to pay`;
}

/** The run's figures, and the dependency graph's critical path over the committed transactions. */
function measure(
  scheduler: Scheduler,
  memory: MVMemory,
  committed: number,
  threads: number,
  setupMs: number,
  commitMs: number,
  tailMs: number,
): ParallelStats {
  const finish = new Float64Array(committed);
  let work = 0;
  let critical = 0;
  for (let k = 0; k < committed; k++) {
    let start = 0;
    memory.readFrom(k, (writer) => {
      if (writer < k && finish[writer]! > start) start = finish[writer]!;
    });
    const micros = memory.execMicros(k);
    work += micros;
    finish[k] = start + micros;
    if (finish[k]! > critical) critical = finish[k]!;
  }
  return {
    threads,
    committedInParallel: committed,
    executions: scheduler.read(Ctl.EXECUTIONS),
    validations: scheduler.read(Ctl.VALIDATIONS),
    blocked: scheduler.read(Ctl.BLOCKED),
    workerBusyMs: scheduler.read(Ctl.BUSY_US) / 1000,
    workerIdleMs: scheduler.read(Ctl.IDLE_US) / 1000,
    setupMs,
    commitMs,
    tailMs,
    workMs: work / 1000,
    criticalPathMs: critical / 1000,
  };
}

function snapshotable(state: Host): SnapshotableState {
  const s = state as Partial<SnapshotableState>;
  if (typeof s.addresses !== "function" || typeof s.storageEntries !== "function") {
    throw new Error("executeBlock: threads > 1 needs a MemoryState, or `base` for the workers");
  }
  return state as SnapshotableState;
}
