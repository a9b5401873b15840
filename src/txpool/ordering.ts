// Block order for the pool's executable transactions (geth's TransactionsByPriceAndNonce): a heap of
// each sender's next transaction, best effective tip first, earlier arrival first among equal tips;
// taking a sender's transaction puts its next nonce in the heap, so each sender stays in nonce order.
// The order is produced as it is taken: a block takes its fill from a large pool without ordering
// the rest.
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

interface Head {
  entry: PoolEntry;
  tip: bigint;
  /** `tip` as a Number, compared first (no BigInt work in the heap); exact below 2^53. */
  tipNumber: number;
  confirmed: boolean;
}

const TWO_53 = 2 ** 53;

function better(a: Head, b: Head): boolean {
  // Number() keeps the order of BigInts; two tips it rounds together are compared exactly.
  if (a.tipNumber !== b.tipNumber) return a.tipNumber > b.tipNumber;
  if (a.tipNumber >= TWO_53 && a.tip !== b.tip) return a.tip > b.tip;
  return a.entry.seq < b.entry.seq;
}

/** A binary max-heap of run heads whose top is changed in place (a run moves on, or ends). */
class HeadHeap {
  constructor(private readonly items: Head[]) {
    for (let i = (items.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  get size(): number {
    return this.items.length;
  }

  get top(): Head {
    return this.items[0]!;
  }

  /** The top's entry changed: restores the order. */
  topChanged(): void {
    this.siftDown(0);
  }

  removeTop(): void {
    const items = this.items;
    const last = items.pop()!;
    if (items.length === 0) return;
    items[0] = last;
    this.siftDown(0);
  }

  private siftDown(i: number): void {
    const items = this.items;
    const n = items.length;
    const item = items[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && better(items[r]!, items[l]!) ? r : l;
      if (!better(items[child]!, item)) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = item;
  }
}

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
  const heads: Head[] = [];
  const confirmed = steps.confirm === undefined;
  for (const entry of firsts) {
    const tip = effectiveTip(entry.tx, baseFee);
    if (tip >= 0n) heads.push({ entry, tip, tipNumber: Number(tip), confirmed });
  }
  const heap = new HeadHeap(heads);
  const out: SignedTransaction[] = [];
  /** Moves the top's run to `entry` (undefined, or priced out: the run ends). */
  const moveTop = (entry: PoolEntry | undefined): void => {
    const tip = entry === undefined ? -1n : effectiveTip(entry.tx, baseFee);
    if (entry === undefined || tip < 0n) {
      heap.removeTop();
      return;
    }
    const h = heap.top;
    h.entry = entry;
    h.tip = tip;
    h.tipNumber = Number(tip);
    heap.topChanged();
  };
  while (heap.size > 0 && out.length < limit) {
    const h = heap.top;
    if (!h.confirmed) {
      h.confirmed = true;
      const start = steps.confirm!(h.entry);
      if (start !== h.entry) {
        moveTop(start);
        continue;
      }
    }
    if (steps.skip?.(h.entry) !== true) out.push(h.entry.tx);
    moveTop(steps.next(h.entry));
  }
  return out;
}
