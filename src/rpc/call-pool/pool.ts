// The call worker pool: the methods that run EVM code for a caller (methods.ts) are served by a few
// worker threads instead of the main thread, so one long call never holds up block production, sends
// or any other request. Each request carries a pin (the head the main thread had when it arrived);
// each has a wall-clock limit counted from its arrival, past which it is answered with geth's timeout
// error and the worker stops executing it (a shared interrupt word the EVM checks at jumps and calls).
import { Worker } from "node:worker_threads";
import { stopWorker } from "../../threads/stop-worker.js";
import { nextTimestamp } from "../block-ref.js";
import type { RpcContext } from "../context.js";
import { INTERNAL_ERROR, RpcError } from "../errors.js";
import type { CallInfo, MethodTable } from "../handler.js";
import { RequestCancelled } from "../work-slicer.js";
import { closingError, revertedError, timeoutError } from "./aborted.js";
import { type CallPin, type CallReply, type CallRequest, type CallWorkerData, WORKER_READY } from "./messages.js";
import { CALL_METHODS } from "./methods.js";
import { requestedTimeoutMs, requestTimeoutMs } from "./timeout.js";

export interface CallPoolOptions {
  /** The chain's LMDB environment (Chain's LmdbState path). */
  lmdbPath: string;
  chainId: bigint;
  /** Worker threads, at least 1. */
  workers: number;
  /** Wall-clock limit of one request in milliseconds, from its arrival; 0: none. A trace may name its own (timeout.ts). */
  timeoutMs: number;
  /** How long an interrupted worker may take to stop before it is replaced by a new one (default 2 s). */
  stopGraceMs?: number;
  /**
   * Where the lines of Solidity console.log calls made by eth_call / eth_estimateGas go, with the
   * method's name; without it the workers do not collect them (no tracer, no cost).
   */
  onConsoleLines?: (lines: string[], method: string) => void;
}

/** Counters for weft_metrics. */
export interface CallPoolMetrics {
  callsOnWorkers: number;
  /** Refused because the chain was reverted under them again and again (see MAX_REPINS). */
  callsRefusedStale: number;
  callsTimedOut: number;
  callsCancelled: number;
}

/** Times a request is pinned again when a revert raced it, before it is refused. */
const MAX_REPINS = 3;

interface Job {
  id: number;
  method: string;
  params: readonly unknown[];
  ctx: RpcContext;
  pin: CallPin;
  repins: number;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
  settled: boolean;
  timer: NodeJS.Timeout | undefined;
  worker: CallWorker | undefined;
  stopListening: (() => void) | undefined;
}

interface CallWorker {
  worker: Worker;
  /** The interrupt word: set to 1 to stop the running job. */
  flag: Int32Array;
  job: Job | undefined;
  /** Armed once the running job is interrupted: replaces the worker if it does not stop in time. */
  stopTimer: NodeJS.Timeout | undefined;
  /** The worker has loaded and opened the database (until then a job waits in its port). */
  ready: boolean;
  /** Resolves once `ready`. */
  started: Promise<void>;
  onReady: () => void;
  retired: boolean;
}

export class CallPool {
  private readonly workers: CallWorker[] = [];
  private readonly queue: Job[] = [];
  private readonly stopGraceMs: number;
  private nextId = 1;
  private closed = false;
  readonly metrics: CallPoolMetrics = { callsOnWorkers: 0, callsRefusedStale: 0, callsTimedOut: 0, callsCancelled: 0 };

  constructor(private readonly options: CallPoolOptions) {
    if (!Number.isInteger(options.workers) || options.workers < 1) {
      throw new RangeError(`CallPool: ${options.workers} workers`);
    }
    if (!Number.isInteger(options.timeoutMs) || options.timeoutMs < 0) {
      throw new RangeError(`CallPool: timeout ${options.timeoutMs} ms`);
    }
    this.stopGraceMs = options.stopGraceMs ?? 2000;
    for (let i = 0; i < options.workers; i++) this.workers.push(this.start());
  }

