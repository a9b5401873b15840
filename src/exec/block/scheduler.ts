// Block-STM's collaborative scheduler (after Gelashvili et al., Algorithms 4 and 5) over an Int32Array
// on a SharedArrayBuffer, so every worker claims tasks itself with no round trip to the main thread:
// an execution index that workers advance with Atomics, per transaction one packed (incarnation,
// status) word guarded by its own futex-style lock where the paper takes the status lock, and
// intrusive dependency lists (a parked transaction waits on one blocker at a time). Idle workers
// sleep on WAKE, bumped whenever the index goes down or the block ends.
//
// Validation happens once per incarnation, at commit: transactions become final in order. Whoever
// holds the commit lock validates the transaction at the commit index, every one below it being
// committed, so against final versions: if its reads still hold it is Committed (final; the main
// thread reads results up to the commit index while the block runs), else it is aborted (its writes
// become ESTIMATEs) and the committer re-executes it at once. The paper's separate validation tasks
// find a conflict earlier, off the commit path, at the price of validating most transactions twice;
// measured here (`weft bench exec`), once at commit is cheaper, and a block whose conflicts would
// serialise it falls back to sequential execution anyway (execute-block.ts).

export enum TxStatus {
  ReadyToExecute = 0,
  Executing = 1,
  Executed = 2,
  Aborting = 3,
  Committed = 4,
}

export interface Task {
  txIndex: number;
  incarnation: number;
}

/** What the commit asks of the multi-version memory. */
export interface CommitChecks {
  /** Whether the transaction's read set still holds (every transaction below it is committed). */
  isFinal(txIndex: number): boolean;
  /** Its writes become ESTIMATEs: readers wait for its next incarnation. */
  markEstimates(txIndex: number): void;
}

/**
 * Control words. Words that different threads write often sit on cache lines of their own (16 ints,
 * 64 bytes): the execution index, the wake counter, the commit index, the commit lock (with what only
 * its holder writes); the rarely written flags share one line, the counters another.
 */
export const Ctl = {
  EXEC_IDX: 0,
  WAKE: 16,
  /** Transactions below it are committed: final. The main thread waits on it. */
  COMMIT_IDX: 32,
  COMMIT_LOCK: 48,
  COMMIT_REQUESTS: 49,
  /** Read sets validated at commit (counted by the commit lock's holder). */
  VALIDATIONS: 50,
  /** Set by a worker that failed (1) or ran out of shared memory (2): every worker stops. */
  ERROR: 64,
  /** Workers that have left the block. */
  FINISHED: 65,
  /** Set by the main thread: leave the block (it finishes the rest sequentially). */
  STOP: 66,
  /** Set by the main thread ("auto") to the number of executors: the committer checks whether the block pays (FallbackPolicy). */
  CHECK_FALLBACK: 67,
  /** Why the block stopped paying (FALLBACK_*), set with STOP by the committer. */
  FALLBACK: 68,
  /** FIRST_EXEC_US and FIRST_EXECUTIONS when the committer decided, for the reason it gives. */
  FALLBACK_EXEC_US: 69,
  FALLBACK_EXECUTIONS: 70,
  /** Incarnations executed, first incarnations among them, reads that met an ESTIMATE. */
  EXECUTIONS: 80,
  FIRST_EXECUTIONS: 81,
  BLOCKED: 82,
  /** Microseconds workers spent on tasks, and idle (looking for one or asleep). */
  BUSY_US: 83,
  IDLE_US: 84,
  /** Microseconds of first incarnations' execution (their average: how heavy the block's transactions are). */
  FIRST_EXEC_US: 85,
} as const;
export const ERROR_FAILED = 1;
export const ERROR_MEMORY_FULL = 2;

const HEADER = 96;

/**
 * When "auto" stops a block that does not pay and finishes it sequentially. Checked at commits from
 * WINDOW to 8 x WINDOW: after that a block has shown it pays. The thresholds are measured with
 * `weft bench exec` and `bench e2e` on 2 cores:
 * - a block where re-executions and waits exceed half the commits (one hot account, one pair) runs at
 *   0.2-0.6x in parallel;
 * - each transaction costs about BREAK_EVEN_MICROS of publishing, validating and committing, which the
 *   other executors must win back: with E executors (the pool's threads and the main thread) a block
 *   pays only where its transactions execute in more than BREAK_EVEN_MICROS / (E - 1) on average.
 *   Measured: ERC-20 transfers at 24 µs on a worker broke even with 3 executors, and at 30-45 µs (over
 *   LMDB, in a node) ran 0.6x with 2; native transfers (11 µs) ran 0.4x; Uniswap swaps (210 µs) 1.3x.
 */
