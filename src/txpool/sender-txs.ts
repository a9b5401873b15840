// One sender's transactions in the pool, keyed by nonce. Those at the account's nonce and after it
// without a gap are pending (executable in order); the rest wait in the queue until the gap fills.
import type { SignedTransaction } from "../chain/types.js";
import { feeCap, tipCap } from "./price.js";

export interface PoolEntry {
  tx: SignedTransaction;
  /** Arrival order across the pool: breaks ties between equal tips (first come, first served). */
  seq: number;
  /** Part of the sender's gap-free run from the account nonce. */
  pending: boolean;
  /**
   * The fee cap and tip cap as Numbers, so that block order finds tips without BigInt work: exact
   * below 2^53 wei; a fee cap of 2^54 or more is Infinity (above any base fee below 2^53 by more than
   * any tip below 2^53: the tip is the tip cap); NaN otherwise (that entry's tip is found in BigInts).
   */
  feeCapNumber: number;
  tipCapNumber: number;
}

const TWO_53 = 2n ** 53n;
const TWO_54 = 2n ** 54n;

/** A pooled transaction's entry, arrived `seq`-th. */
export function poolEntry(tx: SignedTransaction, seq: number): PoolEntry {
  const fee = feeCap(tx);
  const tip = tipCap(tx);
  return {
    tx,
    seq,
    pending: false,
    feeCapNumber: fee < TWO_53 ? Number(fee) : fee >= TWO_54 ? Number.POSITIVE_INFINITY : Number.NaN,
    tipCapNumber: tip < TWO_53 ? Number(tip) : Number.NaN,
  };
}

export class SenderTxs {
  readonly byNonce = new Map<bigint, PoolEntry>();
  /** Length of the gap-free run of nonces from `base`. */
  pendingCount = 0;
  /** The entry at `base`, if any (block order starts each sender there: no BigInt-keyed lookup). */
  first: PoolEntry | undefined = undefined;

  constructor(
    /** The account's nonce at the last check (moved by `rebase` only). */
    private base_: bigint,
  ) {}

  get base(): bigint {
    return this.base_;
  }

  get size(): number {
    return this.byNonce.size;
  }

  /** Adds or replaces the entry at its nonce; returns the entries that became pending (it included). */
  put(entry: PoolEntry): PoolEntry[] {
    const nonce = entry.tx.nonce;
    const old = this.byNonce.get(nonce);
    this.byNonce.set(nonce, entry);
    if (nonce === this.base_) this.first = entry;
    if (old !== undefined) {
      entry.pending = old.pending;
      return entry.pending ? [entry] : [];
    }
    entry.pending = false;
    if (nonce !== this.base + BigInt(this.pendingCount)) return [];
    // The entry closes the gap: it and the queued run behind it become pending.
    const promoted: PoolEntry[] = [];
    let n = nonce;
    for (let e: PoolEntry | undefined = entry; e !== undefined; e = this.byNonce.get(++n)) {
      e.pending = true;
      promoted.push(e);
      this.pendingCount++;
    }
    return promoted;
  }

  /** Removes the entry at `nonce`; the pending ones after it fall back to the queue. */
  delete(nonce: bigint): PoolEntry | undefined {
    const entry = this.byNonce.get(nonce);
    if (entry === undefined) return undefined;
    this.byNonce.delete(nonce);
    if (entry === this.first) this.first = undefined;
    if (entry.pending) {
      this.pendingCount = Number(nonce - this.base);
      for (const e of this.byNonce.values()) if (e.tx.nonce > nonce) e.pending = false;
    }
    return entry;
  }

  /**
   * Moves the base to the account's nonce: drops the entries below it (returned as `stale`) and
   * recounts the pending run (entries that became pending are returned as `promoted`).
   */
  rebase(base: bigint): { stale: PoolEntry[]; promoted: PoolEntry[] } {
    const stale: PoolEntry[] = [];
    for (const [nonce, e] of this.byNonce) {
      if (nonce < base) {
        this.byNonce.delete(nonce);
        stale.push(e);
      }
    }
    this.base_ = base;
    return { stale, promoted: this.recount() };
  }

  /** Recomputes every entry's pending flag from `base`; returns those that became pending. */
  recount(): PoolEntry[] {
    this.first = this.byNonce.get(this.base_);
    let count = 0;
    while (this.byNonce.has(this.base + BigInt(count))) count++;
    this.pendingCount = count;
    const end = this.base + BigInt(count);
    const promoted: PoolEntry[] = [];
    for (const e of this.byNonce.values()) {
      const pending = e.tx.nonce < end;
      if (pending && !e.pending) promoted.push(e);
      e.pending = pending;
    }
    return promoted;
  }

  /** The pending entries in nonce order. */
  pendingRun(): PoolEntry[] {
    const out: PoolEntry[] = new Array(this.pendingCount);
    for (let i = 0; i < this.pendingCount; i++) out[i] = this.byNonce.get(this.base + BigInt(i))!;
    return out;
  }

  /** The queued entries in nonce order. */
  queuedRun(): PoolEntry[] {
    const out: PoolEntry[] = [];
    for (const e of this.byNonce.values()) if (!e.pending) out.push(e);
    return out.sort((a, b) => (a.tx.nonce < b.tx.nonce ? -1 : 1));
  }
}
