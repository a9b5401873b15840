// The block-execution benchmark (`weft bench exec`): one block of N transactions, executed from the
// same pre-state by the sequential reference executor and by Block-STM at each thread count. Only the
// executeBlock call is timed; every run's post-state root is checked against the sequential one
// outside the timer.
import { executeBlock } from "../exec/block/execute-block.js";
import { type BaseSource, snapshotState } from "../exec/block/pool/base-state.js";
import type { ExecuteBlockOptions, ExecutionMode, ValidBlock } from "../exec/block/types.js";
import { wordToHex } from "../primitives/hex.js";
import { type ExecWorkloadName, type PreparedBlock, prepareExecWorkload } from "./exec-workloads.js";

export const EXEC_BENCH_SCOPE =
  "execution only: no signature recovery (senders given, i.e. recovered before the timer), no state root in the timing, no disk";

/**
 * Whether executeBlock runs Block-STM on OS worker threads (its `threads` option). Without it the
 * parallel executor would interleave `workers` virtual workers in one thread, and the output says so.
 * The annotation stops typechecking when ExecuteBlockOptions gains or loses `threads`: flip it then.
 */
export const OS_THREADS: "threads" extends keyof ExecuteBlockOptions ? true : false = true;

export type ThreadKind = "os" | "virtual";

/**
 * executeBlock's options for Block-STM on `threads` threads. One thread is the single-thread
 * executor; above one, the process-wide worker pool, given `base` (the pre-state serialised for the
 * workers, made once outside the timer, as a node's workers keep their database open across blocks).
 */
function parallelOptions(threads: number, base: () => BaseSource): ExecuteBlockOptions {
  if (!OS_THREADS) return { mode: "parallel", workers: threads, seed: 0 };
  if (threads === 1) return { mode: "parallel", threads: 1 } as ExecuteBlockOptions;
  return { mode: "parallel", threads, base: base() } as ExecuteBlockOptions;
}

export interface ExecBenchOptions {
  workload: ExecWorkloadName;
  txs: number;
  /** Thread counts for the parallel executor; the sequential reference always runs too. */
  threads: number[];
  accounts?: number;
  pairs?: number;
  /** Timed runs per configuration; the median is reported. */
  repeat: number;
  onCompile?: () => void;
}

export interface ExecBenchRow {
  workload: ExecWorkloadName;
  txs: number;
  executor: "sequential" | "parallel";
  threads: number;
  /** Parallel rows: real OS threads, or virtual workers in one thread. */
  threadKind?: ThreadKind;
  /** The mode executeBlock reports it ran in. */
  mode: ExecutionMode;
  /** Median seconds of the executeBlock call. */
  seconds: number;
  tps: number;
  /** Sequential seconds / these seconds. */
  speedup: number;
  /** Median Block-STM re-executions (0 for sequential). */
  reexecutions: number;
  gasUsed: bigint;
  stateRoot: bigint;
  accounts?: number;
  pairs?: number;
}

export interface ExecBenchResult {
  description: string;
  rows: ExecBenchRow[];
}

interface Run {
  seconds: number;
  result: ValidBlock;
  root: bigint;
}

