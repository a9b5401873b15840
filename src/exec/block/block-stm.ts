// Block-STM (Gelashvili et al., "Block-STM: Scaling Blockchain Execution by Turning Ordering Curse to
// a Performance Blessing"; RISE's pevm for the EVM specifics): transactions run optimistically against
// a multi-version memory, each read recorded with the version it saw; a validation re-reads the read
// set, and a transaction whose reads changed is aborted (its writes become ESTIMATEs) and re-executed.
// Transactions commit in order once final (scheduler.ts); the committed result equals sequential
// execution.
//
// EVM specifics: the coinbase fee is deferred (processTransaction's `deferCoinbaseFee`) and kept as a
// delta at the coinbase's account location; only a transaction that reads the coinbase folds the
// deltas below it, so only it depends on every earlier fee. Storage clears (creation, deletion) are
// their own location, so a slot read depends on the slot and on the account's latest clear only.
//
// The pieces: mv-memory.ts (shared versions), scheduler.ts (shared tasks, validation at commit),
// block-stm-worker.ts (the one worker loop), committer.ts (main thread: receipts and writes).
// This file runs them in ONE thread with virtual workers, a seeded PRNG picking which one steps next,
// so tests exercise the algorithm under many interleavings deterministically; pool/ runs the same
// worker on threads.
import type { BlockEnv, Host } from "../../evm/host.js";
import type { TxInput } from "../types.js";
import { BlockStmWorker } from "./block-stm-worker.js";
import { createMVBuffers, MemoryFull, type MVCapacity, MVMemory, resetMVBuffers } from "./mv-memory.js";
import { prng } from "./prng.js";
import { controlInts, Scheduler } from "./scheduler.js";

export interface BlockStmOptions {
  /** Virtual workers interleaved in this thread (default 1). */
  workers?: number;
  /** Seed of the schedule (default 0). */
  seed?: number;
}

/** A finished run: every transaction committed; results are read from `memory`. */
export interface BlockStmRun {
  memory: MVMemory;
  scheduler: Scheduler;
}

/** Room for one block of `size` transactions in one thread (reserved, touched as used). */
function capacityFor(size: number): MVCapacity {
  const m = Math.max(size, 64);
  let tableEntries = 4096;
  while (tableEntries < 32 * m) tableEntries *= 2;
  return { tableEntries, records: 48 * m, nodes: 512 * m, valueWords: 4096 * m, setInts: 4096 * m, txs: size };
}

/** Runs the block to its last commit; undefined where the memory ran out of room. */
export function runBlockStm(
  txs: readonly TxInput[],
  block: BlockEnv,
  base: Host,
  options: BlockStmOptions = {},
): BlockStmRun | undefined {
  const n = txs.length;
  const workerCount = Math.max(1, options.workers ?? 1);
  const random = prng(options.seed ?? 0);
  const buffers = createMVBuffers(capacityFor(n));
  resetMVBuffers(buffers, n);
  const scheduler = new Scheduler(new Int32Array(new SharedArrayBuffer(4 * controlInts(n))), n);
  const view = (): MVMemory => {
    const memory = new MVMemory(buffers);
    memory.startBlock(base, block.coinbase);
    return memory;
  };
  const table = { length: n, get: (i: number) => txs[i]! };
  const workers = Array.from({ length: workerCount }, () => new BlockStmWorker(view(), scheduler, table, block, false));
  // Block-STM does at most O(n^2) incarnations; far beyond that means a bug, not bad luck.
  const maxSteps = 1000 + 64 * (n + 1) * (n + 1) * workerCount;
  let steps = 0;
  try {
    while (!scheduler.done()) {
      workers[workerCount === 1 ? 0 : random.int(workerCount)]!.step();
      if (++steps > maxSteps) throw new Error(`Block-STM made no progress after ${steps} steps`);
    }
    for (const worker of workers) worker.flushCounts();
  } catch (error) {
    if (error instanceof MemoryFull) return undefined;
    throw error;
  }
  if (scheduler.committed() !== n) {
    throw new Error(`Block-STM finished with transaction ${scheduler.committed()} not committed`);
  }
  return { memory: view(), scheduler };
}
