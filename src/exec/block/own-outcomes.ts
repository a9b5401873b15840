// The outcomes of the transactions the main thread executed itself (it executes beside the pool's
// workers): kept until committed, so that the committer takes them as they are, as the sequential
// executor does, instead of reading their receipts and writes back from the shared memory. Only the
// committed incarnation counts: a kept outcome of an earlier, aborted one is ignored.
import type { ValidTxOutcome } from "../types.js";
import type { Scheduler } from "./scheduler.js";

export class OwnOutcomes {
  private readonly outcomes: (ValidTxOutcome | undefined)[];
  private readonly incarnations: Int32Array;

  constructor(private readonly scheduler: Scheduler) {
    this.outcomes = new Array<ValidTxOutcome | undefined>(scheduler.size).fill(undefined);
    this.incarnations = new Int32Array(scheduler.size);
  }

  /** An incarnation this thread executed and published. */
  keep(txIndex: number, incarnation: number, outcome: ValidTxOutcome): void {
    this.outcomes[txIndex] = outcome;
    this.incarnations[txIndex] = incarnation;
  }

  /** The committed transaction's outcome, if this thread executed its committed incarnation (once). */
  take(txIndex: number): ValidTxOutcome | undefined {
    const outcome = this.outcomes[txIndex];
    if (outcome === undefined) return undefined;
    this.outcomes[txIndex] = undefined;
    return this.incarnations[txIndex] === this.scheduler.incarnation(txIndex) ? outcome : undefined;
  }
}
