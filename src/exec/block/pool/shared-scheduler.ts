// Block-STM's scheduler (scheduler.ts, the paper's Algorithms 4 and 5) over an Int32Array on a
// SharedArrayBuffer, so every worker thread claims tasks itself, with no round trip to the main
// thread. Counters are Atomics; each transaction's (incarnation, status) is one packed word, guarded
// by its own futex-style mutex where the paper takes the status lock. Dependency lists are intrusive:
// a parked transaction waits on one blocker at a time, so `next` links suffice. Idle workers sleep on
// WAKE (Atomics.wait), bumped whenever an index goes down or the block is done.
import { type Task, TaskKind, TxStatus } from "../scheduler.js";

export const Ctl = {
  EXEC_IDX: 0,
  VAL_IDX: 1,
  DECREASE: 2,
  ACTIVE: 3,
  DONE: 4,
  WAKE: 5,
  /** Set by a worker that failed: the others stop and the main thread falls back. */
  ERROR: 6,
  LOG_LOCK: 7,
  LOG_TAIL: 8,
  /** Workers that have posted their results. */
  FINISHED: 9,
} as const;
const HEADER = 16;
const PER_TX = 4;
const STATUS = 0;
const LOCK = 1;
const DEP_HEAD = 2; // first dependent + 1 (0: none)
const DEP_NEXT = 3; // next dependent + 1 in the blocker's list

