// The block executor's entry point: picks sequential or Block-STM, drives the rolling commit and
// assembles the result. Both give the same BlockResult for the same input (receipts, gas, net
// writes), apart from `mode`, `modeReason`, `reexecutions` and `stats`.
import type { BlockEnv, Host } from "../../evm/host.js";
import { EMPTY_CODE_HASH } from "../../primitives/keccak.js";
import { counting, runInSlices, runWhole, type Slices, suspendOnce } from "../../primitives/slices.js";
import type { TxInput } from "../types.js";
import { BlockBuilder, invalidBlock } from "./block-builder.js";
import { runBlockStm } from "./block-stm.js";
import { BlockStmWorker } from "./block-stm-worker.js";
import { canDeferFees } from "./coinbase.js";
import { Committer, type Rejection } from "./committer.js";
import type { MVMemory } from "./mv-memory.js";
import { MemoryFull } from "./mv-memory.js";
import { OwnOutcomes } from "./own-outcomes.js";
import { type SnapshotableState, snapshotState } from "./pool/base-state.js";
import { type BlockStmPool, sharedPool } from "./pool/pool.js";
import { Ctl, cheapMicros, ERROR_FAILED, ERROR_MEMORY_FULL, FALLBACK_CHEAP, type Scheduler } from "./scheduler.js";
import { executeSequential, sequentialBlock, sequentialSteps } from "./sequential.js";
import type { BlockResult, ExecuteBlockOptions, ParallelStats } from "./types.js";

/**
 * "auto" starts Block-STM only for a block with enough work to pay for starting it: waking the
 * workers, warming their caches and the commit cost about 1-2 ms a block, so small blocks run
 * sequentially. Measured on 2 cores, Block-STM on 2 threads against sequential (`/tmp`-style loop of
 * 41 runs per size, the same blocks as `weft bench exec`): ERC-20 transfers 0.33x at 8 transactions,
 * 0.41x at 64, 0.68x at 128 (2.4 ms of work); Uniswap swaps 0.70x at 16, 1.05x at 32 (4.9 ms of
 * work), 1.41x at 64. Hence: at least PARALLEL_MIN_TXS transactions, and where the executor has seen
 * recent blocks, at least PARALLEL_MIN_WORK_MICROS of estimated work (their microseconds per
 * transaction times this block's count).
 */
export const PARALLEL_MIN_TXS = 32;
export const PARALLEL_MIN_WORK_MICROS = 6000;

/**
 * Microseconds per transaction of recent blocks (moving averages): `work` of every block, for the work
 * estimate (under Block-STM, its first executions); `sequential` of transactions run sequentially
 * only, which the cheap rule compares (Block-STM's executions are dearer, and vary with the load).
 */
const recentMicros = { work: undefined as number | undefined, sequential: undefined as number | undefined };

/** The pace rules' moving average: half the last value, half the new one. */
function movingAverage(old: number | undefined, value: number): number {
  return old === undefined ? value : 0.5 * old + 0.5 * value;
}

function learnMicrosPerTx(micros: number, txs: number, sequential: boolean): void {
  if (txs < 8) return;
  const perTx = micros / txs;
  recentMicros.work = movingAverage(recentMicros.work, perTx);
  if (sequential) recentMicros.sequential = movingAverage(recentMicros.sequential, perTx);
}

/**
 * The last start of Block-STM stopped mid-block as too cheap: the sequential rate of transactions
 * then, and the blocks run sequentially for that reason since.
 */
let cheapStop: { sequentialMicros: number; blocks: number } | undefined;
/** Transactions this much dearer (sequentially) than at a cheap stop are worth starting Block-STM for again. */
export const CHEAP_DRIFT = 1.5;

/** The cheap rule's figures for autoChoice: the sequential rate at the last cheap stop, and now. */
export interface CheapStop {
  sequentialMicrosAtStop: number;
  sequentialMicrosNow: number;
  blocksSince: number;
}

