// Measurement, not a test: time per block of N independent ERC-20 transfers (src/bench's workload),
// sequential against Block-STM with 1 thread (virtual worker) and on the pool with 2 threads (and
// more if given). Usage, after `npm run build`:
//   node dist/src/exec/block/pool/measure.js [txs=1000] [blocks=10] [threads=2,...]
import { compileBenchContracts, erc20Transfer, prepareWorkload } from "../../../bench/workloads.js";
import { executeBlock } from "../execute-block.js";
import type { BlockResult, ExecuteBlockOptions } from "../types.js";
import { snapshotState } from "./base-state.js";
import { BlockStmPool } from "./pool.js";

const count = Number(process.argv[2] ?? 1000);
const blocks = Number(process.argv[3] ?? 10);
const threadCounts = (process.argv[4] ?? "2").split(",").map(Number);

const contracts = await compileBenchContracts();
const { chain, txs } = await prepareWorkload(erc20Transfer, contracts, count);
const { state } = chain;
// 30M gas holds about 580 transfers; a larger block keeps N free.
const block = { ...chain.block, gasLimit: 1_000_000_000n };

function time(label: string, options: ExecuteBlockOptions, reference?: BlockResult): number {
  executeBlock(txs, block, state, options); // warm-up (JIT, worker caches)
  const samples: number[] = [];
  let result: BlockResult | undefined;
  for (let i = 0; i < blocks; i++) {
    const start = performance.now();
    result = executeBlock(txs, block, state, options);
    samples.push(performance.now() - start);
  }
  if (!result?.valid) throw new Error(`${label}: block invalid`);
  if (reference?.valid && reference.gasUsed !== result.gasUsed) throw new Error(`${label}: gas differs`);
  samples.sort((a, b) => a - b);
  const median = samples[samples.length >> 1]!;
  console.log(
    `${label.padEnd(44)} ${median.toFixed(1).padStart(8)} ms/block  (min ${samples[0]!.toFixed(1)}, reexecutions ${result.reexecutions})`,
  );
  return median;
}

console.log(`${count} ERC-20 transfers per block, ${blocks} blocks each, median`);
const reference = executeBlock(txs, block, state, { mode: "sequential" });
const sequential = time("sequential", { mode: "sequential" }, reference);
const one = time("Block-STM, 1 thread (virtual worker)", { mode: "parallel", workers: 1 }, reference);
console.log(`  speedup ${(sequential / one).toFixed(2)}x`);
const base = snapshotState(state);
for (const threads of threadCounts) {
  const pool = new BlockStmPool(threads);
  const withSnapshot = time(`pool, ${threads} threads, snapshot per block`, { mode: "parallel", pool }, reference);
  console.log(`  speedup ${(sequential / withSnapshot).toFixed(2)}x`);
  const reused = time(`pool, ${threads} threads, snapshot reused`, { mode: "parallel", pool, base }, reference);
  console.log(`  speedup ${(sequential / reused).toFixed(2)}x`);
  await pool.terminate();
}
