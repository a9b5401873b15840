// A long-lived pool of Block-STM worker threads: started once, reused for every block, `terminate()`d
// at shutdown (workers are unref'd, so a forgotten pool does not keep the process alive). The pool owns
// one multi-version memory and one scheduler in SharedArrayBuffers, handed to each worker once; a
// block is a small message (its transactions in a shared buffer, the block's values, the base-state
// source), and everything else moves through shared memory. `start` is synchronous like the rest of
// the executor: the main thread then waits on the commit index (Atomics.wait), takes committed
// transactions while the workers go on, and `finish` waits until every worker has left the block.
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import type { BlockEnv, Host } from "../../../evm/host.js";
import { stopWorker } from "../../../threads/stop-worker.js";
import { encodeTxs } from "../../tx-wire.js";
import type { TxInput } from "../../types.js";
import {
  createMVBuffers,
  DEFAULT_CAPACITY,
  type MVBuffers,
  type MVCapacity,
  MVMemory,
  resetMVBuffers,
} from "../mv-memory.js";
import { Ctl, controlInts, ERROR_MEMORY_FULL, Scheduler } from "../scheduler.js";
import { type BaseSource, baseWire } from "./base-state.js";
import type { BlockMessage, FailureMessage, WorkerSetup } from "./messages.js";

export interface BlockStmPoolOptions {
  /** Room in the shared memory (default DEFAULT_CAPACITY; reserved, pages touched only as used). */
  capacity?: MVCapacity;
  /** How long a block may take before `waitCommitted` gives up (default 2 minutes). */
  timeoutMs?: number;
  /** Stress runs: workers pause at random between steps, up to this many microseconds. */
  stressMicros?: number;
}

interface PoolWorker {
  worker: Worker;
  port: MessagePort;
}

/** How a block on the pool ended, once every worker has left it. */
export interface PoolRunEnd {
  /** A worker's error (the others stop); undefined if none failed. */
  failure?: string;
  /** The shared memory ran out of room: the main thread finishes the block another way. */
  memoryFull: boolean;
}

/** One block in progress on the pool, driven by the main thread. */
export class PoolRun {
  private readonly deadline: number;
  private left = false;

  constructor(
    private readonly pool: BlockStmPool,
    readonly id: number,
    readonly scheduler: Scheduler,
    /** The main thread's view, to read committed transactions back. */
    readonly memory: MVMemory,
    timeoutMs: number,
  ) {
    this.deadline = Date.now() + timeoutMs;
  }

  /**
   * The commit index once it passes `after`, or after a millisecond without progress (so the
   * caller can check on the run), or at once when the workers have stopped.
   */
  waitCommitted(after: number): number {
    const a = this.scheduler.a;
    const committed = Atomics.load(a, Ctl.COMMIT_IDX);
    if (committed > after || this.ended()) return committed;
    if (Date.now() > this.deadline) throw new Error(`BlockStmPool: block ${this.id} stuck at ${committed} commits`);
    Atomics.wait(a, Ctl.COMMIT_IDX, committed, 1);
    return Atomics.load(a, Ctl.COMMIT_IDX);
  }

  /** Whether the workers stopped: a failure, or all have left the block. */
  ended(): boolean {
    const a = this.scheduler.a;
    return Atomics.load(a, Ctl.ERROR) !== 0 || Atomics.load(a, Ctl.FINISHED) >= this.pool.threads;
  }

  /** Asks the workers to leave the block (the main thread finishes it). */
  stop(): void {
    this.scheduler.stop();
  }

  /** Waits until every worker has left the block; then the memory is the main thread's to read. */
  finish(): PoolRunEnd {
    const a = this.scheduler.a;
    for (;;) {
      const finished = Atomics.load(a, Ctl.FINISHED);
      if (finished >= this.pool.threads) break;
      if (Date.now() > this.deadline) throw new Error(`BlockStmPool: block ${this.id} unfinished`);
      Atomics.wait(a, Ctl.FINISHED, finished, 50);
    }
    this.left = true;
    return this.pool.collect(this.id, Atomics.load(a, Ctl.ERROR) === ERROR_MEMORY_FULL);
  }

  /** Whether `finish` has run. */
  get finished(): boolean {
    return this.left;
  }
}

/** Block `number`'s view of the hashes before it: `hashes[i]` is block `first + i`'s; `parent` the last. */
interface HashWindow {
  number: bigint;
  first: bigint;
  parent: bigint;
  hashes: bigint[];
}

export class BlockStmPool {
  private readonly workers: PoolWorker[] = [];
  private readonly buffers: MVBuffers;
  private readonly control: SharedArrayBuffer;
  private readonly capacity: MVCapacity;
  private readonly timeoutMs: number;
  private readonly memory: MVMemory;
  /** The main thread's view as an executor beside the workers (execute-block.ts). */
  readonly mainExecutorMemory: MVMemory;
  private current: PoolRun | undefined;
  /** The block hashes the last block was given (blockHashWindow). */
  private hashWindow: HashWindow | undefined;
  /** The last block's encoded transactions: the next block's are written over them (encodeTxs). */
  private txBuffer: SharedArrayBuffer | undefined;
  private nextId = 1;
  private terminated = false;