export function controlBytes(size: number): number {
  return 4 * (HEADER + PER_TX * size);
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

const pack = (incarnation: number, status: TxStatus): number => (incarnation << 2) | status;

export class SharedScheduler {
  constructor(
    readonly a: Int32Array,
    readonly size: number,
  ) {}

  private at(txIndex: number, field: number): number {
    return HEADER + PER_TX * txIndex + field;
  }

  done(): boolean {
    return Atomics.load(this.a, Ctl.DONE) !== 0;
  }

  status(txIndex: number): TxStatus {
    return (Atomics.load(this.a, this.at(txIndex, STATUS)) & 3) as TxStatus;
  }

  incarnation(txIndex: number): number {
    return Atomics.load(this.a, this.at(txIndex, STATUS)) >>> 2;
  }

  /** Whether no task can appear without another worker acting (an idle worker may then sleep). */
  drained(): boolean {
    return Atomics.load(this.a, Ctl.EXEC_IDX) >= this.size && Atomics.load(this.a, Ctl.VAL_IDX) >= this.size;
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

  /** Stops every worker (after a failure). */
  abort(): void {
    Atomics.store(this.a, Ctl.ERROR, 1);
    Atomics.store(this.a, Ctl.DONE, 1);
    this.wake();
  }

  private fetchMin(index: number, target: number): void {
    for (;;) {
      const current = Atomics.load(this.a, index);
      if (target >= current || Atomics.compareExchange(this.a, index, current, target) === current) return;
    }
  }

  private decreaseExecutionIndex(target: number): void {
    this.fetchMin(Ctl.EXEC_IDX, target);
    Atomics.add(this.a, Ctl.DECREASE, 1);
    this.wake();
  }

  private decreaseValidationIndex(target: number): void {
    this.fetchMin(Ctl.VAL_IDX, target);
    Atomics.add(this.a, Ctl.DECREASE, 1);
    this.wake();
  }

  private checkDone(): void {
    const observed = Atomics.load(this.a, Ctl.DECREASE);
    if (
      Math.min(Atomics.load(this.a, Ctl.EXEC_IDX), Atomics.load(this.a, Ctl.VAL_IDX)) >= this.size &&
      Atomics.load(this.a, Ctl.ACTIVE) === 0 &&
      observed === Atomics.load(this.a, Ctl.DECREASE)
    ) {
      Atomics.store(this.a, Ctl.DONE, 1);
      this.wake();
    }
  }

  private tryIncarnate(txIndex: number): Task | undefined {
    if (txIndex < this.size) {
      const s = this.at(txIndex, STATUS);
      lock(this.a, this.at(txIndex, LOCK));
      const word = this.a[s]!;
      if ((word & 3) === TxStatus.ReadyToExecute) {
        Atomics.store(this.a, s, pack(word >>> 2, TxStatus.Executing));
        unlock(this.a, this.at(txIndex, LOCK));
        return { kind: TaskKind.Execute, txIndex, incarnation: word >>> 2 };
      }
      unlock(this.a, this.at(txIndex, LOCK));
    }
    Atomics.sub(this.a, Ctl.ACTIVE, 1);
    return undefined;
  }

  private nextVersionToExecute(): Task | undefined {
    if (Atomics.load(this.a, Ctl.EXEC_IDX) >= this.size) {
      this.checkDone();
      return undefined;
    }
    Atomics.add(this.a, Ctl.ACTIVE, 1);
    return this.tryIncarnate(Atomics.add(this.a, Ctl.EXEC_IDX, 1));
  }

  private nextVersionToValidate(): Task | undefined {
    if (Atomics.load(this.a, Ctl.VAL_IDX) >= this.size) {
      this.checkDone();
      return undefined;
    }
    Atomics.add(this.a, Ctl.ACTIVE, 1);
    const txIndex = Atomics.add(this.a, Ctl.VAL_IDX, 1);
    if (txIndex < this.size) {
      const word = Atomics.load(this.a, this.at(txIndex, STATUS));
      if ((word & 3) === TxStatus.Executed) return { kind: TaskKind.Validate, txIndex, incarnation: word >>> 2 };
    }
    Atomics.sub(this.a, Ctl.ACTIVE, 1);
    return undefined;
  }

  nextTask(): Task | undefined {
    if (Atomics.load(this.a, Ctl.VAL_IDX) < Atomics.load(this.a, Ctl.EXEC_IDX)) return this.nextVersionToValidate();
    return this.nextVersionToExecute();
  }

  addDependency(txIndex: number, blockingIndex: number): boolean {
    const blockLock = this.at(blockingIndex, LOCK);
    lock(this.a, blockLock);
    if ((this.a[this.at(blockingIndex, STATUS)]! & 3) === TxStatus.Executed) {
      unlock(this.a, blockLock);
      return false;
    }
    // Lock order: a blocker always has the lower index, so this nesting cannot deadlock.
    const ownLock = this.at(txIndex, LOCK);
    lock(this.a, ownLock);
    const s = this.at(txIndex, STATUS);
    Atomics.store(this.a, s, pack(this.a[s]! >>> 2, TxStatus.Aborting));
    unlock(this.a, ownLock);
    this.a[this.at(txIndex, DEP_NEXT)] = this.a[this.at(blockingIndex, DEP_HEAD)]!;
    this.a[this.at(blockingIndex, DEP_HEAD)] = txIndex + 1;
    unlock(this.a, blockLock);
    Atomics.sub(this.a, Ctl.ACTIVE, 1);
    return true;
  }

  private setReady(txIndex: number): void {
    const l = this.at(txIndex, LOCK);
    lock(this.a, l);
    const s = this.at(txIndex, STATUS);
    Atomics.store(this.a, s, pack((this.a[s]! >>> 2) + 1, TxStatus.ReadyToExecute));
    unlock(this.a, l);
  }

  finishExecution(txIndex: number, incarnation: number, wroteNewLocation: boolean): Task | undefined {
    const l = this.at(txIndex, LOCK);
    lock(this.a, l);
    Atomics.store(this.a, this.at(txIndex, STATUS), pack(incarnation, TxStatus.Executed));
    let next = this.a[this.at(txIndex, DEP_HEAD)]!;
    this.a[this.at(txIndex, DEP_HEAD)] = 0;
    unlock(this.a, l);
    if (next !== 0) {
      let min = this.size;
      while (next !== 0) {
        const d = next - 1;
        next = this.a[this.at(d, DEP_NEXT)]!;
        this.setReady(d);
        if (d < min) min = d;
      }
      this.decreaseExecutionIndex(min);
    }
    if (Atomics.load(this.a, Ctl.VAL_IDX) > txIndex) {
      if (wroteNewLocation) this.decreaseValidationIndex(txIndex);
      else return { kind: TaskKind.Validate, txIndex, incarnation };
    }
    Atomics.sub(this.a, Ctl.ACTIVE, 1);
    return undefined;
  }

  tryValidationAbort(txIndex: number, incarnation: number): boolean {
    const l = this.at(txIndex, LOCK);
    lock(this.a, l);
    const s = this.at(txIndex, STATUS);
    const ok = this.a[s] === pack(incarnation, TxStatus.Executed);
    if (ok) Atomics.store(this.a, s, pack(incarnation, TxStatus.Aborting));
    unlock(this.a, l);
    return ok;
  }

  finishValidation(txIndex: number, aborted: boolean): Task | undefined {
    if (aborted) {
      this.setReady(txIndex);
      this.decreaseValidationIndex(txIndex + 1);
      if (Atomics.load(this.a, Ctl.EXEC_IDX) > txIndex) return this.tryIncarnate(txIndex);
    }
    Atomics.sub(this.a, Ctl.ACTIVE, 1);
    return undefined;
  }
}
