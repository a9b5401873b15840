// The sequential EVM benchmark: per workload, N transactions executed one after another on one
// thread against an in-memory state, each one's writes applied before the next.
import { compileBenchContracts, prepareWorkload, WORKLOADS, type Workload } from "./workloads.js";

export const EVM_BENCH_SCOPE =
  "execution + state writes to an in-memory map; no signature recovery, no state root, no disk";

export interface EvmBenchResult {
  workload: string;
  description: string;
  txs: number;
  gas: bigint;
  seconds: number;
}

export interface EvmBenchOptions {
  /** Timed transactions per workload. */
  iterations: number;
  /** Untimed transactions run first on the same chain, so the JIT has compiled the hot paths. */
  warmup: number;
  workloads?: readonly Workload[];
  onCompile?: () => void;
}

export async function runEvmBench(options: EvmBenchOptions): Promise<EvmBenchResult[]> {
  const contracts = await compileBenchContracts(options.onCompile);
  const results: EvmBenchResult[] = [];
  for (const workload of options.workloads ?? WORKLOADS) {
    const { chain, txs } = await prepareWorkload(workload, contracts, options.warmup + options.iterations);
    for (let i = 0; i < options.warmup; i++) chain.execute(txs[i]!);
    let gas = 0n;
    const start = process.hrtime.bigint();
    for (let i = options.warmup; i < txs.length; i++) gas += chain.execute(txs[i]!).gasUsed;
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    results.push({ workload: workload.name, description: workload.description, txs: options.iterations, gas, seconds });
  }
  return results;
}

export function usPerTx(r: EvmBenchResult): number {
  return (r.seconds * 1e6) / r.txs;
}

export function txPerSecond(r: EvmBenchResult): number {
  return r.txs / r.seconds;
}

export function mgasPerSecond(r: EvmBenchResult): number {
  return Number(r.gas) / 1e6 / r.seconds;
}

/** One JSON object per workload (numbers rounded for reading; gas exact as a decimal string). */
export function resultJson(r: EvmBenchResult): string {
  return JSON.stringify({
    bench: "evm",
    workload: r.workload,
    txs: r.txs,
    gas: r.gas.toString(),
    gasPerTx: Math.round(Number(r.gas) / r.txs),
    seconds: round(r.seconds, 4),
    usPerTx: round(usPerTx(r), 2),
    txPerSec: round(txPerSecond(r), 1),
    mgasPerSec: round(mgasPerSecond(r), 2),
    scope: EVM_BENCH_SCOPE,
  });
}

/** A fixed-width table, one row per workload, and the line saying what was measured. */
export function resultTable(results: EvmBenchResult[]): string {
  const header = ["workload", "txs", "gas/tx", "µs/tx", "tx/s", "Mgas/s"];
  const rows = results.map((r) => [
    r.workload,
    String(r.txs),
    String(Math.round(Number(r.gas) / r.txs)),
    usPerTx(r).toFixed(1),
    txPerSecond(r).toFixed(0),
    mgasPerSecond(r).toFixed(2),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  // The first column reads left-aligned, the numbers right-aligned.
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ");
  return [line(header), ...rows.map(line), "", `Measured: ${EVM_BENCH_SCOPE}.`].join("\n");
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