  /** `methods` with every call method it has served by this pool. */
  wrap(methods: MethodTable): MethodTable {
    const wrapped: Record<string, MethodTable[string]> = { ...methods };
    for (const name of Object.keys(CALL_METHODS)) {
      if (Object.hasOwn(methods, name)) wrapped[name] = (params, ctx, call) => this.run(name, params, ctx, call);
    }
    return wrapped;
  }

  /** Runs call method `method` on a worker; resolves to its result or rejects with its RpcError. */
  run(method: string, params: readonly unknown[], ctx: RpcContext, call: CallInfo = {}): Promise<unknown> {
    if (this.closed) return Promise.reject(closingError());
    return new Promise((resolve, reject) => {
      const job: Job = {
        id: this.nextId++,
        method,
        params,
        ctx,
        pin: pinOf(ctx),
        repins: 0,
        resolve,
        reject,
        settled: false,
        timer: undefined,
        worker: undefined,
        stopListening: undefined,
      };
      const timeoutMs = requestTimeoutMs(this.options.timeoutMs, requestedTimeoutMs(method, params));
      if (timeoutMs > 0) {
        job.timer = setTimeout(() => {
          this.metrics.callsTimedOut++;
          this.abort(job, timeoutError(timeoutMs));
        }, timeoutMs);
      }
      const signal = call.signal;
      if (signal !== undefined) {
        const onAbort = () => {
          this.metrics.callsCancelled++;
          this.abort(job, new RequestCancelled());
        };
        if (signal.aborted) return onAbort();
        signal.addEventListener("abort", onAbort, { once: true });
        job.stopListening = () => signal.removeEventListener("abort", onAbort);
      }
      this.queue.push(job);
      this.pump();
    });
  }

