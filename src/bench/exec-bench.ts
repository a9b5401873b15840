// The block-execution benchmark (`weft bench exec`): one block of N transactions, executed from the
// same pre-state by the sequential reference executor and by Block-STM at each thread count. Only the
// executeBlock call is timed; every run's post-state root is checked against the sequential one
// outside the timer.
import { executeBlock } from "../exec/block/execute-block.js";
import { type BaseSource, snapshotState } from "../exec/block/pool/base-state.js";
import type { ExecuteBlockOptions, ExecutionMode, ParallelStats, ValidBlock } from "../exec/block/types.js";
import { encodedTx } from "../exec/tx-wire.js";
import { wordToHex } from "../primitives/hex.js";
import { type ExecWorkloadName, type PreparedBlock, prepareExecWorkload } from "./exec-workloads.js";
import { parallelCapacity } from "./parallel-capacity.js";

export const EXEC_BENCH_SCOPE =
  "execution only: no signature recovery (senders given, i.e. recovered before the timer), no state root in the timing, no disk";

/**
 * executeBlock's options for the parallel executor on `threads` threads. In "auto" mode, as a node
 * runs it: one thread runs sequentially (the executor's own choice), above one the process-wide worker
 * pool, given `base` (the pre-state serialised for the workers once, outside the timer, as a node's
 * workers keep their database open), and a block that does not pay falls back mid-block. In
 * "parallel" mode Block-STM runs every block whole: one thread is one virtual worker in this thread.
 */
function parallelOptions(threads: number, base: () => BaseSource, mode: ExecBenchMode): ExecuteBlockOptions {
  if (threads === 1) return mode === "auto" ? { mode, threads: 1, stats: true } : { mode, workers: 1, stats: true };
  return { mode, threads, base: base(), stats: true };
}

/** How the parallel rows run executeBlock: as a node does ("auto"), or Block-STM on every block. */
export type ExecBenchMode = "auto" | "parallel";

export interface ExecBenchOptions {
  workload: ExecWorkloadName;
  txs: number;
  /** Thread counts for the parallel executor; the sequential reference always runs too. */
  threads: number[];
  accounts?: number;
  pairs?: number;
  /** Timed runs per configuration; the median is reported. */
  repeat: number;
  /** The parallel rows' mode (default "auto"). */
  mode?: ExecBenchMode;
  onCompile?: () => void;
}

export interface ExecBenchRow {
  workload: ExecWorkloadName;
  txs: number;
  executor: "sequential" | "parallel";
  threads: number;
  /** The mode executeBlock reports the first timed run ran in, and why. */
  mode: ExecutionMode;
  modeReason: string;
  /** Timed runs that ran Block-STM (for part of the block at least), of `repeat`: "auto" may choose differently run to run. */
  parallelRuns: number;
  /** Every distinct reason the timed runs gave, in the order first seen. */
  modeReasons: string[];
  /** Median seconds of the executeBlock call. */
  seconds: number;
  tps: number;
  /** Sequential seconds / these seconds. */
  speedup: number;
  /**
   * The machine's parallel capacity for this many threads (parallel-capacity.ts; 1 for one thread):
   * the mean of a measurement before and one after the timed runs, and both.
   */
  capacity: number;
  capacityRange: [number, number];
  /** speedup / capacity: the share of the machine's parallel capacity the executor turned into speed. */
  efficiency: number;
  /**
   * Median CPU milliseconds of the executeBlock call, every thread of the process (workers included),
   * and that over the sequential executor's: what running in parallel costs in all, which a busy
   * machine disturbs less than the wall-clock speedup.
   */
  cpuMs: number;
  cpuRatio: number;
  /** Median Block-STM re-executions (0 for sequential). */
  reexecutions: number;
  gasUsed: bigint;
  stateRoot: bigint;
  accounts?: number;
  pairs?: number;
  /** Parallel rows that ran Block-STM on threads: the run's figures (medians over the timed runs). */
  parallel?: ParallelFigures;
}

/** Medians of a parallel row's ParallelStats, and what follows from them. Milliseconds. */
export interface ParallelFigures {
  workerBusyMs: number;
  workerIdleMs: number;
  /** Main thread before the workers start, and after they finish: the serial part. */
  serialMs: number;
  /** Main thread turning commits into receipts and writes while the workers run. */
  commitMs: number;
  /**
   * Total worker busy time, scaled to one thread's speed alone (the machine's capacity / threads), over
   * the sequential executor's time: what running in parallel costs per transaction.
   */
  overhead: number;
  /** The block's available parallelism: total execution time / the critical path of the dependencies observed. */
  availableParallelism: number;
  /** Projected speedups over sequential for more threads (see `project`). */
  projection: { threads: number; speedup: number; serialShare: number }[];
}