export const FallbackPolicy = { WINDOW: 16, WASTE_LIMIT: 0.5, BREAK_EVEN_MICROS: 50 } as const;

/** Average execution time under which a block does not pay with `executors` executors. */
export function cheapMicros(executors: number): number {
  return FallbackPolicy.BREAK_EVEN_MICROS / Math.max(1, executors - 1);
}
export const FALLBACK_DEPENDENT = 1;
export const FALLBACK_CHEAP = 2;
/** A transaction's words fill a cache line: neighbours run on different threads (no false sharing). */
const PER_TX = 16;
const STATUS = 0;
const LOCK = 1;
const DEP_HEAD = 2; // first dependent + 1 (0: none)
const DEP_NEXT = 3; // next dependent + 1 in the blocker's list

export function controlInts(size: number): number {
  return HEADER + PER_TX * size;
}

export function lock(a: Int32Array, i: number): void {
  let c = Atomics.compareExchange(a, i, 0, 1);
  if (c === 0) return;
  if (c !== 2) c = Atomics.exchange(a, i, 2);
  while (c !== 0) {
    Atomics.wait(a, i, 2);
    c = Atomics.exchange(a, i, 2);
  }
}

export function unlock(a: Int32Array, i: number): void {
  if (Atomics.sub(a, i, 1) !== 1) {
    Atomics.store(a, i, 0);
    Atomics.notify(a, i, 1);
  }
}

const pack = (incarnation: number, status: TxStatus): number => (incarnation << 3) | status;

export class Scheduler {
  constructor(
    readonly a: Int32Array,
    readonly size: number,
  ) {}

  /** Empties the words of a block of `size` transactions (before any worker starts on it). */
  static reset(a: Int32Array, size: number): void {
    a.fill(0, 0, controlInts(size));
  }

  private at(txIndex: number, field: number): number {
    return HEADER + PER_TX * txIndex + field;
  }

  /** The block is over for workers: all committed, stopped by the main thread, or failed. */
  done(): boolean {
    return (
      Atomics.load(this.a, Ctl.COMMIT_IDX) >= this.size ||
      (Atomics.load(this.a, Ctl.STOP) | Atomics.load(this.a, Ctl.ERROR)) !== 0
    );
  }

  status(txIndex: number): TxStatus {
    return (Atomics.load(this.a, this.at(txIndex, STATUS)) & 7) as TxStatus;
  }

  incarnation(txIndex: number): number {
    return Atomics.load(this.a, this.at(txIndex, STATUS)) >>> 3;
  }

  committed(): number {
    return Atomics.load(this.a, Ctl.COMMIT_IDX);
  }

  count(counter: number, by = 1): void {
    Atomics.add(this.a, counter, by);
  }

  read(counter: number): number {
    return Atomics.load(this.a, counter);
  }

  /** Incarnations beyond each transaction's first. */
  reexecutions(): number {
    return Atomics.load(this.a, Ctl.EXECUTIONS) - Atomics.load(this.a, Ctl.FIRST_EXECUTIONS);
  }

  /** Work that did not stand: re-executions plus reads that had to wait for a blocker. */
  wasted(): number {
    return this.reexecutions() + Atomics.load(this.a, Ctl.BLOCKED);
  }

  /** Whether nothing is left to execute until another worker acts (an idle worker may then sleep). */
  drained(): boolean {
    return Atomics.load(this.a, Ctl.EXEC_IDX) >= this.size;
  }

  /** Sleeps until WAKE moves past `seen` (or a short timeout, as a guard against a missed wake). */
  sleep(seen: number): void {
    Atomics.wait(this.a, Ctl.WAKE, seen, 2);
  }

  wakeCount(): number {
    return Atomics.load(this.a, Ctl.WAKE);
  }

  private wake(): void {
    Atomics.add(this.a, Ctl.WAKE, 1);
    Atomics.notify(this.a, Ctl.WAKE);
  }

