// The results of a run: per-target figures, percentiles, the final table (weft, anvil, ratio) with a
// legend that says what each figure includes, and the JSON lines of --json.
import { READ_PAUSE_MS } from "./read-probe.js";

export interface Verification {
  receiptsChecked: number;
  receiptsOk: number;
  probesChecked: number;
  probesOk: number;
  /** The first few failures, readable. */
  failures: string[];
}

export interface TargetResult {
  target: "weft" | "anvil" | "rpc";
  url: string;
  workload: string;
  txs: number;
  accounts: number;
  batch: number;
  connections: number;
  transport: string;
  /** "automine" or "block-time <s>". */
  mining: string;
  /** Transactions the node accepted (txs less rejected). */
  accepted: number;
  rejected: number;
  /** The bench's transactions found in blocks. */
  committed: number;
  /** Seconds from the first send to the last batch's answer. */
  submitSeconds: number;
  /** Seconds from the first send to the arrival of the block holding the last transaction. */
  committedSeconds: number;
  submitTps: number;
  committedTps: number;
  /** Committed transactions over the node's own execution time (weft_metrics' executeMs); null without weft_metrics. */
  executionTps: number | null;
  p50LatencyMs: number;
  p99LatencyMs: number;
  maxLatencyMs: number;
  /** Reads the bench made beside the load (read-probe.ts: eth_getBalance of the latest block, one at a time) and their latency. */
  reads: number;
  readP50Ms: number;
  readP99Ms: number;
  readMaxMs: number;
  /** Peak resident memory of the node process; null when the bench did not start it. */
  peakRssMiB: number | null;
  blocks: number;
  avgTxsPerBlock: number;
  /** evm_mine calls the bench made to an idle automine node with transactions pending (anvil's automine needs them). */
  nudges: number;
  /** CPU seconds the node used during the timed run (all its threads); null when not started by the bench. */
  nodeCpuSeconds: number | null;
  /** CPU seconds the bench itself used during the timed run. */
  benchCpuSeconds: number;
  /** weft_metrics after minus before; null where the node has no such method. */
  metrics: Record<string, number> | null;
  verification: Verification;
  headNumber: number;
  stateRoot: string;
}

/** The p-th percentile (0-100) by nearest rank of ascending `sorted`; NaN when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** The finite values of `values`, ascending. */
export function sortedFinite(values: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) out.push(values[i]!);
  return Float64Array.from(out).sort();
}

interface Row {
  label: string;
  value(r: TargetResult): number | null;
  format(v: number): string;
}

const int = (v: number) => Math.round(v).toLocaleString("en-US");
const ms = (v: number) => (v < 10 ? v.toFixed(1) : int(v));

export const TABLE_ROWS: readonly Row[] = [
  { label: "submit tx/s", value: (r) => r.submitTps, format: int },
  { label: "execution tx/s", value: (r) => r.executionTps, format: int },
  { label: "committed tx/s", value: (r) => r.committedTps, format: int },
  { label: "p50 latency ms", value: (r) => r.p50LatencyMs, format: ms },
  { label: "p99 latency ms", value: (r) => r.p99LatencyMs, format: ms },
  { label: "read p50 ms", value: (r) => r.readP50Ms, format: ms },
  { label: "read p99 ms", value: (r) => r.readP99Ms, format: ms },
  { label: "read max ms", value: (r) => r.readMaxMs, format: ms },
  { label: "peak RSS MiB", value: (r) => r.peakRssMiB, format: int },
  { label: "blocks", value: (r) => r.blocks, format: int },
  { label: "avg txs/block", value: (r) => r.avgTxsPerBlock, format: (v) => v.toFixed(1) },
  { label: "evm_mine nudges", value: (r) => r.nudges, format: int },
  { label: "node CPU s", value: (r) => r.nodeCpuSeconds, format: (v) => v.toFixed(1) },
  {
    label: "node CPU µs/tx",
    value: (r) => (r.nodeCpuSeconds === null || r.committed === 0 ? null : (r.nodeCpuSeconds * 1e6) / r.committed),
    format: int,
  },
  { label: "bench CPU s", value: (r) => r.benchCpuSeconds, format: (v) => v.toFixed(1) },
];

function cell(v: number | null, format: (v: number) => string): string {
  return v === null || !Number.isFinite(v) ? "n/a" : format(v);
}

