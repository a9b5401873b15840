// Block order for the pool's executable transactions (geth's TransactionsByPriceAndNonce): a heap of
// each sender's next transaction, best effective tip first, earlier arrival first among equal tips;
// taking a sender's transaction puts its next nonce in the heap, so each sender stays in nonce order.
// The order is produced as it is taken: a block takes its fill from a large pool without ordering
// the rest. The heap is of slot numbers over flat arrays (a run's entry, its tip as a Number, its
// arrival), built for every block from every sender's first transaction: no object per sender.
import type { SignedTransaction } from "../chain/types.js";
import { effectiveTip } from "./price.js";
import type { PoolEntry } from "./sender-txs.js";

/** How the order walks the senders' runs (each gap-free, in nonce order). */
export interface RunSteps {
  /** The entry after `e` in its sender's run (the next nonce), if any. */
  next(e: PoolEntry): PoolEntry | undefined;
  /**
   * Where a run really starts, asked once per run when its first entry first reaches the top (the
   * caller found it from what it last knew of the sender's nonce): that entry, another one of the
   * sender's, or undefined where the sender has none to run now. Default: the entry given. A first
   * entry priced out at the base fee never reaches the top: the caller confirms such runs itself.
   */
  confirm?(first: PoolEntry): PoolEntry | undefined;
  /** An entry passed over (a block in flight holds it): neither returned nor counted; its run goes on. */
  skip?(e: PoolEntry): boolean;
}

const TWO_53 = 2 ** 53;

/**
 * `e`'s effective tip at `baseFee` (whose Number is `baseFeeNumber`) as a Number: in plain arithmetic
 * where the entry's Numbers are exact (PoolEntry.feeCapNumber) and the base fee is below 2^53 wei,
 * else Number of the BigInt tip. Negative where its fee cap is below the base fee.
 */
export function tipNumber(e: PoolEntry, baseFee: bigint, baseFeeNumber: number): number {
  // NaN marks a cap that is not exact.
  if (baseFeeNumber < TWO_53 && !Number.isNaN(e.feeCapNumber) && !Number.isNaN(e.tipCapNumber)) {
    const cap = e.feeCapNumber - baseFeeNumber;
    return e.tipCapNumber < cap ? e.tipCapNumber : cap;
  }
  return Number(effectiveTip(e.tx, baseFee));
}

/**
 * A binary max-heap of slots (one per run) whose top's run moves on in place, or ends. Its arrays
 * are kept from one ordering to the next (grown as needed): a large pool's ordering for every block
 * allocates none.
 */
class RunHeap {
  /** Per slot: the run's current entry, its tip (a Number), its arrival; the heap holds slot numbers. */
  entries: PoolEntry[] = [];
  tips = new Float64Array(0);
  seqs = new Float64Array(0);
  /** Whether the slot's run start was confirmed (RunSteps.confirm). */
  confirmed = new Uint8Array(0);
  private heap = new Int32Array(0);
  size = 0;
  private baseFee = 0n;

  /** Empties the heap for an ordering of at most `capacity` runs at `baseFee`. */
  reset(capacity: number, confirmed: boolean, baseFee: bigint): void {
    if (this.heap.length < capacity) {
      const room = Math.max(capacity, this.heap.length * 2);
      this.tips = new Float64Array(room);
      this.seqs = new Float64Array(room);
      this.confirmed = new Uint8Array(room);
      this.heap = new Int32Array(room);
    }
    this.confirmed.fill(confirmed ? 1 : 0, 0, capacity);
    this.size = 0;
    this.baseFee = baseFee;
  }

  /** Lets go of the entries (the pool may drop them). */
  release(): void {
    this.entries.length = 0;
  }

  /** Adds a run at `entry` (tip `tip`); `heapify` orders them once all are added. */
  push(entry: PoolEntry, tip: number): void {
    const slot = this.size++;
    this.entries[slot] = entry;
    this.tips[slot] = tip;
    this.seqs[slot] = entry.seq;
    this.heap[slot] = slot;
  }

  heapify(): void {
    for (let i = (this.size >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  /** The slot at the top. */
  get top(): number {
    return this.heap[0]!;
  }

  /** The top's run moved on to `entry`, whose tip is `tip`: restores the order. */
  moveTop(entry: PoolEntry, tip: number): void {
    const slot = this.heap[0]!;
    this.entries[slot] = entry;
    this.tips[slot] = tip;
    this.seqs[slot] = entry.seq;
    this.siftDown(0);
  }

  removeTop(): void {
    const last = this.heap[--this.size]!;
    if (this.size === 0) return;
    this.heap[0] = last;
    this.siftDown(0);
  }

  /** Whether slot `a`'s run goes before slot `b`'s. */
  private better(a: number, b: number): boolean {
    const ta = this.tips[a]!;
    const tb = this.tips[b]!;
    // Number() keeps the order of BigInts; two tips it rounds together are compared exactly.
    if (ta !== tb) return ta > tb;
    if (ta >= TWO_53) {
      const ea = effectiveTip(this.entries[a]!.tx, this.baseFee);
      const eb = effectiveTip(this.entries[b]!.tx, this.baseFee);
      if (ea !== eb) return ea > eb;
    }
    return this.seqs[a]! < this.seqs[b]!;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = this.size;
    const item = heap[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && this.better(heap[r]!, heap[l]!) ? r : l;
      if (!this.better(heap[child]!, item)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = item;
  }
}

/** The one heap every ordering uses in turn (an ordering runs to its end synchronously). */
const RUN_HEAP = new RunHeap();

/**
 * Orders the runs that start at `firsts` for a block at `baseFee`, at most `limit` transactions. A run
 * stops at its first transaction whose fee cap is below the base fee: the ones after it cannot go first.
 */
export function orderByPriceAndNonce(
  firsts: readonly PoolEntry[],
  baseFee: bigint,
  steps: RunSteps,
  limit = Number.POSITIVE_INFINITY,
): SignedTransaction[] {
  const baseFeeNumber = Number(baseFee);
  const heap = RUN_HEAP;
  heap.reset(firsts.length, steps.confirm === undefined, baseFee);
  for (const entry of firsts) {
    const tip = tipNumber(entry, baseFee, baseFeeNumber);
    if (tip >= 0) heap.push(entry, tip);
  }
  heap.heapify();
  const out: SignedTransaction[] = [];
  /** Moves the top's run to `entry` (undefined, or priced out: the run ends). */
  const moveTop = (entry: PoolEntry | undefined): void => {
    const tip = entry === undefined ? -1 : tipNumber(entry, baseFee, baseFeeNumber);
    if (tip < 0) heap.removeTop();
    else heap.moveTop(entry!, tip);
  };
  try {
    while (heap.size > 0 && out.length < limit) {
      const slot = heap.top;
      const entry = heap.entries[slot]!;
      if (heap.confirmed[slot] === 0) {
        heap.confirmed[slot] = 1;
        const start = steps.confirm!(entry);
        if (start !== entry) {
          moveTop(start);
          continue;
        }
      }
      if (steps.skip?.(entry) !== true) out.push(entry.tx);
      moveTop(steps.next(entry));
    }
  } finally {
    heap.release();
  }
  return out;
}