  /** Stops every worker (after a failure: ERROR_FAILED or ERROR_MEMORY_FULL). */
  fail(reason: number): void {
    Atomics.compareExchange(this.a, Ctl.ERROR, 0, reason);
    this.wake();
    Atomics.notify(this.a, Ctl.COMMIT_IDX);
  }

  /** The main thread asks workers to leave the block. */
  stop(): void {
    Atomics.store(this.a, Ctl.STOP, 1);
    this.wake();
  }

  private decreaseExecutionIndex(target: number): void {
    for (;;) {
      const current = Atomics.load(this.a, Ctl.EXEC_IDX);
      if (target >= current || Atomics.compareExchange(this.a, Ctl.EXEC_IDX, current, target) === current) break;
    }
    this.wake();
  }

  /** Claims the execution of `txIndex` if it is ready. */
  private tryIncarnate(txIndex: number): Task | undefined {
    const s = this.at(txIndex, STATUS);
    const l = this.at(txIndex, LOCK);
    lock(this.a, l);
    const word = this.a[s]!;
    const ready = (word & 7) === TxStatus.ReadyToExecute;
    if (ready) Atomics.store(this.a, s, pack(word >>> 3, TxStatus.Executing));
    unlock(this.a, l);
    return ready ? { txIndex, incarnation: word >>> 3 } : undefined;
  }

  /** The next transaction to execute, if any (undefined: try again later, or sleep when drained). */
  nextTask(): Task | undefined {
    if (Atomics.load(this.a, Ctl.EXEC_IDX) >= this.size) return undefined;
    const txIndex = Atomics.add(this.a, Ctl.EXEC_IDX, 1);
    return txIndex < this.size ? this.tryIncarnate(txIndex) : undefined;
  }

  /**
   * `txIndex` read an ESTIMATE of `blockingIndex`: park it until that one executes. False when the
   * blocker has executed meanwhile (then re-execute at once).
   */
  addDependency(txIndex: number, blockingIndex: number): boolean {
    const blockLock = this.at(blockingIndex, LOCK);
    lock(this.a, blockLock);
    const blocker = this.a[this.at(blockingIndex, STATUS)]! & 7;
    if (blocker === TxStatus.Executed || blocker === TxStatus.Committed) {
      unlock(this.a, blockLock);
      return false;
    }
    // Lock order: a blocker always has the lower index, so this nesting cannot deadlock.
    const ownLock = this.at(txIndex, LOCK);
    lock(this.a, ownLock);
    const s = this.at(txIndex, STATUS);
    Atomics.store(this.a, s, pack(this.a[s]! >>> 3, TxStatus.Aborting));
    unlock(this.a, ownLock);
    this.a[this.at(txIndex, DEP_NEXT)] = this.a[this.at(blockingIndex, DEP_HEAD)]!;
    this.a[this.at(blockingIndex, DEP_HEAD)] = txIndex + 1;
    unlock(this.a, blockLock);
    return true;
  }

  private setReady(txIndex: number): void {
    const l = this.at(txIndex, LOCK);
    lock(this.a, l);
    const s = this.at(txIndex, STATUS);
    Atomics.store(this.a, s, pack((this.a[s]! >>> 3) + 1, TxStatus.ReadyToExecute));
    unlock(this.a, l);
  }

  /** The incarnation's writes are in the memory: it waits for its commit; its dependents run again. */
  finishExecution(txIndex: number, incarnation: number): void {
    const l = this.at(txIndex, LOCK);
    lock(this.a, l);
    Atomics.store(this.a, this.at(txIndex, STATUS), pack(incarnation, TxStatus.Executed));
    let next = this.a[this.at(txIndex, DEP_HEAD)]!;
    this.a[this.at(txIndex, DEP_HEAD)] = 0;
    unlock(this.a, l);
    if (next === 0) return;
    let min = this.size;
    while (next !== 0) {
      const d = next - 1;
      next = this.a[this.at(d, DEP_NEXT)]!;
      this.setReady(d);
      if (d < min) min = d;
    }
    this.decreaseExecutionIndex(min);
  }