/**
 * What recent blocks took, start to finish, per transaction (moving averages, each mode's first
 * block left out): those that started Block-STM, and those run sequentially. Block-STM runs (where
 * "auto" would) until it has a pace; then one block runs sequentially to compare; from then on
 * Block-STM runs only while it is measured at least PARALLEL_PAYS faster, and is tried again after
 * PARALLEL_RETRY_BLOCKS sequential blocks. Measured on 2 cores in `weft node` (`bench e2e
 * --vs-anvil`, 20,000 ERC-20 transfers in blocks of ~2,800), where the workers compete with signature
 * recovery, the LMDB writer and the client for the two cores: Block-STM on every block committed
 * 2,450 tx/s for 11.7-12.5 s of node CPU, sequential blocks 3,120-3,280 tx/s for 9.0-9.2 s, at a
 * time when `bench exec` alone judged those blocks worth starting Block-STM for.
 */
export const PARALLEL_PAYS = 0.9;
export const PARALLEL_RETRY_BLOCKS = 32;
/**
 * Until Block-STM has a pace learnt here, "auto" runs it on a block's first TRIAL_TXS transactions
 * only and the rest sequentially: one block teaches both paces on the same kind of transactions, and
 * where Block-STM does not pay (ERC-20 transfers on 2 cores: about 0.65x) learning costs two
 * trials, not two whole blocks (a fresh node's first blocks are its largest under a burst).
 */
export const TRIAL_TXS = 1024;
const wallPerTx = { parallel: undefined as number | undefined, sequential: undefined as number | undefined };
/** The first sequential block is not learnt: it pays for compiling the code it runs. */
let sequentialWarmedUp = false;
let sequentialSinceParallel = 0;

/**
 * A pool's workers run the block's code colder than the main thread until each has executed many
 * transactions: V8 optimises every compiled EVM block (block-compiler.ts) in each thread on its own.
 * Measured on ERC-3643 transfers (2 threads, the second block): a trial of 1,024 took 730 µs per
 * transaction against 480 sequentially, so "auto" ran sequentially from then on, while the same
 * workers, warm, run whole blocks in 264 µs per transaction (1.99x). So the parallel pace is learnt
 * only once the workers are warm: their first executions take at most WARM_RATIO times the main
 * thread's own in the same run (the main thread has run the code all along; both pay Block-STM's
 * costs), or, where the main thread executed too few to compare, their rate stopped improving by
 * more than 1 - IMPROVING from one run to the next; the run after the one that finds them so is the
 * first learnt. Until then each block is another trial, four times as long as the last (warming up
 * takes a number of transactions, so fewer blocks pay for it), and at most MAX_WARMING_RUNS runs
 * are waited for. Once warm, the workers stay warm.
 */
export const WARM_RATIO = 1.25;
export const IMPROVING = 0.85;
export const MAX_WARMING_RUNS = 6;
const warming = { warm: false, microsPerExecution: undefined as number | undefined, runs: 0, trialTxs: TRIAL_TXS };

/** First executions and their microseconds: the workers' and the main thread's, in one Block-STM run. */
interface ExecutionRates {
  workers: { executions: number; micros: number };
  main: { executions: number; micros: number };
}

/** Whether a Block-STM run leaves its workers still warming up (see WARM_RATIO). */
function stillWarming({ workers, main }: ExecutionRates): boolean {
  if (warming.warm || warming.runs >= MAX_WARMING_RUNS) return false;
  warming.runs++;
  const enough = (n: number) => n >= 8;
  if (!enough(workers.executions)) return true;
  const rate = workers.micros / workers.executions;
  const before = warming.microsPerExecution;
  warming.microsPerExecution = rate;
  const warm = enough(main.executions)
    ? rate <= (WARM_RATIO * main.micros) / main.executions
    : before !== undefined && rate >= IMPROVING * before;
  // The run that finds them warm was partly cold still (a trial of 4,096 ERC-3643 transfers judged
  // warm took 581 µs per transaction; the whole block after it, 264): the next run is the one learnt.
  if (warm) warming.warm = true;
  warming.trialTxs *= 4;
  return true;
}