  constructor(
    readonly threads: number,
    options: BlockStmPoolOptions = {},
  ) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`BlockStmPool: ${threads} threads`);
    this.capacity = options.capacity ?? DEFAULT_CAPACITY;
    this.buffers = createMVBuffers(this.capacity);
    this.control = new SharedArrayBuffer(4 * controlInts(this.capacity.txs));
    this.memory = new MVMemory(this.buffers);
    this.mainExecutorMemory = new MVMemory(this.buffers);
    this.timeoutMs = options.timeoutMs ?? 120_000;
    for (let i = 0; i < threads; i++) {
      const { port1, port2 } = new MessageChannel();
      const setup: WorkerSetup = {
        port: port2,
        buffers: this.buffers,
        control: this.control,
        ...(options.stressMicros !== undefined
          ? { stress: { seed: 0x9e3779b1 ^ (i * 7919 + 1), maxMicros: options.stressMicros } }
          : {}),
      };
      const worker = new Worker(new URL("./worker.js", import.meta.url), { workerData: setup, transferList: [port2] });
      worker.unref();
      port1.unref();
      this.workers.push({ worker, port: port1 });
    }
  }

  /**
   * Starts a block on the workers; undefined where it does not fit the shared memory. `state` is
   * the main thread's view of the base (what `base` opens in the workers); `blockHash` answers
   * BLOCKHASH for the block's window, which workers cannot call back for.
   */
  start(
    txs: readonly TxInput[],
    block: BlockEnv,
    base: BaseSource,
    state: Host,
    blockHash: (n: bigint) => bigint,
    /** Let the committer stop a block that does not pay ("auto"). */
    checkFallback = false,
  ): PoolRun | undefined {
    if (this.terminated) throw new Error("BlockStmPool: terminated");
    if (this.current !== undefined && !this.current.finished) this.current.finish();
    const n = txs.length;
    if (n > this.capacity.txs || !resetMVBuffers(this.buffers, n)) return undefined;
    const ctl = new Int32Array(this.control);
    Scheduler.reset(ctl, n);
    // The executors: the pool's threads and the main thread beside them.
    if (checkFallback) ctl[Ctl.CHECK_FALLBACK] = this.threads + 1;
    this.memory.startBlock(state, block.coinbase);
    this.mainExecutorMemory.startBlock(state, block.coinbase);
    const id = this.nextId++;
    const { first: firstHashed, hashes: blockHashes } = this.blockHashWindow(block.number, blockHash);
    // The block before is finished (above): no worker reads its transactions any more.
    this.txBuffer = encodeTxs(txs, this.txBuffer);
    const msg: BlockMessage = {
      id,
      size: n,
      txs: this.txBuffer,
      block,
      base: baseWire(base),
      firstHashed,
      blockHashes,
    };
    for (const w of this.workers) w.worker.postMessage(msg);
    this.current = new PoolRun(this, id, new Scheduler(ctl, n), this.memory, this.timeoutMs);
    return this.current;
  }

  /**
   * The hashes BLOCKHASH may ask for in block `number` (the 256 before it), from the last block's
   * where the chain under it is the same (256 store reads a block otherwise): the same block again
   * (its parent's hash unchanged), or the next one (its grandparent is the last one's parent; hashes
   * chain, so every block below is unchanged too).
   */
  private blockHashWindow(number: bigint, blockHash: (n: bigint) => bigint): HashWindow {
    const first = number > 256n ? number - 256n : 0n;
    const parent = number > 0n ? blockHash(number - 1n) : 0n;
    const last = this.hashWindow;
    let hashes: bigint[] | undefined;
    if (last !== undefined && number >= 2n) {
      if (last.number === number && last.parent === parent) hashes = last.hashes;
      else if (last.number + 1n === number && last.parent === blockHash(number - 2n)) {
        hashes = last.hashes.slice(first > last.first ? 1 : 0);
        hashes.push(parent);
      }
    }
    if (hashes === undefined) {
      hashes = [];
      for (let k = first; k < number; k++) hashes.push(k === number - 1n ? parent : blockHash(k));
    }
    this.hashWindow = { number, first, parent, hashes };
    return this.hashWindow;
  }

  /** After block `id`: the first failure any worker reported (stale replies of earlier blocks skipped). */
  collect(id: number, memoryFull: boolean): PoolRunEnd {
    let failure: string | undefined;
    for (const w of this.workers) {
      for (;;) {
        const reply = receiveMessageOnPort(w.port)?.message as FailureMessage | undefined;
        if (reply === undefined) break;
        if (reply.id === id && !memoryFull) failure ??= reply.failure;
      }
    }
    return failure === undefined ? { memoryFull } : { failure, memoryFull };
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
