// Block-STM (Gelashvili et al., "Block-STM: Scaling Blockchain Execution by Turning Ordering Curse to
// a Performance Blessing"; RISE's pevm for the EVM specifics): transactions run optimistically against
// a multi-version memory, each read recorded with the version it saw; a validation re-reads the read
// set, and a transaction whose reads changed is aborted (its writes become ESTIMATEs) and re-executed.
// The committed result equals sequential execution.
//
// Here it runs in ONE thread: "virtual workers" each hold a task, and a seeded PRNG picks which one
// steps next, so tests exercise the algorithm under many interleavings deterministically. Execution is
// split in two steps (run the transaction, then publish its writes) so that other workers' steps fall
// between an incarnation's reads and its writes, as they do with real threads.
//
// EVM specifics: the coinbase fee is deferred (processTransaction's `deferCoinbaseFee`) and kept as a
// delta at the coinbase's account location; only a transaction that reads the coinbase folds the
// deltas below it, so only it depends on every earlier fee. Storage clears (creation, deletion) are
// their own location, so a slot read depends on the slot and on the account's latest clear only.
//
// Worker threads: pool/ (executeBlock with `threads` > 1 or `pool`). A long-lived BlockStmPool runs
// this same algorithm on worker_threads:
// - Scheduler: pool/shared-scheduler.ts, these counters and a packed (incarnation, status) word per
//   transaction in a SharedArrayBuffer, advanced with Atomics; per-transaction futex-style locks where
//   the paper locks a status; intrusive dependency lists; idle workers Atomics.wait on a wake counter.
// - MVMemory: pool/op-log.ts. Chosen: every mutation (record, ESTIMATE marking) goes to a shared
//   append-only binary log, and each worker replays it into its own MVMemory replica before each read,
//   validation and append, so reads stay synchronous and local and this file's MVMemory is reused
//   unchanged. Not built or measured: the fixed-layout shared version tables (location ids from a
//   shared hash) and the main-thread-owned MVMemory with broadcast write batches.
// - Base state: pool/base-state.ts, a MemoryState snapshot in a SharedArrayBuffer, sent once per
//   base-state version (`BaseSource`, the seam for LMDB opened read-only per worker); BLOCKHASH's 256
//   hashes travel with the block.
// - Results come back once, after `done`: per transaction the highest recorded incarnation's.
// Measured (1000 ERC-20 transfers, 2 cores): slower than sequential, because every transfer writes
// the token's Account location (storage changes carry the unchanged account in StateWrites), so each
// transfer reads the previous one's version of it and the block serialises. Next: record an account
// version only when nonce, balance, code hash or existence changed. Also not done: a measured
// PARALLEL_MIN_TXS, and pre-execution hints (e.g. a sender's nonce chain) to avoid predictable aborts.
import type { BlockEnv, Host } from "../../evm/host.js";
import { processTransaction } from "../process-transaction.js";
import type { TxInput, TxOutcome } from "../types.js";
import { MVMemory, type Read, ReadBlocked } from "./mv-memory.js";
import { prng } from "./prng.js";
import { Scheduler, type Task, TaskKind, TxStatus } from "./scheduler.js";
import { VersionedHost } from "./versioned-host.js";

const DEFER_FEE = { deferCoinbaseFee: true } as const;

export interface BlockStmOptions {
  /** Virtual workers interleaved in this thread (default 1). */
  workers?: number;
  /** Seed of the schedule (default 0). */
  seed?: number;
}

/** What an incarnation's execution produced: a processTransaction outcome, or what it threw. */
export type TxResult = { outcome: TxOutcome } | { thrown: unknown };

export interface BlockStmRun {
  /** Per transaction, its committed (last, validated) incarnation's result. */
  results: TxResult[];
  /** Incarnations started, aborted ones included. */
  executions: number;
}

/** A worker's held state: a scheduler task, or an executed incarnation waiting to publish. */
type WorkerState =
  | undefined
  | Task
  | { kind: "publish"; txIndex: number; incarnation: number; reads: Read[]; result: TxResult };

export function runBlockStm(
  txs: readonly TxInput[],
  block: BlockEnv,
  base: Host,
  options: BlockStmOptions = {},
): BlockStmRun {
  const n = txs.length;
  const workerCount = Math.max(1, options.workers ?? 1);
  const random = prng(options.seed ?? 0);
  const scheduler = new Scheduler(n);
  const memory = new MVMemory(n, base, block.coinbase);
  const results: (TxResult | undefined)[] = new Array(n);
  const workers: WorkerState[] = new Array(workerCount).fill(undefined);
  let executions = 0;

  const execute = (task: Task): WorkerState => {
    executions++;
    const host = new VersionedHost(memory, task.txIndex);
    let result: TxResult;
    try {
      result = { outcome: processTransaction(txs[task.txIndex]!, block, host, DEFER_FEE) };
    } catch (error) {
      if (!(error instanceof ReadBlocked)) {
        // Possibly an artefact of inconsistent reads: validation decides whether it stands.
        result = { thrown: error };
      } else if (scheduler.addDependency(task.txIndex, error.txIndex)) {
        return undefined;
      } else {
        return task; // the blocker finished meanwhile: run again
      }
    }
    // At its exact size (the host's array has the spare capacity of pushes): a read set lives as long as the block.
    const reads = host.reads.slice();
    return { kind: "publish", txIndex: task.txIndex, incarnation: task.incarnation, reads, result };
  };

  const step = (state: WorkerState): WorkerState => {
    if (state === undefined) return scheduler.nextTask();
    if (state.kind === TaskKind.Execute) return execute(state);
    if (state.kind === "publish") {
      const { txIndex, incarnation, reads, result } = state;
      const outcome = "outcome" in result ? result.outcome : undefined;
      const writes = outcome?.valid ? outcome.writes : new Map();
      const fee = outcome?.valid ? outcome.coinbaseFee : undefined;
      results[txIndex] = result;
      const wroteNew = memory.record(txIndex, incarnation, reads, writes, fee);
      return scheduler.finishExecution(txIndex, incarnation, wroteNew);
    }
    // Validation.
    const valid = memory.validateReadSet(state.txIndex);
    const aborted = !valid && scheduler.tryValidationAbort(state.txIndex, state.incarnation);
    if (aborted) memory.convertWritesToEstimates(state.txIndex);
    return scheduler.finishValidation(state.txIndex, aborted);
  };

  // Block-STM does at most O(n^2) incarnations; far beyond that means a bug, not bad luck.
  const maxSteps = 1000 + 64 * (n + 1) * (n + 1) * workerCount;
  let steps = 0;
  while (!scheduler.done()) {
    const w = workerCount === 1 ? 0 : random.int(workerCount);
    workers[w] = step(workers[w]);
    if (++steps > maxSteps) throw new Error(`Block-STM made no progress after ${steps} steps`);
  }

  for (let i = 0; i < n; i++) {
    if (scheduler.status(i) !== TxStatus.Executed || results[i] === undefined) {
      throw new Error(`Block-STM finished with transaction ${i} not executed`);
    }
  }
  return { results: results as TxResult[], executions };
}
