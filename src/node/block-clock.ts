// The dev clock that gives each mined block its timestamp: the wall clock plus an offset
// (evm_increaseTime, and where a chosen timestamp left it), a timestamp set for the next block only
// (evm_setNextBlockTimestamp), or a fixed interval after the parent (anvil_setBlockTimestampInterval);
// timestamps strictly increase. Snapshots keep the clock as it was, and a revert restores it.
import { INVALID_PARAMS, RpcError } from "../rpc/errors.js";

interface ClockState {
  offset: bigint;
  next: bigint | undefined;
}

export class BlockClock {
  /** Seconds added to the wall clock (evm_increaseTime, and where a set timestamp left the clock). */
  private offset = 0n;
  /** evm_setNextBlockTimestamp's value, used by the next block only. */
  private next: bigint | undefined;
  /** anvil_setBlockTimestampInterval: each block's timestamp is its parent's plus this many seconds. */
  private interval: bigint | undefined;
  /** The clock at each live snapshot, restored by a revert to it. */
  private readonly snapshots = new Map<bigint, ClockState>();

  /** @param now the wall clock, in seconds */
  constructor(private readonly now: () => bigint) {}

  /** The timestamp the next block gets on a parent stamped `parent` (nothing consumed). */
  nextTimestamp(parent: bigint): bigint {
    if (this.next !== undefined) return this.next;
    if (this.interval !== undefined) return parent + this.interval;
    const t = this.now() + this.offset;
    // Timestamps strictly increase, even for several blocks within one wall-clock second.
    return t > parent ? t : parent + 1n;
  }

  /** evm_setNextBlockTimestamp, on a parent stamped `parent`. */
  setNext(timestamp: bigint, parent: bigint): void {
    if (timestamp <= parent) {
      throw new RpcError(
        INVALID_PARAMS,
        `timestamp error: ${timestamp} is not above the previous block's timestamp ${parent}`,
      );
    }
    this.next = timestamp;
  }

  /** evm_increaseTime, with the newest block stamped `head`; returns the whole offset. */
  increase(seconds: bigint, head: bigint): bigint {
    if (seconds < 0n) throw new RpcError(INVALID_PARAMS, `cannot move time backwards (${seconds} seconds)`);
    // Automined bursts (one second per block) can put the head ahead of the clock: count from the head
    // then, so the next block lands at least `seconds` after it, as on anvil (whose head never runs ahead).
    if (head > this.now() + this.offset) this.offset = head - this.now();
    this.offset += seconds;
    return this.offset;
  }

  /** anvil_setBlockTimestampInterval (undefined: back to the wall clock). */
  setInterval(seconds: bigint | undefined): void {
    if (seconds !== undefined && seconds < 1n) {
      throw new RpcError(INVALID_PARAMS, `the block timestamp interval must be at least 1 second (got ${seconds})`);
    }
    this.interval = seconds;
  }

  /** The next block's timestamp, consuming a set one; the clock then runs on from a set timestamp. */
  take(parent: bigint): bigint {
    const ts = this.nextTimestamp(parent);
    if (this.next !== undefined) {
      this.offset = this.next - this.now();
      this.next = undefined;
    }
    return ts;
  }

  /** Whether evm_setNextBlockTimestamp's value waits for the next block. */
  get hasNext(): boolean {
    return this.next !== undefined;
  }

  /** A block was given `timestamp` by its miner: time runs on from it, and a set one is used up. */
  chose(timestamp: bigint): void {
    if (timestamp > this.now() + this.offset) this.offset = timestamp - this.now();
    this.next = undefined;
  }

  /** Keeps the clock as it is for snapshot `id`. */
  save(id: bigint): void {
    this.snapshots.set(id, { offset: this.offset, next: this.next });
  }

  /** Back to the clock of snapshot `id`; that snapshot and every later one are used up. */
  restore(id: bigint): void {
    const saved = this.snapshots.get(id);
    if (saved) ({ offset: this.offset, next: this.next } = saved);
    for (const other of this.snapshots.keys()) if (other >= id) this.snapshots.delete(other);
  }

  /** A reset: no snapshot is left (the clock itself runs on). */
  forgetSnapshots(): void {
    this.snapshots.clear();
  }
}