  /** Resolves once every worker has started (a call before then waits for its worker, within its time limit). */
  async ready(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.started));
  }

  /** Stops the workers (each after its running call, which is interrupted); queued calls are refused. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.queue.splice(0)) this.settle(job, closingError());
    const workers = this.workers.splice(0);
    for (const w of workers) {
      w.retired = true;
      if (w.job !== undefined) {
        Atomics.store(w.flag, 0, 1);
        this.settle(w.job, closingError());
      }
      clearTimeout(w.stopTimer);
    }
    await Promise.all(workers.map((w) => stopWorker(w.worker, this.stopGraceMs)));
  }

  private start(): CallWorker {
    const interrupt = new SharedArrayBuffer(4);
    const data: CallWorkerData = {
      lmdbPath: this.options.lmdbPath,
      chainId: this.options.chainId,
      interrupt,
      consoleLog: this.options.onConsoleLines !== undefined,
    };
    const worker = new Worker(new URL("./worker.js", import.meta.url), { workerData: data });
    worker.unref();
    let onReady = () => {};
    const started = new Promise<void>((resolve) => {
      onReady = resolve;
    });
    const w: CallWorker = {
      worker,
      flag: new Int32Array(interrupt),
      job: undefined,
      stopTimer: undefined,
      ready: false,
      started,
      onReady,
      retired: false,
    };
    worker.on("message", (reply: CallReply | typeof WORKER_READY) => this.onReply(w, reply));
    const died = (message: string) => {
      if (w.retired) return;
      const job = w.job;
      w.job = undefined;
      if (job !== undefined) this.settle(job, new RpcError(INTERNAL_ERROR, `internal error: ${message}`));
      this.replace(w);
    };
    worker.on("error", (e) => died(`a call worker crashed: ${e.message}`));
    worker.on("exit", (code) => died(`a call worker exited with code ${code}`));
    return w;
  }

  /** Hands queued jobs to idle workers. */
  private pump(): void {
    while (this.queue.length > 0) {
      const w = this.workers.find((candidate) => candidate.job === undefined);
      if (w === undefined) return;
      const job = this.queue.shift()!;
      job.worker = w;
      w.job = job;
      // Cleared only here, before the next job: a flag set for the previous job cannot stop this one.
      Atomics.store(w.flag, 0, 0);
      w.worker.ref();
      const request: CallRequest = { id: job.id, method: job.method, params: job.params, pin: job.pin };
      try {
        w.worker.postMessage(request);
      } catch (error) {
        // Not cloneable (a bug: the pin holds only plain data): fail this request, keep the worker.
        w.job = undefined;
        job.worker = undefined;
        this.settle(job, new RpcError(INTERNAL_ERROR, `internal error: ${(error as Error).message}`));
        continue;
      }
      this.metrics.callsOnWorkers++;
    }
  }

  private onReply(w: CallWorker, reply: CallReply | typeof WORKER_READY): void {
    if (reply === WORKER_READY) {
      w.ready = true;
      w.onReady();
      return;
    }
    const job = w.job;
    if (job === undefined || job.id !== reply.id) return;
    w.job = undefined;
    job.worker = undefined;
    clearTimeout(w.stopTimer);
    w.stopTimer = undefined;
    w.worker.unref();
    if ("console" in reply && reply.console !== undefined) this.options.onConsoleLines?.(reply.console, job.method);
    if ("result" in reply) this.settle(job, undefined, reply.result);
    else if ("error" in reply) this.settle(job, new RpcError(reply.error.code, reply.error.message, reply.error.data));
    else if ("repin" in reply) this.repin(job);
    // An interrupted job was settled when it was interrupted.
    this.pump();
  }

  /**
   * A revert dropped the pinned head before the worker looked: pin to the head now. Reverts racing it
   * every time refuse it: it is never run on the main thread, where no timeout could stop it (the
   * interrupt word is set by another thread) and where any run, even a bounded one, stalls the node.
   */
  private repin(job: Job): void {
    if (job.settled) return;
    if (job.repins < MAX_REPINS) {
      job.repins++;
      job.pin = pinOf(job.ctx);
      this.queue.unshift(job);
      return;
    }
    this.metrics.callsRefusedStale++;
    this.settle(job, revertedError());
  }

  /** Answers `job` with `error` now and stops it wherever it is (queue or worker). */
  private abort(job: Job, error: RpcError): void {
    if (job.settled) return;
    this.settle(job, error);
    const w = job.worker;
    if (w === undefined) {
      const at = this.queue.indexOf(job);
      if (at >= 0) this.queue.splice(at, 1);
      return;
    }
    Atomics.store(w.flag, 0, 1);
    this.armStopTimer(w, job);
  }

  /**
   * A worker that does not notice the interrupt (stuck outside the EVM) is replaced rather than
   * waited for; one still starting up is given the time it needs (it stops at its first jump).
   */
  private armStopTimer(w: CallWorker, job: Job): void {
    w.stopTimer = setTimeout(() => {
      if (w.job !== job) return;
      if (w.ready) this.replace(w);
      else this.armStopTimer(w, job);
    }, this.stopGraceMs);
  }

  private replace(w: CallWorker): void {
    w.retired = true;
    clearTimeout(w.stopTimer);
    const index = this.workers.indexOf(w);
    if (index >= 0) {
      if (this.closed) this.workers.splice(index, 1);
      else this.workers[index] = this.start();
    }
    void stopWorker(w.worker, this.stopGraceMs);
    this.pump();
  }

  private settle(job: Job, error: Error | undefined, result?: unknown): void {
    if (job.settled) return;
    job.settled = true;
    clearTimeout(job.timer);
    job.stopListening?.();
    if (error === undefined) job.resolve(result);
    else job.reject(error);
  }
}

/** What a worker must know of the main thread's chain for this request (see CallPin). */
export function pinOf(ctx: RpcContext): CallPin {
  const head = ctx.chain.head();
  const nextEnv = ctx.chain.nextBlockEnv(nextTimestamp(ctx, head));
  return { headNumber: head.header.number, headHash: head.hash, nextEnv, config: { ...ctx.config } };
}