/** weft / anvil for one figure; null when either side is missing or zero. */
export function ratio(a: number | null, b: number | null): number | null {
  if (a === null || b === null || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return null;
  return a / b;
}

/** The result table: a column per target, and weft/anvil when there are both. */
export function resultTable(results: readonly TargetResult[]): string {
  const headers = ["", ...results.map((r) => r.target)];
  const both = results.length === 2;
  if (both) headers.push(`${results[0]!.target}/${results[1]!.target}`);
  const lines: string[][] = [headers];
  for (const row of TABLE_ROWS) {
    const values = results.map((r) => row.value(r));
    const cells = [row.label, ...values.map((v) => cell(v, row.format))];
    if (both) cells.push(cell(ratio(values[0]!, values[1]!), (v) => `${v.toFixed(2)}x`));
    lines.push(cells);
  }
  const widths = headers.map((_, c) => Math.max(...lines.map((l) => l[c]!.length)));
  return lines
    .map((l) => l.map((s, c) => (c === 0 ? s.padEnd(widths[c]!) : s.padStart(widths[c]!))).join("  "))
    .join("\n");
}

/** What the figures include and how they were taken: printed under the table. */
export function legend(results: readonly TargetResult[], cores: number): string {
  const first = results[0]!;
  const lines = [
    `workload ${first.workload}: ${first.txs.toLocaleString("en-US")} txs from ${first.accounts.toLocaleString("en-US")} senders, ` +
      `batches of ${first.batch} over ${first.connections} ${first.transport} connection(s), ${first.mining}`,
    "included: signature recovery by the node: yes; state root: yes; " +
      "disk: weft yes (LMDB, durable per block), anvil no (in memory); pre-signing and funding: not timed",
    "submit = txs / (last batch answered - first send); committed = txs / (arrival of the block with the last tx - first send); " +
      "execution = txs / weft_metrics executeMs (block execution only); latency = newHeads arrival - batch send, per tx; " +
      `read = one eth_getBalance (latest) at a time on its own connection during the run, ${READ_PAUSE_MS} ms apart: how long reads wait under load`,
    `client and node(s) run on the same machine (${cores} cores): the bench's own CPU is in "bench CPU s"`,
  ];
  if (results.some((r) => r.target === "weft" && r.mining === "automine")) {
    lines.push(
      "weft answers eth_sendRawTransaction once the transaction is mined (automine), so its submit rate includes mining",
    );
  }
  if (results.some((r) => r.nudges > 0)) {
    lines.push(
      "evm_mine nudges: anvil's automine mines a block per arriving transaction and leaves the rest of a burst " +
        "pending until the next one arrives; once all is sent, the bench calls evm_mine on a node idle for 0.5 s",
    );
  }
  return lines.join("\n");
}

/**
 * weft_metrics' stage counters, in the order a transaction meets them, with their names in the line:
 * ingest (the JSON-RPC dispatcher on the main thread), recover (waiting for the recovery workers),
 * admit (pool checks), execute, root, commit (LMDB, to durable); then the main thread's event loop.
 */
const STAGES: readonly [key: string, name: string][] = [
  ["ingestMs", "ingest"],
  ["recoverMs", "recover (wait)"],
  ["admitMs", "admit"],
  ["executeMs", "execute"],
  ["stateRootMs", "state root"],
  ["commitMs", "commit"],
  ["mainActiveMs", "main thread busy"],
  ["mainIdleMs", "main thread idle"],
];

/** Where the node's time went, stage by stage, from weft_metrics' counters (others ending in Ms after them). */
export function metricsLine(r: TargetResult): string | undefined {
  const m = r.metrics;
  if (m === null) return undefined;
  const named = new Set(STAGES.map(([key]) => key));
  const parts = [
    ...STAGES.filter(([key]) => m[key] !== undefined).map(([key, name]) => `${name} ${int(m[key]!)} ms`),
    ...Object.entries(m)
      .filter(([k]) => k.endsWith("Ms") && !named.has(k))
      .map(([k, v]) => `${k.slice(0, -2)} ${int(v)} ms`),
  ];
  if (parts.length === 0) return undefined;
  const prepared = m.preparedBlocks ?? 0;
  const dropped = m.preparedDropped ?? 0;
  // With mining off, evm_mine finds the next block executed ahead (Chain.prepareMining) or mines it afresh.
  const ahead =
    prepared + dropped > 0
      ? `; blocks executed ahead of their evm_mine: ${int(prepared)} taken, ${int(dropped)} dropped`
      : "";
  return `${r.target} node time (weft_metrics, during the run): ${parts.join(", ")} of ${int(r.committedSeconds * 1000)} ms wall${ahead}`;
}

function round(v: number | null, digits: number): number | null {
  if (v === null || !Number.isFinite(v)) return null;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** One JSON line per target. */
export function resultJson(r: TargetResult): string {
  return JSON.stringify({
    ...r,
    submitSeconds: round(r.submitSeconds, 3),
    committedSeconds: round(r.committedSeconds, 3),
    submitTps: round(r.submitTps, 1),
    committedTps: round(r.committedTps, 1),
    executionTps: round(r.executionTps, 1),
    p50LatencyMs: round(r.p50LatencyMs, 1),
    p99LatencyMs: round(r.p99LatencyMs, 1),
    maxLatencyMs: round(r.maxLatencyMs, 1),
    readP50Ms: round(r.readP50Ms, 1),
    readP99Ms: round(r.readP99Ms, 1),
    readMaxMs: round(r.readMaxMs, 1),
    peakRssMiB: round(r.peakRssMiB, 1),
    avgTxsPerBlock: round(r.avgTxsPerBlock, 1),
    nodeCpuSeconds: round(r.nodeCpuSeconds, 2),
    benchCpuSeconds: round(r.benchCpuSeconds, 2),
  });
}

/** The ratio line of --json: weft/anvil for every figure of the table. */
export function ratioJson(a: TargetResult, b: TargetResult, stateRootsEqual: boolean): string {
  const out: Record<string, unknown> = { ratio: `${a.target}/${b.target}` };
  const keys = [
    "submitTps",
    "executionTps",
    "committedTps",
    "p50LatencyMs",
    "p99LatencyMs",
    "readP99Ms",
    "peakRssMiB",
    "blocks",
    "avgTxsPerBlock",
    "nodeCpuSeconds",
  ] as const;
  for (const k of keys) out[k] = round(ratio(a[k], b[k]), 3);
  out.stateRootsEqual = stateRootsEqual;
  return JSON.stringify(out);
}
