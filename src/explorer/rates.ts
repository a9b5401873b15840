// Committed throughput as the page sees it: each block counted in the wall-clock second its newHeads
// notification arrived, so the chart moves in real time whatever the blocks' own timestamps say
// (automine packs many blocks into one timestamp second).

export interface RateSeries {
  /** Transactions per second, oldest first, one value per whole second. */
  tps: number[];
  /** Gas per second, aligned with tps. */
  gasPerSecond: number[];
}

export class RateWindow {
  /** Per arrival second (unix seconds): transactions and gas. */
  private readonly buckets = new Map<number, { txs: number; gas: number }>();

  constructor(
    /** How many seconds the series covers. */
    readonly seconds = 60,
  ) {}

  /** A block of `txs` transactions and `gas` gas arrived at `atMs`. */
  add(atMs: number, txs: number, gas: number): void {
    const second = Math.floor(atMs / 1000);
    const bucket = this.buckets.get(second) ?? { txs: 0, gas: 0 };
    bucket.txs += txs;
    bucket.gas += gas;
    this.buckets.set(second, bucket);
    // Forget what has left the window.
    for (const old of this.buckets.keys()) if (old < second - this.seconds) this.buckets.delete(old);
  }

  /** The last `seconds` whole seconds before `nowMs`'s (the current, partial second is left out). */
  series(nowMs: number): RateSeries {
    const current = Math.floor(nowMs / 1000);
    const tps: number[] = [];
    const gasPerSecond: number[] = [];
    for (let second = current - this.seconds; second < current; second++) {
      const bucket = this.buckets.get(second);
      tps.push(bucket?.txs ?? 0);
      gasPerSecond.push(bucket?.gas ?? 0);
    }
    return { tps, gasPerSecond };
  }
}
