// How much CPU-bound work n threads of this machine do at once, against one thread alone. A virtual
// machine whose vCPUs share physical cores (or sit on a busy host) runs two threads at well under full
// speed each; a parallel executor's speedup there is bounded by this figure, not by n, so `bench exec`
// measures it beside the executors and reads their speedups against it.
import { Worker } from "node:worker_threads";

// An integer kernel over a 64 KiB table (L1/L2 resident): the shape of an interpreter's work, with no
// allocation. Each thread warms its JIT, then waits at a shared barrier so that all start together.
const KERNEL = `
const { parentPort, workerData } = require("node:worker_threads");
const flags = new Int32Array(workerData.flags);
const table = new Int32Array(16384);
function kernel(n) {
  let x = 1;
  for (let i = 0; i < n; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; table[x & 16383] += x; }
  return x;
}
kernel(200000);
Atomics.add(flags, 1, 1);
Atomics.notify(flags, 1);
Atomics.wait(flags, 0, 0);
const start = performance.now();
const x = kernel(workerData.iterations);
parentPort.postMessage({ ms: performance.now() - start, x });
`;

/** Iterations per thread: about 50 ms of one thread of this machine alone. */
const ITERATIONS = 20_000_000;

/** Milliseconds each of `threads` threads took for the kernel, all started at once. */
async function concurrentKernel(threads: number): Promise<number[]> {
  const flags = new Int32Array(new SharedArrayBuffer(8));
  const workers = Array.from(
    { length: threads },
    // execArgv: [] keeps the eval a CommonJS script whatever flags this process runs under.
    () => new Worker(KERNEL, { eval: true, execArgv: [], workerData: { flags: flags.buffer, iterations: ITERATIONS } }),
  );
  try {
    const times = workers.map(
      (w) =>
        new Promise<number>((resolve, reject) => {
          w.once("message", (m: { ms: number }) => resolve(m.ms));
          w.once("error", reject);
        }),
    );
    while (Atomics.load(flags, 1) < threads) await new Promise((r) => setTimeout(r, 2));
    Atomics.store(flags, 0, 1);
    Atomics.notify(flags, 0);
    return await Promise.all(times);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * The machine's parallel capacity for `threads` threads: the work they do at once in units of one
 * thread alone (the sum over threads of solo time / own time). `threads` on a machine with that many
 * free cores; about 1.2 for 2 threads on a 2-vCPU VM whose vCPUs share a core. Median of `rounds`,
 * solo and concurrent runs alternated, at most `threads`.
 */
export async function parallelCapacity(threads: number, rounds = 3): Promise<number> {
  if (threads <= 1) return 1;
  const capacities: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const [solo] = await concurrentKernel(1);
    const together = await concurrentKernel(threads);
    capacities.push(together.reduce((sum, ms) => sum + solo! / ms, 0));
  }
  capacities.sort((a, b) => a - b);
  // Above `threads` is noise (the solo run slowed by other load, not the threads run faster).
  return Math.min(threads, capacities[capacities.length >> 1]!);
}