/** Runs `options` once: clones the pre-state (untimed), times executeBlock, checks and roots (untimed). */
function runOnce(prepared: PreparedBlock, options: ExecuteBlockOptions, label: string): Run {
  const state = prepared.state.clone();
  const start = process.hrtime.bigint();
  const result = executeBlock(prepared.txs, prepared.block, state, options);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (!result.valid) throw new Error(`${label}: block invalid at tx ${result.txIndex}: ${result.error.message}`);
  const failed = result.receipts.findIndex((r) => r.status !== 1);
  if (failed >= 0) throw new Error(`${label}: transaction ${failed} failed (status 0)`);
  state.applyWrites(result.writes);
  return { seconds, result, root: state.stateRoot() };
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
  let snapshot: BaseSource | undefined;
  const base = () => (snapshot ??= snapshotState(prepared.state));

  const configs: { executor: "sequential" | "parallel"; threads: number; options: ExecuteBlockOptions }[] = [
    { executor: "sequential", threads: 1, options: { mode: "sequential" } },
    ...options.threads.map((t) => ({ executor: "parallel" as const, threads: t, options: parallelOptions(t, base) })),
  ];
  const labels = configs.map((c) => `${options.workload} ${c.executor} threads=${c.threads}`);
  // Warm-up (JIT, a thread pool's start), untimed; then the timed runs in rounds, every configuration
  // once per round, so that a slow spell of the machine does not land on one configuration only.
  const warmups = configs.map((c, i) => runOnce(prepared, c.options, labels[i]!));
  const runs: Run[][] = configs.map(() => []);
  for (let r = 0; r < options.repeat; r++) {
    configs.forEach((c, i) => {
      runs[i]!.push(runOnce(prepared, c.options, labels[i]!));
    });
  }
  const reference = { seconds: median(runs[0]!.map((r) => r.seconds)), root: runs[0]![0]!.root };
  const rows: ExecBenchRow[] = [];
  for (const [i, config] of configs.entries()) {
    const label = labels[i]!;
    const seconds = median(runs[i]!.map((r) => r.seconds));
    const first = runs[i]![0]!;
    for (const run of [warmups[i]!, ...runs[i]!]) {
      if (run.root !== reference.root) {
        throw new Error(
          `${label}: post-state root ${wordToHex(run.root)} differs from the sequential executor's ${wordToHex(reference.root)}`,
        );
      }
    }
    const row: ExecBenchRow = {
      workload: options.workload,
      txs: options.txs,
      executor: config.executor,
      threads: config.threads,
      mode: first.result.mode,
      seconds,
      tps: options.txs / seconds,
      speedup: reference.seconds / seconds,
      reexecutions: median(runs[i]!.map((r) => r.result.reexecutions)),
      gasUsed: first.result.gasUsed,
      stateRoot: first.root,
    };
    if (config.executor === "parallel") row.threadKind = OS_THREADS ? "os" : "virtual";
    if (options.workload === "erc20-contended") row.accounts = options.accounts;
    if (options.workload === "uniswap") row.pairs = options.pairs;
    rows.push(row);
  }
  return { description: prepared.description, rows };
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
    ...(row.threadKind !== undefined ? { threadKind: row.threadKind } : {}),
    mode: row.mode,
    ms: round(row.seconds * 1000, 3),
    tps: round(row.tps, 1),
    speedup: round(row.speedup, 3),
    reexecutions: row.reexecutions,
    gasUsed: row.gasUsed.toString(),
    stateRoot: wordToHex(row.stateRoot),
    scope: EXEC_BENCH_SCOPE,
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
  const header = ["executor", "threads", "mode", "ms", "tx/s", "speedup", "reexec"];
  const rows = result.rows.map((r) => [
    r.executor,
    r.threadKind === "virtual" ? `${r.threads} (virtual)` : String(r.threads),
    r.mode,
    (r.seconds * 1000).toFixed(1),
    r.tps.toFixed(0),
    `${r.speedup.toFixed(2)}x`,
    String(r.reexecutions),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c <= 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ");
  const notes = [
    `Measured: ${EXEC_BENCH_SCOPE}. Median of ${repeat} timed runs (in rounds over the executors, after one untimed warm-up each), each from a clone of the same pre-state.`,
  ];
  if (result.rows.some((r) => r.threadKind === "virtual")) {
    notes.push(
      "Threads are VIRTUAL: Block-STM's workers are interleaved in one OS thread until the worker pool lands, so parallel rows show its overhead, not a speedup.",
    );
  }
  if (result.rows.some((r) => r.threadKind === "os" && r.threads > 1)) {
    notes.push(
      "Parallel rows above 1 thread run on the worker pool (started in the warm-up); the pre-state is serialised for the workers once, outside the timer, and kept by them across runs, as a node's workers keep their database open. 1 thread is the single-thread Block-STM.",
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
