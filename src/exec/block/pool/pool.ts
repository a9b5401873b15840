// A long-lived pool of Block-STM worker threads: started once, reused for every block, `terminate()`d
// at shutdown (workers are unref'd, so a forgotten pool does not keep the process alive). `run` is
// synchronous like the rest of the executor: it posts the block to every worker, then the main thread
// sleeps on a shared counter (Atomics.wait) until all have finished and reads their replies with
// receiveMessageOnPort, so no event-loop turn is needed.
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import type { BlockEnv } from "../../../evm/host.js";
import { InvalidTransactionError, type InvalidTxReason, type TxInput } from "../../types.js";
import type { BlockStmRun, TxResult } from "../block-stm.js";
import type { BaseSource } from "./base-state.js";
import type { BlockMessage, ResultMessage, WireResult } from "./messages.js";
import { Ctl, controlBytes } from "./shared-scheduler.js";
import { stopWorker } from "./stop-worker.js";
import { decodeOutcomes, encodeTxs } from "./wire.js";

export interface BlockStmPoolOptions {
  /** Op-log capacity in bytes (default 64 MiB; a SharedArrayBuffer's pages are only touched as used). */
  logBytes?: number;
  /** How long `run` waits for the workers before giving up (default 2 minutes). */
  timeoutMs?: number;
}

interface PoolWorker {
  worker: Worker;
  port: MessagePort;
}

function fromWire(wire: WireResult): TxResult {
  if ("thrown" in wire) {
    const error = new Error(wire.thrown.message);
    error.name = wire.thrown.name;
    if (wire.thrown.stack !== undefined) error.stack = wire.thrown.stack;
    return { thrown: error };
  }
  if (!wire.valid) {
    const error = new InvalidTransactionError(wire.reason as InvalidTxReason, "");
    error.message = wire.message;
    return { outcome: { valid: false, error } };
  }
  return { outcome: wire };
}

export class BlockStmPool {
  private readonly workers: PoolWorker[] = [];
  private readonly log: SharedArrayBuffer;
  private readonly timeoutMs: number;
  private nextId = 1;
  private terminated = false;

  constructor(
    readonly threads: number,
    options: BlockStmPoolOptions = {},
  ) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`BlockStmPool: ${threads} threads`);
    this.log = new SharedArrayBuffer(options.logBytes ?? 64 * 1024 * 1024);
    this.timeoutMs = options.timeoutMs ?? 120_000;
    for (let i = 0; i < threads; i++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(new URL("./worker.js", import.meta.url), {
        workerData: { port: port2 },
        transferList: [port2],
      });
      worker.unref();
      port1.unref();
      this.workers.push({ worker, port: port1 });
    }
  }

  /**
   * Runs Block-STM on the pool; undefined when the op log overflowed (the caller falls back).
   * `blockHash` answers BLOCKHASH for the block's window, which workers cannot call back for.
   */
  run(
    txs: readonly TxInput[],
    block: BlockEnv,
    base: BaseSource,
    blockHash: (n: bigint) => bigint,
  ): BlockStmRun | undefined {
    if (this.terminated) throw new Error("BlockStmPool: terminated");
    const n = txs.length;
    const id = this.nextId++;
    const control = new SharedArrayBuffer(controlBytes(n));
    const ctl = new Int32Array(control);
    const firstHashed = block.number > 256n ? block.number - 256n : 0n;
    const blockHashes: bigint[] = [];
    for (let k = firstHashed; k < block.number; k++) blockHashes.push(blockHash(k));
    const msg: BlockMessage = {
      id,
      txs: encodeTxs(txs),
      block,
      base,
      firstHashed,
      blockHashes,
      control,
      log: this.log,
    };
    for (const w of this.workers) w.worker.postMessage(msg);

    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const finished = Atomics.load(ctl, Ctl.FINISHED);
      if (finished >= this.threads) break;
      if (Date.now() > deadline) throw new Error(`BlockStmPool: block ${id} unfinished after ${this.timeoutMs} ms`);
      Atomics.wait(ctl, Ctl.FINISHED, finished, 1000);
    }

    const best: ({ incarnation: number; result: TxResult } | undefined)[] = new Array(n);
    let executions = 0;
    let failure: string | undefined;
    let logFull = false;
    for (const w of this.workers) {
      let reply: ResultMessage | undefined;
      // Skips a reply left over from an earlier block that failed.
      do reply = receiveMessageOnPort(w.port)?.message as ResultMessage | undefined;
      while (reply !== undefined && reply.id !== id);
      if (reply === undefined) throw new Error(`BlockStmPool: no reply for block ${id}`);
      if ("failure" in reply) {
        logFull ||= reply.logFull;
        if (!reply.failure.startsWith("stopped by another worker")) failure ??= reply.failure;
        continue;
      }
      executions += reply.executions;
      // The committed result is the last recorded incarnation's, whichever worker ran it.
      decodeOutcomes(reply.outcomes, reply.count, (txIndex, incarnation, outcome) => {
        const held = best[txIndex];
        if (held === undefined || held.incarnation < incarnation) best[txIndex] = { incarnation, result: { outcome } };
      });
      for (const [txIndex, incarnation, wire] of reply.results) {
        const held = best[txIndex];
        if (held === undefined || held.incarnation < incarnation)
          best[txIndex] = { incarnation, result: fromWire(wire) };
      }
    }
    if (logFull) return undefined;
    if (failure !== undefined) throw new Error(`BlockStmPool: a worker failed: ${failure}`);
    const results: TxResult[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const held = best[i];
      if (held === undefined) throw new Error(`Block-STM finished with transaction ${i} not executed`);
      results[i] = held.result;
    }
    return { results, executions };
  }

  async terminate(): Promise<void> {
    if (this.terminated) return;
    this.terminated = true;
    await Promise.all(
      this.workers.map(async (w) => {
        w.port.close();
        await stopWorker(w.worker);
      }),
    );
  }
}

const shared = new Map<number, BlockStmPool>();

/** The process-wide pool with `threads` workers, started on first use. */
export function sharedPool(threads: number): BlockStmPool {
  let pool = shared.get(threads);
  if (pool === undefined) shared.set(threads, (pool = new BlockStmPool(threads)));
  return pool;
}

/** Shuts down every pool `sharedPool` started (tests' `after` hooks, node shutdown). */
export async function terminateSharedPools(): Promise<void> {
  const pools = [...shared.values()];
  shared.clear();
  await Promise.all(pools.map((p) => p.terminate()));
}