export const PROJECTED_THREADS = [4, 8, 16, 32];

/**
 * A projection, not a measurement, for a machine with T free cores: T threads take the measured serial
 * part, plus the larger of the workers' busy time spread over T, the observed critical path scaled by
 * the same overhead, and the main thread's commit time (it must keep up). What was measured while the
 * threads ran together (busy, commit, critical path) ran at `speedPerThread` of one thread alone (the
 * machine's capacity / the threads measured: about 0.6 on a 2-vCPU VM whose vCPUs share a core), and
 * is scaled back to one thread's speed first. It assumes per-core speed stays as measured alone.
 */
export function project(
  f: Omit<ParallelFigures, "projection">,
  sequentialMs: number,
  workMs: number,
  criticalPathMs: number,
  speedPerThread = 1,
): ParallelFigures["projection"] {
  const perWork = workMs > 0 ? f.workerBusyMs / workMs : 1;
  const busy = f.workerBusyMs * speedPerThread;
  const commit = f.commitMs * speedPerThread;
  const critical = criticalPathMs * speedPerThread * perWork;
  return PROJECTED_THREADS.map((threads) => {
    const ms = f.serialMs + Math.max(busy / threads, critical, commit);
    return { threads, speedup: sequentialMs / ms, serialShare: f.serialMs / ms };
  });
}

export interface ExecBenchResult {
  description: string;
  /** The parallel rows' mode. */
  mode: ExecBenchMode;
  rows: ExecBenchRow[];
}

interface Run {
  seconds: number;
  cpuMs: number;
  result: ValidBlock;
  root: bigint;
}