function learnWall(mode: "parallel" | "sequential", millis: number, txs: number): void {
  if (txs < 8) return;
  if (mode === "sequential" && !sequentialWarmedUp) {
    sequentialWarmedUp = true;
    return;
  }
  wallPerTx[mode] = movingAverage(wallPerTx[mode], (millis * 1000) / txs);
}

/** Forgets the pace learnt so far, as if no block had run yet (for a caller that knows the workload changed). */
export function forgetPace(): void {
  wallPerTx.parallel = wallPerTx.sequential = undefined;
  recentMicros.work = recentMicros.sequential = undefined;
  cheapStop = undefined;
  sequentialWarmedUp = false;
  warming.warm = false;
  warming.microsPerExecution = undefined;
  warming.runs = 0;
  warming.trialTxs = TRIAL_TXS;
  sequentialSinceParallel = 0;
}

function measuredChoice(): string | undefined {
  return paceChoice(wallPerTx.parallel, wallPerTx.sequential, sequentialSinceParallel);
}

/**
 * Whether recent blocks' pace (µs per transaction under Block-STM and sequentially, and how many
 * blocks ran sequentially since the last Block-STM one) says to run the next sequentially, and why;
 * undefined: no.
 */
export function paceChoice(
  parallel: number | undefined,
  sequential: number | undefined,
  sequentialSince: number,
): string | undefined {
  if (parallel === undefined || sequentialSince >= PARALLEL_RETRY_BLOCKS) return undefined;
  if (sequential === undefined)
    return `recent Block-STM blocks took ${parallel.toFixed(1)} µs per transaction: one sequential block to compare`;
  if (parallel <= PARALLEL_PAYS * sequential) return undefined;
  return `recent Block-STM blocks took ${parallel.toFixed(1)} µs per transaction, sequential ones ${sequential.toFixed(1)}: too slow to pay here (tried again after ${PARALLEL_RETRY_BLOCKS} blocks)`;
}

/** Whether "auto" starts Block-STM, and why (or why not). */
export function autoChoice(
  txs: readonly TxInput[],
  threads: number,
  state?: Host,
  microsPerTx?: number,
  cheap?: CheapStop,
): { parallel: boolean; reason: string } {
  const n = txs.length;
  if (threads <= 1) return { parallel: false, reason: "one thread: Block-STM cannot beat sequential execution in one" };
  if (n < PARALLEL_MIN_TXS)
    return { parallel: false, reason: `${n} transactions: below ${PARALLEL_MIN_TXS}, too few to pay` };
  if (microsPerTx !== undefined && n * microsPerTx < PARALLEL_MIN_WORK_MICROS) {
    const ms = (n * microsPerTx) / 1000;
    return { parallel: false, reason: `about ${ms.toFixed(1)} ms of work (recent blocks' rate): too little to pay` };
  }
  // The last start stopped mid-block as too cheap, and transactions have stayed about that cheap since
  // (sequential blocks keep the rate current): starting the workers again only to stop them costs more.
  // Tried again after PARALLEL_RETRY_BLOCKS blocks (the machine's load may have changed).
  if (
    cheap !== undefined &&
    cheap.blocksSince < PARALLEL_RETRY_BLOCKS &&
    cheap.sequentialMicrosNow < CHEAP_DRIFT * cheap.sequentialMicrosAtStop
  ) {
    return {
      parallel: false,
      reason: `recent transactions execute sequentially in ${cheap.sequentialMicrosNow.toFixed(1)} µs, as cheap as when the last start of Block-STM stopped as too cheap (${cheap.sequentialMicrosAtStop.toFixed(1)}): too cheap to pay (tried again after ${PARALLEL_RETRY_BLOCKS} blocks)`,
    };
  }
  if (state !== undefined && plainTransfers(txs, state) >= PLAIN_TRANSFER_SHARE * n) {
    return { parallel: false, reason: "value transfers between accounts without code: too cheap to pay" };
  }
  return { parallel: true, reason: `Block-STM on ${threads} threads` };
}

