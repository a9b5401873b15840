// One Block-STM worker: takes transactions from the shared scheduler, executes them against the
// shared multi-version memory, publishes their writes, and commits (validating) in order. The same code
// runs on a pool thread (`run`, its tasks back to back), on the main thread beside the pool (`step`
// between taking commits) and as a virtual worker in one thread (`step`, interleaved with other
// workers' steps by a seeded schedule, so that other workers act between an incarnation's reads and
// its writes, as they do with real threads).
import type { BlockEnv } from "../../evm/host.js";
import { ByteWriter } from "../../threads/byte-codec.js";
import { processTransaction } from "../process-transaction.js";
import type { TxInput, TxOutcome } from "../types.js";
import { MemoryFull, type MVMemory, ReadBlocked } from "./mv-memory.js";
import type { OwnOutcomes } from "./own-outcomes.js";
import { type CommitChecks, Ctl, ERROR_FAILED, ERROR_MEMORY_FULL, type Scheduler, type Task } from "./scheduler.js";
import { encodeKeptResult, encodeTxResult } from "./tx-result.js";
import { VersionedHost } from "./versioned-host.js";

const DEFER_FEE = { deferCoinbaseFee: true } as const;
const FLUSH_EVERY = 8;
const NO_WRITES = new Map();

/** The block's transactions as a worker reads them. */
export interface BlockTxs {
  readonly length: number;
  get(i: number): TxInput;
}

/** An executed incarnation waiting to publish (a separate step only for virtual workers). */
interface Publish {
  kind: "publish";
  task: Task;
  result: { outcome: TxOutcome } | { thrown: unknown };
  micros: number;
  /** performance.now() when the execution ended. */
  executedAt: number;
}

/** Injected delays (stress runs): before a step, with probability 1/4, up to `maxMicros`. */
export interface StressOptions {
  seed: number;
  maxMicros: number;
}

export class BlockStmWorker {
  private held: Task | Publish | undefined;
  private readonly host: VersionedHost;
  private readonly writer = new ByteWriter();
  private readonly checks: CommitChecks;
  private busyMicros = 0;
  /** Counts kept here and added to the shared counters every FLUSH_EVERY executions (they are contended). */
  private executions = 0;
  private firstExecutions = 0;
  private firstMicros = 0;
  /** This executor's first executions and their time over its life (not reset by flushCounts). */
  readonly lifetime = { firstExecutions: 0, firstMicros: 0 };
  private blocked = 0;
  private random: number;
  private readonly sleeper = new Int32Array(new SharedArrayBuffer(4));

  constructor(
    private readonly memory: MVMemory,
    private readonly scheduler: Scheduler,
    private readonly txs: BlockTxs,
    private readonly block: BlockEnv,
    /** On a thread an incarnation publishes right after executing; a virtual worker takes a step for it. */
    private readonly onThread: boolean,
    private readonly stress?: StressOptions,
    /** Where the main thread keeps its valid outcomes for the committer (execute-block.ts). */
    private readonly own?: OwnOutcomes,
  ) {
    this.host = new VersionedHost(memory);
    this.random = stress?.seed ?? 0;
    this.checks = {
      isFinal: (txIndex) => memory.validateReadSet(txIndex),
      markEstimates: (txIndex) => memory.convertWritesToEstimates(txIndex),
    };
  }

  /** One step of work; false when there was nothing to take. */
  step(): boolean {
    const held = this.held;
    if (held === undefined) {
      this.held = this.scheduler.nextTask();
      return this.held !== undefined;
    }
    this.held = "kind" in held ? this.publish(held) : this.execute(held);
    return true;
  }

  /**
   * The main thread's step beside the pool: a task it claims is executed in the same call, before
   * the caller turns to taking commits, which would otherwise hold up a claimed transaction (and,
   * at the end of a block, a worker with nothing left to claim waits for it).
   */
  stepNow(): boolean {
    const claiming = this.held === undefined;
    if (!this.step()) return false;
    if (claiming) this.step();
    return true;
  }