/** Runs `options` once: clones the pre-state (untimed), times executeBlock, checks and roots (untimed). */
function runOnce(prepared: PreparedBlock, options: ExecuteBlockOptions, label: string): Run {
  const state = prepared.state.clone();
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const result = executeBlock(prepared.txs, prepared.block, state, options);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  if (!result.valid) throw new Error(`${label}: block invalid at tx ${result.txIndex}: ${result.error.message}`);
  const failed = result.receipts.findIndex((r) => r.status !== 1);
  if (failed >= 0) throw new Error(`${label}: transaction ${failed} failed (status 0)`);
  state.applyWrites(result.writes);
  return { seconds, cpuMs, result, root: state.stateRoot() };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function runExecBench(options: ExecBenchOptions): Promise<ExecBenchResult> {
  const prepared = await prepareExecWorkload(options.workload, {
    txs: options.txs,
    accounts: options.accounts,
    pairs: options.pairs,
    onCompile: options.onCompile,
  });
  // Caches every account's storage root in the pre-state; clones carry the cache, so the untimed
  // post-state roots recompute only what the block changed.
  prepared.state.stateRoot();
  // Each transaction's encoding for the workers, made as a node makes it when the transaction enters
  // its pool (TxPool.add), not in the block's setup.
  for (const tx of prepared.txs) encodedTx(tx);
  let snapshot: BaseSource | undefined;
  const base = () => (snapshot ??= snapshotState(prepared.state));

  const configs: { executor: "sequential" | "parallel"; threads: number; options: ExecuteBlockOptions }[] = [
    { executor: "sequential", threads: 1, options: { mode: "sequential" } },
    ...options.threads.map((t) => ({
      executor: "parallel" as const,
      threads: t,
      options: parallelOptions(t, base, options.mode ?? "auto"),
    })),
  ];
  const labels = configs.map((c) => `${options.workload} ${c.executor} threads=${c.threads}`);
  // Warm-up (JIT, a thread pool's start), untimed; then the timed runs in rounds, every configuration
  // once per round, so that a slow spell of the machine does not land on one configuration only.
  const warmups = configs.map((c, i) => runOnce(prepared, c.options, labels[i]!));
  const threadCounts = [...new Set(options.threads)];
  const capacityBefore = new Map<number, number>();
  for (const t of threadCounts) capacityBefore.set(t, await parallelCapacity(t));
  const runs: Run[][] = configs.map(() => []);
  // Each round starts one configuration later: with a fixed order, the sequential executor measured up
  // to 10% faster as the first of a round than the very same code run as the second.
  for (let r = 0; r < options.repeat; r++) {
    for (let k = 0; k < configs.length; k++) {
      const i = (r + k) % configs.length;
      runs[i]!.push(runOnce(prepared, configs[i]!.options, labels[i]!));
    }
  }
  const capacityAfter = new Map<number, number>();
  for (const t of threadCounts) capacityAfter.set(t, await parallelCapacity(t));
  const reference = {
    seconds: median(runs[0]!.map((r) => r.seconds)),
    cpuMs: median(runs[0]!.map((r) => r.cpuMs)),
    root: runs[0]![0]!.root,
  };
  // Only runs that ran the whole block under Block-STM on threads: a fallback's figures are of its
  // first transactions, and its sequential rest would count as serial time.
  const statsOf = (rs: Run[]): ParallelStats[] =>
    rs.flatMap((r) =>
      (r.result.stats?.threads ?? 0) > 1 && r.result.stats!.committedInParallel === options.txs
        ? [r.result.stats!]
        : [],
    );
  const rows: ExecBenchRow[] = [];
  for (const [i, config] of configs.entries()) {
    const label = labels[i]!;
    const seconds = median(runs[i]!.map((r) => r.seconds));
    const cpuMs = median(runs[i]!.map((r) => r.cpuMs));
    const first = runs[i]![0]!;
    for (const run of [warmups[i]!, ...runs[i]!]) {
      if (run.root !== reference.root) {
        throw new Error(
          `${label}: post-state root ${wordToHex(run.root)} differs from the sequential executor's ${wordToHex(reference.root)}`,
        );
      }
    }
    const capacityRange: [number, number] =
      config.executor === "parallel"
        ? [capacityBefore.get(config.threads)!, capacityAfter.get(config.threads)!]
        : [1, 1];
    const capacity = (capacityRange[0] + capacityRange[1]) / 2;
    const speedup = reference.seconds / seconds;
    const row: ExecBenchRow = {
      workload: options.workload,
      txs: options.txs,
      executor: config.executor,
      threads: config.threads,
      mode: first.result.mode,
      modeReason: first.result.modeReason,
      parallelRuns: runs[i]!.filter((r) => r.result.mode === "parallel").length,
      modeReasons: [...new Set(runs[i]!.map((r) => r.result.modeReason))],
      seconds,
      tps: options.txs / seconds,
      speedup,
      capacity,
      capacityRange,
      efficiency: speedup / capacity,
      cpuMs,
      cpuRatio: cpuMs / reference.cpuMs,
      reexecutions: median(runs[i]!.map((r) => r.result.reexecutions)),
      gasUsed: first.result.gasUsed,
      stateRoot: first.root,
    };
    const stats = statsOf(runs[i]!);
    if (stats.length > 0)
      row.parallel = figures(stats, reference.seconds * 1000, Math.min(1, capacity / config.threads));
    if (options.workload === "erc20-contended") row.accounts = options.accounts;
    if (options.workload === "uniswap") row.pairs = options.pairs;
    rows.push(row);
  }
  return { description: prepared.description, mode: options.mode ?? "auto", rows };
}

function figures(stats: ParallelStats[], sequentialMs: number, speedPerThread: number): ParallelFigures {
  const m = (pick: (s: ParallelStats) => number) => median(stats.map(pick));
  const base = {
    workerBusyMs: m((s) => s.workerBusyMs),
    workerIdleMs: m((s) => s.workerIdleMs),
    serialMs: m((s) => s.setupMs + s.tailMs),
    commitMs: m((s) => s.commitMs),
    overhead: (m((s) => s.workerBusyMs) * speedPerThread) / sequentialMs,
    availableParallelism: m((s) => (s.criticalPathMs > 0 ? s.workMs / s.criticalPathMs : 1)),
  };
  return {
    ...base,
    projection: project(
      base,
      sequentialMs,
      m((s) => s.workMs),
      m((s) => s.criticalPathMs),
      speedPerThread,
    ),
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** One JSON object per row. */
export function execRowJson(row: ExecBenchRow): string {
  return JSON.stringify({
    bench: "exec",
    workload: row.workload,
    ...(row.accounts !== undefined ? { accounts: row.accounts } : {}),
    ...(row.pairs !== undefined ? { pairs: row.pairs } : {}),
    txs: row.txs,
    executor: row.executor,
    threads: row.threads,
    mode: row.mode,
    modeReason: row.modeReason,
    parallelRuns: row.parallelRuns,
    modeReasons: row.modeReasons,
    ms: round(row.seconds * 1000, 3),
    tps: round(row.tps, 1),
    speedup: round(row.speedup, 3),
    capacity: round(row.capacity, 2),
    capacityRange: row.capacityRange.map((c) => round(c, 2)),
    efficiency: round(row.efficiency, 3),
    cpuMs: round(row.cpuMs, 3),
    cpuRatio: round(row.cpuRatio, 3),
    reexecutions: row.reexecutions,
    gasUsed: row.gasUsed.toString(),
    stateRoot: wordToHex(row.stateRoot),
    ...(row.parallel !== undefined
      ? {
          workerBusyMs: round(row.parallel.workerBusyMs, 3),
          workerIdleMs: round(row.parallel.workerIdleMs, 3),
          serialMs: round(row.parallel.serialMs, 3),
          commitMs: round(row.parallel.commitMs, 3),
          overhead: round(row.parallel.overhead, 3),
          availableParallelism: round(row.parallel.availableParallelism, 2),
          projection: row.parallel.projection.map((p) => ({
            threads: p.threads,
            speedup: round(p.speedup, 2),
            serialShare: round(p.serialShare, 4),
          })),
        }
      : {}),
    scope: EXEC_BENCH_SCOPE,
    nodeFlags: process.execArgv.join(" "),
  });
}

/** A table for people: what was measured, one row per executor and thread count, the verified root. */
export function execTable(result: ExecBenchResult, repeat: number): string {
  const first = result.rows[0]!;
  const params = [
    `${first.txs} txs`,
    ...(first.accounts !== undefined ? [`accounts ${first.accounts}`] : []),
    ...(first.pairs !== undefined ? [`pairs ${first.pairs}`] : []),
  ].join(", ");
  const header = [
    "executor",
    "threads",
    "mode",
    "ms",
    "tx/s",
    "speedup",
    "capacity",
    "eff",
    "cpu",
    "reexec",
    "busy ms",
    "idle ms",
    "serial ms",
    "commit ms",
    "overhead",
  ];
  const rows = result.rows.map((r) => [
    r.executor,
    String(r.threads),
    r.executor === "parallel" && r.parallelRuns > 0 && r.parallelRuns < repeat
      ? `parallel ${r.parallelRuns}/${repeat}`
      : r.mode,
    (r.seconds * 1000).toFixed(1),
    r.tps.toFixed(0),
    `${r.speedup.toFixed(2)}x`,
    r.executor === "parallel" && r.threads > 1 ? `${r.capacity.toFixed(2)}x` : "",
    r.executor === "parallel" && r.threads > 1 ? `${(100 * r.efficiency).toFixed(0)}%` : "",
    `${r.cpuRatio.toFixed(2)}x`,
    String(r.reexecutions),
    r.parallel?.workerBusyMs.toFixed(1) ?? "",
    r.parallel?.workerIdleMs.toFixed(1) ?? "",
    r.parallel?.serialMs.toFixed(1) ?? "",
    r.parallel?.commitMs.toFixed(1) ?? "",
    r.parallel !== undefined ? `${r.parallel.overhead.toFixed(2)}x` : "",
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c <= 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ");
  const notes = [
    `Measured: ${EXEC_BENCH_SCOPE}; node flags: ${process.execArgv.join(" ") || "none"}. Median of ${repeat} timed runs (in rounds over the executors, each round starting one executor later, after one untimed warm-up each), each from a clone of the same pre-state.`,
  ];
  const modes = result.rows
    .filter((r) => r.executor === "parallel")
    .map(
      (r) =>
        `${r.threads} thread(s), ${r.parallelRuns} of ${repeat} timed runs Block-STM: ${r.modeReasons.join(" | ")}`,
    );
  notes.push(
    result.mode === "auto"
      ? `Parallel rows run the executor in "auto" mode, as a node does (it may choose differently run to run; "parallel k/R": k of R runs started Block-STM). ${modes.join("; ")}.`
      : `Parallel rows run Block-STM on every block (--mode parallel; one thread: one virtual worker in the main thread), whether or not it pays. ${modes.join("; ")}.`,
  );
  notes.push(
    "cpu: CPU time of the executeBlock call over every thread of the process, over the sequential executor's (the wall-clock speedup is at the mercy of other load on the machine; this less so); busy/idle: worker time on tasks and without one, summed over workers; serial: main thread before the workers start and after they finish; commit: main thread turning committed transactions into receipts and writes while the workers run; overhead: worker busy time at one thread's speed / sequential time; capacity: the work this machine's threads do at once, in units of one thread alone (a CPU-bound kernel on as many threads, measured before and after the timed runs; 2 on two free cores), which bounds the speedup; eff: speedup / capacity.",
  );
  for (const r of result.rows) {
    if (r.parallel === undefined) continue;
    const p = r.parallel;
    const cells = p.projection.map(
      (x) => `${x.threads}: ${x.speedup.toFixed(1)}x (serial ${(100 * x.serialShare).toFixed(1)}%)`,
    );
    notes.push(
      `PROJECTION from the ${r.threads}-thread run (not a measurement): available parallelism ${p.availableParallelism.toFixed(1)} (execution time / critical path of the observed dependencies); speedup over sequential at ${cells.join(", ")}.`,
    );
  }
  notes.push(
    `Post-state root ${wordToHex(first.stateRoot)}: every run's root (writes applied to a clone, outside the timer) equals the sequential executor's.`,
  );
  return [
    `weft bench exec: ${first.workload} (${params}): ${result.description}`,
    notes[0]!,
    "",
    line(header),
    ...rows.map(line),
    "",
    ...notes.slice(1),
  ].join("\n");
}
