// A long-lived pool of worker threads that decode raw transactions and recover their senders, so
// the secp256k1 work of a burst of eth_sendRawTransaction calls runs beside the main thread instead
// of on it. Batches go in as one packed buffer per worker and come back as compact binary results
// (recover-wire.ts). Workers are unref'd while idle, so a forgotten pool does not keep the process
// alive; `terminate()` asks them to exit at a safe point (stop-worker.ts).
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { DecodeOptions } from "../chain/transaction.js";
import { stopWorker } from "../threads/stop-worker.js";
import { packRaws, type Recovered, readResults } from "./recover-wire.js";

export interface RecoverRequest {
  id: number;
  chainId?: bigint;
  /** packRaws layout; transferred. */
  input: ArrayBuffer;
}

export type RecoverReply = { id: number; output: ArrayBuffer; length: number } | { id: number; failure: string };

export interface RecoverPoolOptions {
  /** The fewest transactions worth sending to one worker (default 16): a small batch is not split further. */
  minChunk?: number;
}

interface Waiting {
  resolve: (bytes: Uint8Array) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  waiting: Map<number, Waiting>;
}

/** Worker threads the pool uses by default: one core is left to the main thread. */
export function defaultRecoverThreads(): number {
  return Math.max(1, Math.min(8, availableParallelism() - 1));
}

export class RecoverPool {
  private readonly workers: PoolWorker[] = [];
  private readonly minChunk: number;
  private nextId = 1;
  private cursor = 0;
  private terminated = false;

  constructor(
    readonly threads: number = defaultRecoverThreads(),
    options: RecoverPoolOptions = {},
  ) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`RecoverPool: ${threads} threads`);
    this.minChunk = Math.max(1, options.minChunk ?? 16);
    for (let i = 0; i < threads; i++) this.workers.push(this.start());
  }

  private start(): PoolWorker {
    const worker = new Worker(new URL("./recover-worker.js", import.meta.url));
    worker.unref();
    const w: PoolWorker = { worker, waiting: new Map() };
    worker.on("message", (reply: RecoverReply) => {
      const waiting = w.waiting.get(reply.id);
      if (waiting === undefined) return;
      w.waiting.delete(reply.id);
      if (w.waiting.size === 0) worker.unref();
      if ("failure" in reply) waiting.reject(new Error(`RecoverPool: a worker failed: ${reply.failure}`));
      else waiting.resolve(new Uint8Array(reply.output, 0, reply.length));
    });
    // A worker that dies fails what it held and is replaced, so the pool keeps its size.
    const died = (error: Error) => {
      const index = this.workers.indexOf(w);
      if (index < 0) return;
      for (const waiting of w.waiting.values()) waiting.reject(error);
      w.waiting.clear();
      if (!this.terminated) this.workers[index] = this.start();
    };
    worker.on("error", (e) => died(new Error(`RecoverPool: a worker crashed: ${e.message}`)));
    worker.on("exit", (code) => died(new Error(`RecoverPool: a worker exited with code ${code}`)));
    return w;
  }

  /**
   * Decodes and recovers every raw transaction, split over the workers; results are in input order,
   * each a SignedTransaction (its `raw` is the caller's array) or the decoder's failure.
   */
  async recover(raws: readonly Uint8Array[], opts: DecodeOptions = {}): Promise<Recovered[]> {
    if (this.terminated) throw new Error("RecoverPool: terminated");
    if (raws.length === 0) return [];
    const chunks = Math.min(this.threads, Math.ceil(raws.length / this.minChunk));
    const size = Math.ceil(raws.length / chunks);
    const parts: Promise<Recovered[]>[] = [];
    for (let start = 0; start < raws.length; start += size)
      parts.push(this.send(raws.slice(start, start + size), opts));
    return (await Promise.all(parts)).flat();
  }

  private send(raws: Uint8Array[], opts: DecodeOptions): Promise<Recovered[]> {
    const w = this.pick();
    const id = this.nextId++;
    const input = packRaws(raws);
    return new Promise((resolve, reject) => {
      w.waiting.set(id, {
        resolve: (bytes) => {
          try {
            resolve(readResults(bytes, raws));
          } catch (e) {
            reject(e);
          }
        },
        reject,
      });
      if (w.waiting.size === 1) w.worker.ref();
      const request: RecoverRequest = { id, input };
      if (opts.chainId !== undefined) request.chainId = opts.chainId;
      w.worker.postMessage(request, [input]);
    });
  }

  /** The least busy worker; among equals, the next in turn. */
  private pick(): PoolWorker {
    let best: PoolWorker | undefined;
    for (let k = 0; k < this.workers.length; k++) {
      const w = this.workers[(this.cursor + k) % this.workers.length]!;
      if (best === undefined || w.waiting.size < best.waiting.size) best = w;
    }
    this.cursor = (this.cursor + 1) % this.workers.length;
    return best!;
  }

  async terminate(): Promise<void> {
    if (this.terminated) return;
    this.terminated = true;
    const workers = this.workers.splice(0);
    for (const w of workers) {
      for (const waiting of w.waiting.values()) waiting.reject(new Error("RecoverPool: terminated"));
      w.waiting.clear();
    }
    await Promise.all(workers.map((w) => stopWorker(w.worker)));
  }
}