/**
 * A block of mostly plain value transfers runs sequentially: each executes in a few microseconds,
 * less than publishing and committing it costs (`weft bench exec --workload transfer`: 0.4x on 2
 * threads). Seen before execution from the calldata and the recipient's code hash.
 */
export const PLAIN_TRANSFER_SHARE = 0.9;

function plainTransfers(txs: readonly TxInput[], state: Host): number {
  let count = 0;
  for (const tx of txs) {
    if (tx.to === null || tx.data.length !== 0) continue;
    const info = state.account(tx.to);
    if (info === undefined || info.codeHash === EMPTY_CODE_HASH) count++;
  }
  return count;
}

/** How executeBlock runs a block: sequentially (with why, its pace learnt or not), or a parallel run. */
type ExecutionPlan =
  | { kind: "sequential"; reason: string | undefined; learn: boolean }
  | { kind: "parallel"; steps: () => Generator<void, BlockResult, undefined> };

/** The mode for this block (and the pace rules' bookkeeping that choosing it implies). */
function planExecution(
  txs: readonly TxInput[],
  block: BlockEnv,
  state: Host,
  options: ExecuteBlockOptions,
): ExecutionPlan {
  const mode = options.mode ?? "auto";
  // A pool's threads and the main thread beside them.
  const threads = options.pool !== undefined ? options.pool.threads + 1 : (options.threads ?? 1);
  if (mode === "sequential") return { kind: "sequential", reason: undefined, learn: true };
  const cheap =
    cheapStop !== undefined && recentMicros.sequential !== undefined
      ? {
          sequentialMicrosAtStop: cheapStop.sequentialMicros,
          sequentialMicrosNow: recentMicros.sequential,
          blocksSince: cheapStop.blocks,
        }
      : undefined;
  const choice =
    mode === "parallel"
      ? { parallel: true, reason: "Block-STM requested" }
      : autoChoice(txs, threads, state, recentMicros.work, cheap);
  if (!choice.parallel) {
    if (cheapStop !== undefined && threads > 1) cheapStop.blocks++;
    return { kind: "sequential", reason: choice.reason, learn: true };
  }
  const measured = mode === "auto" ? measuredChoice() : undefined;
  if (measured !== undefined) {
    sequentialSinceParallel++;
    return { kind: "sequential", reason: measured, learn: true };
  }
  sequentialSinceParallel = 0;
  // An existing empty coinbase makes deferred fees inexact (a zero fee would delete it): sequential.
  if (!canDeferFees(state, block.coinbase)) {
    return {
      kind: "sequential",
      reason: "the coinbase exists and is empty: deferred fees would not be exact",
      learn: false,
    };
  }
  if (threads > 1 || options.pool !== undefined) {
    const trialTxs = options.trialTxs ?? warming.trialTxs;
    const trial = mode === "auto" && wallPerTx.parallel === undefined && txs.length > trialTxs ? trialTxs : undefined;
    return {
      kind: "parallel",
      steps: () => onPool(txs, block, state, options, mode === "auto", choice.reason, trial),
    };
  }
  // Virtual workers in this thread (tests): no place to stop.
  return { kind: "parallel", steps: () => whole(inThread(txs, block, state, options, choice.reason)) };
}

/**
 * The process-wide pool that executeBlock's `threads` use (the main thread is one of them), started
 * on first use; the node starts it early (Chain.startExecutorWorkers).
 */
export function executorPool(threads: number): BlockStmPool {
  return sharedPool(threads - 1);
}

