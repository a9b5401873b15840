// Block order for the pool's executable transactions (geth's TransactionsByPriceAndNonce): a heap of
// each sender's next transaction, best effective tip first, earlier arrival first among equal tips;
// taking a sender's transaction puts its next nonce in the heap, so each sender stays in nonce order.
import type { SignedTransaction } from "../chain/types.js";
import { effectiveTip } from "./price.js";
import type { PoolEntry } from "./sender-txs.js";

interface Head {
  run: PoolEntry[];
  index: number;
  tip: bigint;
  seq: number;
}

function better(a: Head, b: Head): boolean {
  return a.tip !== b.tip ? a.tip > b.tip : a.seq < b.seq;
}

class HeadHeap {
  private readonly items: Head[] = [];

  get size(): number {
    return this.items.length;
  }

  push(h: Head): void {
    const items = this.items;
    let i = items.push(h) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!better(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): Head {
    const items = this.items;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < items.length && better(items[l]!, items[best]!)) best = l;
        if (r < items.length && better(items[r]!, items[best]!)) best = r;
        if (best === i) break;
        [items[i], items[best]] = [items[best]!, items[i]!];
        i = best;
      }
    }
    return top;
  }
}

/**
 * Orders senders' runs (each in nonce order, gap-free) for a block at `baseFee`. A run stops at its
 * first transaction whose fee cap is below the base fee: the ones after it cannot go first.
 */
export function orderByPriceAndNonce(runs: readonly PoolEntry[][], baseFee: bigint): SignedTransaction[] {
  const heap = new HeadHeap();
  const head = (run: PoolEntry[], index: number): Head | undefined => {
    const e = run[index];
    if (e === undefined) return undefined;
    const tip = effectiveTip(e.tx, baseFee);
    return tip < 0n ? undefined : { run, index, tip, seq: e.seq };
  };
  for (const run of runs) {
    const h = head(run, 0);
    if (h !== undefined) heap.push(h);
  }
  const out: SignedTransaction[] = [];
  while (heap.size > 0) {
    const h = heap.pop();
    out.push(h.run[h.index]!.tx);
    const next = head(h.run, h.index + 1);
    if (next !== undefined) heap.push(next);
  }
  return out;
}
