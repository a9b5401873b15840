// Block-STM's collaborative scheduler (Gelashvili et al., Algorithms 4 and 5): an execution index and a
// validation index that workers advance to pick tasks, per-transaction incarnations and statuses, and
// dependency lists of transactions waiting on an aborted one. Written as in the paper, counter for
// counter, so that the same steps become atomics on shared memory when worker threads come; in one
// thread every step here is trivially atomic.

export enum TxStatus {
  ReadyToExecute = 0,
  Executing = 1,
  Executed = 2,
  Aborting = 3,
}

export enum TaskKind {
  Execute = 0,
  Validate = 1,
}

export interface Task {
  kind: TaskKind;
  txIndex: number;
  incarnation: number;
}

export class Scheduler {
  private executionIndex = 0;
  private validationIndex = 0;
  /** Bumped whenever an index goes down, so `checkDone` sees a decrease that raced with it. */
  private decreaseCount = 0;
  private activeTasks = 0;
  private doneMarker = false;
  // Typed arrays and index lists: the shapes a SharedArrayBuffer version keeps.
  private readonly incarnations: Uint32Array;
  private readonly statuses: Uint8Array;
  /** Per transaction, the ones waiting for it; created on the first (most never have any). */
  private readonly dependencies: (number[] | undefined)[];

  constructor(readonly size: number) {
    this.incarnations = new Uint32Array(size);
    this.statuses = new Uint8Array(size);
    this.dependencies = new Array(size).fill(undefined);
  }

  done(): boolean {
    return this.doneMarker;
  }

  status(txIndex: number): TxStatus {
    return this.statuses[txIndex]!;
  }

  incarnation(txIndex: number): number {
    return this.incarnations[txIndex]!;
  }

  private decreaseExecutionIndex(target: number): void {
    if (target < this.executionIndex) this.executionIndex = target;
    this.decreaseCount++;
  }

  private decreaseValidationIndex(target: number): void {
    if (target < this.validationIndex) this.validationIndex = target;
    this.decreaseCount++;
  }

  private checkDone(): void {
    const observed = this.decreaseCount;
    if (
      Math.min(this.executionIndex, this.validationIndex) >= this.size &&
      this.activeTasks === 0 &&
      observed === this.decreaseCount
    ) {
      this.doneMarker = true;
    }
  }

  private tryIncarnate(txIndex: number): Task | undefined {
    if (txIndex < this.size && this.statuses[txIndex] === TxStatus.ReadyToExecute) {
      this.statuses[txIndex] = TxStatus.Executing;
      return { kind: TaskKind.Execute, txIndex, incarnation: this.incarnations[txIndex]! };
    }
    this.activeTasks--;
    return undefined;
  }

  private nextVersionToExecute(): Task | undefined {
    if (this.executionIndex >= this.size) {
      this.checkDone();
      return undefined;
    }
    this.activeTasks++;
    return this.tryIncarnate(this.executionIndex++);
  }

  private nextVersionToValidate(): Task | undefined {
    if (this.validationIndex >= this.size) {
      this.checkDone();
      return undefined;
    }
    this.activeTasks++;
    const txIndex = this.validationIndex++;
    if (txIndex < this.size && this.statuses[txIndex] === TxStatus.Executed) {
      return { kind: TaskKind.Validate, txIndex, incarnation: this.incarnations[txIndex]! };
    }
    this.activeTasks--;
    return undefined;
  }

  /** The next task for an idle worker, validation first while it lags execution. */
  nextTask(): Task | undefined {
    if (this.validationIndex < this.executionIndex) return this.nextVersionToValidate();
    return this.nextVersionToExecute();
  }

  /**
   * `txIndex` read an ESTIMATE of `blockingIndex`: park it until that one executes. False when the
   * blocker has executed meanwhile (then re-execute at once).
   */
  addDependency(txIndex: number, blockingIndex: number): boolean {
    if (this.statuses[blockingIndex] === TxStatus.Executed) return false;
    this.statuses[txIndex] = TxStatus.Aborting;
    const waiting = this.dependencies[blockingIndex];
    if (waiting === undefined) this.dependencies[blockingIndex] = [txIndex];
    else waiting.push(txIndex);
    this.activeTasks--;
    return true;
  }

  private setReady(txIndex: number): void {
    this.incarnations[txIndex]!++;
    this.statuses[txIndex] = TxStatus.ReadyToExecute;
  }

  /** The incarnation's writes are in MVMemory; returns a validation of it to run now, if any. */
  finishExecution(txIndex: number, incarnation: number, wroteNewLocation: boolean): Task | undefined {
    this.statuses[txIndex] = TxStatus.Executed;
    const dependents = this.dependencies[txIndex];
    if (dependents !== undefined) {
      this.dependencies[txIndex] = undefined;
      let min = dependents[0]!;
      for (const d of dependents) {
        this.setReady(d);
        if (d < min) min = d;
      }
      this.decreaseExecutionIndex(min);
    }
    if (this.validationIndex > txIndex) {
      // New locations may invalidate any later transaction; otherwise only this one needs checking.
      if (wroteNewLocation) this.decreaseValidationIndex(txIndex);
      else return { kind: TaskKind.Validate, txIndex, incarnation };
    }
    this.activeTasks--;
    return undefined;
  }

  /** Claims the abort of a failed validation; false if another validation already did. */
  tryValidationAbort(txIndex: number, incarnation: number): boolean {
    if (this.incarnations[txIndex] === incarnation && this.statuses[txIndex] === TxStatus.Executed) {
      this.statuses[txIndex] = TxStatus.Aborting;
      return true;
    }
    return false;
  }

  /** After a validation; an aborted transaction is re-executed by this worker when it can be. */
  finishValidation(txIndex: number, aborted: boolean): Task | undefined {
    if (aborted) {
      this.setReady(txIndex);
      this.decreaseValidationIndex(txIndex + 1);
      if (this.executionIndex > txIndex) {
        const task = this.tryIncarnate(txIndex);
        if (task !== undefined) return task;
        return undefined; // tryIncarnate released the task
      }
    }
    this.activeTasks--;
    return undefined;
  }
}