export function executeBlock(
  txs: readonly TxInput[],
  block: BlockEnv,
  state: Host,
  options: ExecuteBlockOptions = {},
): BlockResult {
  const plan = planExecution(txs, block, state, options);
  if (plan.kind === "parallel") return runWhole(plan.steps());
  const start = performance.now();
  const result = runWhole(sequentialBlock(txs, block, state, plan.reason));
  if (plan.learn) learnSequential(result, performance.now() - start, txs.length);
  return result;
}

/**
 * executeBlock, with a sequential block run in slices (primitives/slices.ts): a caller on an event
 * loop (the node) serves other work while a large block executes. The result is executeBlock's; the
 * pace rules learn the slices' own time, not the pauses. A parallel run (its workers on their own
 * threads) goes whole.
 */
export async function executeBlockInSlices(
  txs: readonly TxInput[],
  block: BlockEnv,
  state: Host,
  options: ExecuteBlockOptions,
  slices: Slices,
): Promise<BlockResult> {
  const plan = planExecution(txs, block, state, options);
  if (plan.kind === "parallel") return runInSlices(plan.steps(), slices);
  const clock = { suspendedMs: 0 };
  const start = performance.now();
  const result = await runInSlices(counting(sequentialBlock(txs, block, state, plan.reason), clock), slices);
  if (plan.learn) learnSequential(result, performance.now() - start - clock.suspendedMs, txs.length);
  return result;
}

/** Committed transactions the main thread takes into the block between two places it may stop. */
const TAKE_PER_STEP = 64;

/** A result already there, as steps without a yield. */
// biome-ignore lint/correctness/useYield: a generator that returns at once (the interface's trivial case)
function* whole(result: BlockResult): Generator<void, BlockResult, undefined> {
  return result;
}

/** Block-STM in this thread, with virtual workers (tests, and `threads` 1 with "parallel"). */
function inThread(
  txs: readonly TxInput[],
  block: BlockEnv,
  state: Host,
  options: ExecuteBlockOptions,
  reason: string,
): BlockResult {
  const setupStart = performance.now();
  const run = runBlockStm(txs, block, state, { workers: options.workers ?? 1, seed: options.seed ?? 0 });
  if (run === undefined) return executeSequential(txs, block, state, "Block-STM's memory ran out of room");
  const builder = new BlockBuilder(block, state);
  const reexecutions = run.scheduler.reexecutions();
  const rejected = new Committer(txs, builder, run.memory).take(txs.length);
  const result = rejected
    ? invalidBlock(rejected.txIndex, rejected.error, "parallel", reason, reexecutions)
    : builder.valid("parallel", `${reason}, ${options.workers ?? 1} virtual workers in one thread`, reexecutions);
  if (options.stats)
    result.stats = measure(run.scheduler, run.memory, txs.length, 1, performance.now() - setupStart, 0, 0);
  return result;
}

/** A sequential block's rate, learnt for "auto"'s work estimate and pace (a valid block's only). */
function learnSequential(result: BlockResult, millis: number, txs: number): void {
  if (!result.valid) return;
  learnMicrosPerTx(millis * 1000, txs, true);
  learnWall("sequential", millis, txs);
}

/**
 * Block-STM on the pool's threads and the main thread, with the rolling commit: the main thread
 * executes transactions beside the workers and, between them, takes what has been committed (so
 * `threads` counts it: a pool of threads - 1 workers, and no core is oversubscribed). In "auto", the
 * committer may stop a block that does not pay; the main thread then finishes it sequentially.
 */