  /**
   * Commits transactions in order while each is executed and final. One worker commits at a time; a
   * request made while another holds the lock makes the holder look again, so no commit is missed.
   * Returns the re-execution of a transaction that failed its validation, for the caller to run.
   * `executed`: the transaction the caller just executed, if any (it may then skip, see commitFollows).
   */
  tryCommit(checks: CommitChecks, executed?: number): Task | undefined {
    if (executed !== undefined && this.commitFollows(executed)) return undefined;
    Atomics.add(this.a, Ctl.COMMIT_REQUESTS, 1);
    let retry: Task | undefined;
    while (retry === undefined && Atomics.compareExchange(this.a, Ctl.COMMIT_LOCK, 0, 1) === 0) {
      const seen = Atomics.load(this.a, Ctl.COMMIT_REQUESTS);
      const start = this.a[Ctl.COMMIT_IDX]!;
      let k = start;
      while (k < this.size) {
        const outcome = this.commitOne(k, checks);
        if (outcome !== true) {
          retry = outcome;
          break;
        }
        k++;
      }
      if (k !== start) {
        Atomics.store(this.a, Ctl.COMMIT_IDX, k);
        if (Atomics.load(this.a, Ctl.CHECK_FALLBACK) !== 0) this.checkFallback(k);
        // The main thread takes commits in batches: a wake per 32, and for the last.
        if (k >>> 5 !== start >>> 5 || k === this.size) Atomics.notify(this.a, Ctl.COMMIT_IDX);
        if (k === this.size) this.wake();
      }
      Atomics.store(this.a, Ctl.COMMIT_LOCK, 0);
      if (Atomics.load(this.a, Ctl.COMMIT_REQUESTS) === seen) break;
    }
    return retry;
  }

  /**
   * Whether transaction `executed` (just marked Executed) will be committed by another's attempt, so
   * that this one may skip the contended commit words: the next transaction to commit is below it and
   * not executed yet. Whoever executes that one then commits from there, in order, through every
   * executed transaction, this one included (its status was stored before this check read the other).
   */
  private commitFollows(executed: number): boolean {
    const next = Atomics.load(this.a, Ctl.COMMIT_IDX);
    if (next >= executed) return false;
    const status = Atomics.load(this.a, this.at(next, STATUS)) & 7;
    return status === TxStatus.Executing || status === TxStatus.ReadyToExecute || status === TxStatus.Aborting;
  }

  /** Stops the block where it does not pay (FallbackPolicy); the main thread finishes it sequentially. */
  private checkFallback(committed: number): void {
    const { WINDOW, WASTE_LIMIT } = FallbackPolicy;
    if (committed < WINDOW || committed > 8 * WINDOW || committed >= this.size) return;
    const first = Atomics.load(this.a, Ctl.FIRST_EXECUTIONS);
    const micros = Atomics.load(this.a, Ctl.FIRST_EXEC_US);
    let reason = 0;
    if (this.wasted() > WASTE_LIMIT * committed) reason = FALLBACK_DEPENDENT;
    else if (micros < cheapMicros(Atomics.load(this.a, Ctl.CHECK_FALLBACK)) * first) reason = FALLBACK_CHEAP;
    if (reason === 0) return;
    Atomics.store(this.a, Ctl.FALLBACK_EXEC_US, micros);
    Atomics.store(this.a, Ctl.FALLBACK_EXECUTIONS, first);
    Atomics.store(this.a, Ctl.FALLBACK, reason);
    this.stop();
    Atomics.notify(this.a, Ctl.COMMIT_IDX);
  }

  /** True when committed; otherwise not yet (undefined) or its re-execution, after a failed validation. */
  private commitOne(k: number, checks: CommitChecks): true | Task | undefined {
    const word = Atomics.load(this.a, this.at(k, STATUS));
    if ((word & 7) !== TxStatus.Executed) return undefined;
    Atomics.add(this.a, Ctl.VALIDATIONS, 1);
    const valid = checks.isFinal(k);
    const s = this.at(k, STATUS);
    const l = this.at(k, LOCK);
    lock(this.a, l);
    // Executed words change only here, under the commit lock: it is still the incarnation validated.
    Atomics.store(this.a, s, pack(word >>> 3, valid ? TxStatus.Committed : TxStatus.Aborting));
    unlock(this.a, l);
    if (valid) return true;
    checks.markEstimates(k);
    this.setReady(k);
    return this.tryIncarnate(k);
  }
}