  /** A pool thread's loop over one block; failures stop every worker and are rethrown. */
  run(): void {
    const start = performance.now();
    try {
      while (!this.scheduler.done()) {
        if (this.stress !== undefined) this.delay();
        if (this.held === undefined) {
          const seen = this.scheduler.wakeCount();
          this.held = this.scheduler.nextTask();
          // Nothing to claim until someone lowers an index or finishes: sleep rather than spin.
          if (this.held === undefined && this.scheduler.drained() && !this.scheduler.done()) this.scheduler.sleep(seen);
          continue;
        }
        this.step();
      }
    } catch (error) {
      this.scheduler.fail(error instanceof MemoryFull ? ERROR_MEMORY_FULL : ERROR_FAILED);
      throw error;
    } finally {
      this.leave((performance.now() - start) * 1000);
    }
  }

  /** After its last step of a block: adds its counts and its busy and idle time (of `wallMicros`). */
  leave(wallMicros: number): void {
    this.flushCounts();
    this.scheduler.count(Ctl.BUSY_US, Math.round(this.busyMicros));
    this.scheduler.count(Ctl.IDLE_US, Math.max(0, Math.round(wallMicros - this.busyMicros)));
    this.busyMicros = 0;
  }

  private execute(task: Task): Task | Publish | undefined {
    const start = performance.now();
    if (++this.executions >= FLUSH_EVERY) this.flushCounts();
    this.host.begin(task.txIndex);
    let result: Publish["result"];
    try {
      result = { outcome: processTransaction(this.txs.get(task.txIndex), this.block, this.host, DEFER_FEE) };
    } catch (error) {
      if (!(error instanceof ReadBlocked)) {
        // Possibly an artefact of inconsistent reads: validation decides whether it stands.
        result = { thrown: error };
      } else {
        this.blocked++;
        this.busyMicros += (performance.now() - start) * 1000;
        return this.scheduler.addDependency(task.txIndex, error.txIndex) ? undefined : task;
      }
    }
    const executedAt = performance.now();
    const micros = (executedAt - start) * 1000;
    this.busyMicros += micros;
    if (task.incarnation === 0) {
      this.firstExecutions++;
      this.firstMicros += micros;
      this.lifetime.firstExecutions++;
      this.lifetime.firstMicros += micros;
    }
    const publish: Publish = { kind: "publish", task, result, micros, executedAt };
    return this.onThread ? this.publish(publish) : publish;
  }

  private publish(p: Publish): Task | undefined {
    // On a thread publishing follows the execution at once: its end is this step's start.
    const start = this.onThread ? p.executedAt : performance.now();
    const { task, result } = p;
    const outcome = "outcome" in result && result.outcome.valid ? result.outcome : undefined;
    const w = this.writer;
    w.reset();
    // A valid outcome the main thread keeps is taken as it is at commit: its encoding would go unread.
    if (outcome !== undefined && this.own !== undefined) encodeKeptResult(w);
    else encodeTxResult(w, result);
    this.memory.record(
      task.txIndex,
      task.incarnation,
      this.host.reads,
      outcome?.writes ?? NO_WRITES,
      outcome?.coinbaseFee,
      w.view8(),
      Math.round(p.micros),
    );
    // Kept before the incarnation can commit (finishExecution): the committer may take it at once.
    if (outcome !== undefined) this.own?.keep(task.txIndex, task.incarnation, outcome);
    this.scheduler.finishExecution(task.txIndex, task.incarnation);
    // The commit may hand back a transaction whose reads went stale: this worker re-executes it next.
    const retry = this.scheduler.tryCommit(this.checks, task.txIndex);
    this.busyMicros += (performance.now() - start) * 1000;
    return retry;
  }

  /** Adds this worker's counts to the shared ones (the fallback check and the stats read those). */
  flushCounts(): void {
    const s = this.scheduler;
    if (this.executions !== 0) s.count(Ctl.EXECUTIONS, this.executions);
    if (this.firstExecutions !== 0) s.count(Ctl.FIRST_EXECUTIONS, this.firstExecutions);
    if (this.firstMicros !== 0) s.count(Ctl.FIRST_EXEC_US, Math.round(this.firstMicros));
    if (this.blocked !== 0) s.count(Ctl.BLOCKED, this.blocked);
    this.executions = this.firstExecutions = this.firstMicros = this.blocked = 0;
  }

  /** Stress runs: a random pause (xorshift), to shake out orderings that real timing rarely gives. */
  private delay(): void {
    let x = this.random || 1;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.random = x;
    if ((x & 3) !== 0) return;
    const micros = (x >>> 2) % (this.stress!.maxMicros + 1);
    Atomics.wait(this.sleeper, 0, 0, micros / 1000);
  }
}