function* onPool(
  txs: readonly TxInput[],
  block: BlockEnv,
  state: Host,
  options: ExecuteBlockOptions,
  auto: boolean,
  reason: string,
  /** A trial (fewer than the block's transactions): Block-STM runs on only this many, the rest sequentially. */
  trialTxs?: number,
): Generator<void, BlockResult, undefined> {
  const n = txs.length;
  const t0 = performance.now();
  // Time spent suspended at this generator's yields (a caller serving other work): not the block's.
  const clock = { suspendedMs: 0 };
  const pool = options.pool ?? executorPool(options.threads!);
  const base = options.base ?? snapshotState(snapshotable(state));
  // A trial runs Block-STM on the block's first trialTxs transactions only; the rest go sequentially.
  const m = trialTxs ?? n;
  const run = pool.start(m < n ? txs.slice(0, m) : txs, block, base, state, (k) => state.blockHash(k), auto);
  if (run === undefined)
    return yield* sequentialBlock(txs, block, state, `${n} transactions: more than Block-STM's memory holds`);
  const builder = new BlockBuilder(block, state);
  const own = new OwnOutcomes(run.scheduler);
  const committer = new Committer(txs, builder, run.memory, own);
  const table = { length: m, get: (i: number) => txs[i]! };
  const executor = new BlockStmWorker(pool.mainExecutorMemory, run.scheduler, table, block, true, undefined, own);
  const setupMs = performance.now() - t0;
  let commitMs = 0;
  let rejected: Rejection | undefined;
  let fallback: string | undefined;
  let failure: unknown;
  let committed = 0;
  while (committed < m) {
    let stepped = false;
    if (failure === undefined && !run.scheduler.done()) {
      try {
        stepped = executor.stepNow();
      } catch (error) {
        // The workers stop too; a full memory finishes sequentially, anything else is rethrown.
        run.scheduler.fail(error instanceof MemoryFull ? ERROR_MEMORY_FULL : ERROR_FAILED);
        failure = error;
      }
    }
    let upTo = run.scheduler.committed();
    if (upTo === committed && !stepped) upTo = run.waitCommitted(committed);
    // A few at a time: a caller running this in slices may pause between them.
    upTo = Math.min(upTo, committed + TAKE_PER_STEP);
    if (upTo > committed) {
      const t = performance.now();
      rejected = committer.take(upTo);
      commitMs += performance.now() - t;
      if (rejected !== undefined) break;
      committed = upTo;
    } else if (!stepped && run.ended()) {
      break; // a failure, or memory full
    }
    fallback = fallbackReason(run.scheduler);
    if (fallback !== undefined) break;
    // The workers go on while the caller pauses here (primitives/slices.ts).
    yield* suspendOnce(clock);
  }
  executor.leave((performance.now() - t0 - clock.suspendedMs) * 1000 - commitMs * 1000);
  // An invalid transaction ends the block; so does a fallback: the workers leave it.
  if (committed < m) run.stop();
  const end = run.finish();
  const tailStart = performance.now();
  if (failure !== undefined && !(failure instanceof MemoryFull)) throw failure;
  if (end.failure !== undefined) throw new Error(`BlockStmPool: a worker failed: ${end.failure}`);
  // Commits made after the last take (a stop, a failure) are final too.
  rejected ??= committer.take(run.scheduler.committed());
  let result: BlockResult;
  const inParallel = committer.taken;
  const parallelMs = performance.now() - t0 - clock.suspendedMs;
  const trialEnded = m < n && inParallel === m;
  const reexecutions = run.scheduler.reexecutions();
  if (rejected !== undefined) {
    result = invalidBlock(rejected.txIndex, rejected.error, "parallel", reason, reexecutions);
  } else if (inParallel < n) {
    const why =
      end.memoryFull || failure !== undefined
        ? "Block-STM's memory ran out of room"
        : trialEnded
          ? `a trial of Block-STM on the first ${m} (no pace learnt here yet)`
          : (fallback ?? "the workers stopped");
    const modeReason = `${reason}, then sequential from transaction ${inParallel}: ${why}`;
    const tail = performance.now();
    const suspendedBefore = clock.suspendedMs;
    result = yield* counting(
      sequentialSteps(txs, inParallel, builder, inParallel === 0 ? "sequential" : "parallel", modeReason, reexecutions),
      clock,
    );
    const tailMicros = (performance.now() - tail - (clock.suspendedMs - suspendedBefore)) * 1000;
    if (result.valid) learnMicrosPerTx(tailMicros, n - inParallel, true);
    // A trial's tail is the sequential pace on the same kind of transactions.
    if (result.valid && trialEnded) learnWall("sequential", tailMicros / 1000, n - inParallel);
  } else {
    result = builder.valid("parallel", reason, reexecutions);
  }
  const firstExecutions = run.scheduler.read(Ctl.FIRST_EXECUTIONS);
  const firstMicros = run.scheduler.read(Ctl.FIRST_EXEC_US);
  const main = { executions: executor.lifetime.firstExecutions, micros: executor.lifetime.firstMicros };
  const workers = { executions: firstExecutions - main.executions, micros: firstMicros - main.micros };
  // What starting Block-STM cost this block, whether it ran it whole or stopped it part way (a
  // trial: the part it ran), once its workers are warm; a stop as too dependent or too cheap is a
  // verdict that warmer workers would not change.
  const warmingUp = fallback === undefined && stillWarming({ workers, main });
  if (rejected === undefined && !warmingUp) {
    if (trialEnded) learnWall("parallel", parallelMs, inParallel);
    else learnWall("parallel", performance.now() - t0 - clock.suspendedMs, n);
  }
  // The executors' first incarnations: the block's own execution rate, for the next work estimate.
  learnMicrosPerTx(firstMicros, firstExecutions, false);
  // A stop as too cheap is remembered with the sequential rate of its tail (just learnt).
  const stoppedCheap = run.scheduler.read(Ctl.FALLBACK) === FALLBACK_CHEAP;
  cheapStop =
    stoppedCheap && recentMicros.sequential !== undefined
      ? { sequentialMicros: recentMicros.sequential, blocks: 0 }
      : undefined;
  if (options.stats)
    result.stats = measure(
      run.scheduler,
      run.memory,
      inParallel,
      pool.threads + 1,
      setupMs,
      commitMs,
      performance.now() - tailStart,
    );
  return result;
}

/** Why the committer stopped the block (scheduler.ts's FallbackPolicy), else undefined. */
function fallbackReason(scheduler: Scheduler): string | undefined {
  const why = scheduler.read(Ctl.FALLBACK);
  if (why === 0) return undefined;
  const committed = scheduler.committed();
  if (why === FALLBACK_CHEAP) {
    const micros = scheduler.read(Ctl.FALLBACK_EXEC_US) / Math.max(1, scheduler.read(Ctl.FALLBACK_EXECUTIONS));
    const executors = scheduler.read(Ctl.CHECK_FALLBACK);
    return `transactions execute in ${micros.toFixed(1)} µs on average, under ${cheapMicros(executors).toFixed(0)} for ${executors} executors: too cheap to pay`;
  }
  return `${scheduler.wasted()} re-executions and waits for ${committed} commits: too dependent to pay`;
}

const OUTLIER_TIMES = 20;

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
  // A thread descheduled mid-execution (a busy or shared machine) makes one execution look thousands
  // of times its work, and alone it would be the critical path: an execution counts at most
  // OUTLIER_TIMES the block's median in the path (its full time still counts as work).
  const sorted = Float64Array.from({ length: committed }, (_, k) => memory.execMicros(k)).sort();
  const cap = OUTLIER_TIMES * (sorted[committed >> 1] ?? 0);
  let work = 0;
  let critical = 0;
  for (let k = 0; k < committed; k++) {
    let start = 0;
    memory.readFrom(k, (writer) => {
      if (writer < k && finish[writer]! > start) start = finish[writer]!;
    });
    const micros = memory.execMicros(k);
    work += micros;
    finish[k] = start + Math.min(micros, cap);
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
