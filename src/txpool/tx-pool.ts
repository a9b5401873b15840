// The transaction pool: transactions waiting for a block, per sender in nonce order. Those at the
// sender's account nonce and after it without a gap are pending (executable); the rest are queued
// until the gap fills. Admission follows geth's rules and messages (validate.ts); a transaction at
// a nonce already taken replaces it by replacement.ts's rule. Raw transactions are decoded and their
// senders recovered on the main thread when few arrive at once, and on a pool of worker threads
// (recover-pool.ts) when many do.
//
// The defaults are a dev node's, as anvil's pool: any number of transactions per sender, of any
// size, and a replacement needs only a higher fee cap. geth's caps for a chain that faces the public
// (per sender, per transaction size, the price bump) apply only when given. What stays capped by
// default is the whole pool, so memory stays bounded: in transactions (about 1.7 KB of heap each for a
// transfer) and in bytes (what each one holds: heldBytes). Past one of those, an executable
// transaction pushes queued ones out, farthest from executable first; anything else is refused with
// geth's "txpool is full" (makeRoom).

import { BYTES_PER_BLOB, MAX_BLOBS_PER_TX, splitBlobNetworkForm, verifyBlobSidecar } from "../chain/blob-sidecar.js";
import { TxDecodeError } from "../chain/errors.js";
import { decodeTransaction } from "../chain/transaction.js";
import type { SignedTransaction } from "../chain/types.js";
import type { Host } from "../evm/host.js";
import { TX_BASE_COST } from "../evm/params.js";
import { encodedTx } from "../exec/tx-wire.js";
import { fromDecodeError, TxPoolError } from "./errors.js";
import { orderByPriceAndNonce, tipNumber } from "./ordering.js";
import { effectiveTip, maxCost } from "./price.js";
import { defaultRecoverThreads, RecoverPool } from "./recover-pool.js";
import { isRecoverFailure, type Recovered } from "./recover-wire.js";
import { checkReplacement } from "./replacement.js";
import { type PoolEntry, poolEntry, SenderTxs } from "./sender-txs.js";
import { type HeadLimits, validateAgainstAccount, validateStateless } from "./validate.js";

export interface TxPoolOptions {
  chainId: bigint;
  /** The head state (read for senders' nonces and balances). */
  state: () => Host;
  /** Base fee of the next block. */
  baseFee: () => bigint;
  /** Gas limit of the next block. */
  blockGasLimit: () => bigint;
  /** Blob base fee of the next block; blob fee caps are left to the block when absent. */
  blobBaseFee?: () => bigint;
  /** Largest raw transaction accepted, in bytes (default: no limit, as anvil; geth's is 128 KiB). */
  maxTxBytes?: number;
  /**
   * geth's replacement rule: how much higher (percent) both fee caps of a replacement must be (geth's
   * is 10). Default: anvil's rule, any higher fee cap (replacement.ts).
   */
  priceBump?: number;
  /** Most transactions one sender may have in the pool, pending and queued (default: no cap, as anvil). */
  maxPerSender?: number;
  /** Most transactions in the pool (default DEFAULT_MAX_TXS). */
  maxTotal?: number;
  /** Most bytes the pooled transactions hold (see heldBytes; default 256 MiB). */
  maxBytes?: number;
  /** Worker threads for signature recovery (default: cores - 1, at most 4); 0 recovers on the main thread only. */
  recoverThreads?: number;
  /** Raw transactions arriving together below this count are recovered on the main thread (default 16). */
  inlineBelow?: number;
  /**
   * Gets what an onPending listener threw (the add or block that triggered it goes on regardless).
   * By default the error is rethrown outside the pool's call, as an uncaught exception.
   */
  onListenerError?: (error: unknown) => void;
}

export interface TxPoolContent {
  /** Per sender, in nonce order. */
  pending: Map<bigint, SignedTransaction[]>;
  queued: Map<bigint, SignedTransaction[]>;
}

export interface TxPoolStatus {
  pending: number;
  queued: number;
}

/** The pool's default byte cap: 256 MiB held by pooled transactions (geth's default slots hold about 190 MiB). */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

/**
 * The pool's default count cap: 2^18 transactions, about 450 MB of heap when they are transfers. anvil
 * has no cap at all; this one is far above what a script queues before mining, and stops a runaway
 * sender before the node runs out of memory.
 */
export const DEFAULT_MAX_TXS = 262_144;

/** candidates() offers at most this many, whatever the gas limit (more than a pool holds by default). */
const MAX_CANDIDATES = 1n << 20n;

interface Incoming {
  raw: Uint8Array;
  resolve: (hash: bigint) => void;
  reject: (error: Error) => void;
}

/**
 * The bytes a pooled transaction keeps alive: its encoded form, and its calldata where that is a copy
 * of its own (transactions recovered on workers carry one) rather than a view into the encoded form.
 */
export function heldBytes(tx: SignedTransaction): number {
  return tx.raw.length + (tx.data.buffer === tx.raw.buffer ? 0 : tx.data.length);
}

export class TxPool {
  private readonly senders = new Map<bigint, SenderTxs>();
  private readonly byHash = new Map<bigint, PoolEntry>();
  private readonly listeners = new Set<(tx: SignedTransaction) => void>();
  private readonly maxTxBytes: number;
  /** Largest blob transaction in network form: the canonical limit plus a full sidecar (6 blobs, Cancun). */
  private readonly maxBlobTxBytes: number;
  /** undefined: anvil's replacement rule; a percentage: geth's. */
  private readonly priceBump: bigint | undefined;
  private readonly maxPerSender: number;
  private readonly maxTotal: number;
  private readonly maxBytes: number;
  /** What every pooled transaction holds (heldBytes). */
  private pooledBytes = 0;
  /** The block gas limit every pooled transaction was last checked against (revalidate). */
  private checkedGasLimit = -1n;
  private readonly recoverThreads: number;
  private readonly inlineBelow: number;
  private recoverPool: RecoverPool | undefined;
  /** How many raw transactions were recovered where (for tests and metrics). */
  readonly recovered = { inline: 0, workers: 0 };
  /** Wall-clock milliseconds spent waiting for recovery batches (weft_metrics). */
  recoverMs = 0;
  /** Milliseconds spent admitting recovered transactions (checks against the head's state, queues; weft_metrics). */
  admitMs = 0;
  private incoming: Incoming[] = [];
  private draining = false;
  private seq = 0;
  private closed = false;
  /**
   * Per sender, where the run pending() offers ends, for the account nonce and base fee it was found
   * at; extended as the sender's next transactions arrive, dropped when one leaves the pool.
   */
  private readonly runEnds = new Map<bigint, { from: bigint; baseFee: bigint; end: bigint }>();

  constructor(private readonly options: TxPoolOptions) {
    this.maxTxBytes = options.maxTxBytes ?? Number.POSITIVE_INFINITY;
    this.maxBlobTxBytes = this.maxTxBytes + MAX_BLOBS_PER_TX * (BYTES_PER_BLOB + 2 * 48 + 16) + 64;
    const bump = options.priceBump;
    if (bump !== undefined && (!Number.isInteger(bump) || bump < 0)) {
      throw new RangeError(`TxPool: priceBump ${bump} is not a whole percent`);
    }
    this.priceBump = bump === undefined ? undefined : BigInt(bump);
    this.maxPerSender = options.maxPerSender ?? Number.POSITIVE_INFINITY;
    this.maxTotal = options.maxTotal ?? DEFAULT_MAX_TXS;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.recoverThreads = options.recoverThreads ?? defaultRecoverThreads();
    this.inlineBelow = options.inlineBelow ?? 16;
  }

  // --- adding ---------------------------------------------------------------------------------

  /** Adds a decoded transaction whose sender is known (recovered, or impersonated); returns its hash. */
  add(tx: SignedTransaction): bigint {
    if (this.byHash.has(tx.hash)) throw new TxPoolError("ALREADY_KNOWN");
    const head = this.head();
    validateStateless(tx, head);
    // Checked against another gas limit than the pool's: the next block re-checks every sender.
    if (head.blockGasLimit !== this.checkedGasLimit) this.checkedGasLimit = -1n;
    // Encoded for the block executor's workers now, off the block's path (kept with the object).
    encodedTx(tx);
    const account = this.options.state().account(tx.sender);
    validateAgainstAccount(tx, account);

    const nonce = account?.nonce ?? 0n;
    let sender = this.senders.get(tx.sender);
    if (sender !== undefined && sender.base !== nonce) {
      // The head moved without onBlock: catch this sender up first (and say what that promoted).
      const promoted: PoolEntry[] = [];
      this.rebase(sender, nonce, promoted);
      if (sender.size === 0) {
        this.senders.delete(tx.sender);
        sender = undefined;
      }
      this.announce(promoted);
    }
    sender ??= new SenderTxs(nonce);

    const old = sender.byNonce.get(tx.nonce);
    if (old !== undefined) checkReplacement(old.tx, tx, this.priceBump);
    else if (sender.size >= this.maxPerSender) {
      throw new TxPoolError(
        "ACCOUNT_LIMIT_EXCEEDED",
        `${sender.size} transactions from this sender, limit ${this.maxPerSender}`,
      );
    }
    const executable = old !== undefined ? old.pending : tx.nonce === sender.base + BigInt(sender.pendingCount);
    this.makeRoom(tx, old, executable);

    if (sender.size === 0) this.senders.set(tx.sender, sender);
    if (old !== undefined) this.unindex(old.tx.hash);
    const entry = poolEntry(tx, this.seq++);
    this.index(entry);
    this.announce(sender.put(entry));
    this.extendRun(tx.sender, tx.nonce);
    return tx.hash;
  }

  /**
   * Frees room for `tx` (replacing `old`, if any) under the count and byte caps. Past a cap, an
   * executable transaction pushes out queued ones, farthest from executable first (as geth drops
   * queued before pending); a queued one is refused: queued transactions cost nothing to send (they
   * never run), so letting them push anything out would let one sender fill the pool and lock every
   * other sender out.
   */
  private makeRoom(tx: SignedTransaction, old: PoolEntry | undefined, executable: boolean): void {
    for (;;) {
      const bytes = this.pooledBytes - (old === undefined ? 0 : heldBytes(old.tx)) + heldBytes(tx);
      const count = this.byHash.size + (old === undefined ? 1 : 0);
      if (bytes <= this.maxBytes && count <= this.maxTotal) return;
      const victim = executable ? this.farthestQueued() : undefined;
      if (victim === undefined) {
        throw new TxPoolError(
          "POOL_FULL",
          count > this.maxTotal
            ? `${this.byHash.size} transactions, limit ${this.maxTotal}`
            : `${this.pooledBytes} bytes of transactions, limit ${this.maxBytes}`,
        );
      }
      this.remove(victim.tx.hash);
    }
  }

  /** The queued transaction farthest (in nonces) from its sender's executable run; the larger on a tie. */
  private farthestQueued(): PoolEntry | undefined {
    let best: PoolEntry | undefined;
    let bestDistance = -1n;
    for (const sender of this.senders.values()) {
      for (const e of sender.byNonce.values()) {
        if (e.pending) continue;
        const distance = e.tx.nonce - sender.base;
        if (distance > bestDistance || (distance === bestDistance && e.tx.raw.length > best!.tx.raw.length)) {
          best = e;
          bestDistance = distance;
        }
      }
    }
    return best;
  }

  private index(entry: PoolEntry): void {
    this.byHash.set(entry.tx.hash, entry);
    this.pooledBytes += heldBytes(entry.tx);
  }

  private unindex(hash: bigint): PoolEntry | undefined {
    const entry = this.byHash.get(hash);
    if (entry === undefined) return undefined;
    this.runEnds.delete(entry.tx.sender);
    this.byHash.delete(hash);
    this.pooledBytes -= heldBytes(entry.tx);
    return entry;
  }

  /**
   * Decodes `raw`, recovers its sender and adds it; resolves to its hash or rejects with a
   * TxPoolError. Calls arriving together are recovered together (on worker threads when many).
   */
  addRaw(raw: Uint8Array): Promise<bigint> {
    // A blob transaction in network form: its sidecar is checked here, the canonical form goes on.
    if (raw[0] === 3 && raw.length <= this.maxBlobTxBytes) {
      let canonical: Uint8Array;
      try {
        canonical = this.unwrapBlobSidecar(raw) ?? raw;
      } catch (e) {
        if (e instanceof TxDecodeError) return Promise.reject(fromDecodeError(e.code, e.message));
        return Promise.reject(e);
      }
      raw = canonical;
    }
    return new Promise((resolve, reject) => this.enqueue({ raw, resolve, reject }));
  }

  /**
   * The canonical form of a type-3 transaction in network form, once its sidecar is checked against
   * its versioned hashes (KZG proofs included); undefined for a canonical form. Synchronous: a
   * sidecar check takes tens of milliseconds, and blob transactions are few.
   */
  private unwrapBlobSidecar(raw: Uint8Array): Uint8Array | undefined {
    const split = splitBlobNetworkForm(raw);
    if (split === undefined) return undefined;
    if (split.canonical.length > this.maxTxBytes) return split.canonical; // turned away as oversized
    const tx = decodeTransaction(split.canonical, { chainId: this.options.chainId });
    verifyBlobSidecar(tx.blobVersionedHashes ?? [], split.sidecar);
    return split.canonical;
  }

  /** Adds many raw transactions in order, recovering them over the worker threads; rejections come back in place. */
  addRawBatch(raws: readonly Uint8Array[]): Promise<(bigint | TxPoolError)[]> {
    return Promise.all(
      raws.map((raw) => this.addRaw(raw).catch((e: unknown) => (e instanceof TxPoolError ? e : Promise.reject(e)))),
    );
  }

  private enqueue(item: Incoming): void {
    if (this.closed) {
      item.reject(new Error("TxPool: closed"));
      return;
    }
    // Too large to decode at all: turned away before any work.
    if (item.raw.length > this.maxTxBytes) {
      item.reject(new TxPoolError("OVERSIZED_DATA", `transaction size ${item.raw.length}, limit ${this.maxTxBytes}`));
      return;
    }
    this.incoming.push(item);
    if (this.draining) return;
    this.draining = true;
    // One turn's worth of arrivals (a JSON-RPC batch, concurrent requests) is recovered together.
    setImmediate(() => void this.drain());
  }

  /** Recovers and adds what has arrived, batch after batch, in arrival order. */
  private async drain(): Promise<void> {
    try {
      while (this.incoming.length > 0) {
        const batch = this.incoming;
        this.incoming = [];
        let recovered: Recovered[];
        try {
          recovered = await this.recover(batch.map((i) => i.raw));
        } catch (e) {
          for (const item of batch) item.reject(e instanceof Error ? e : new Error(String(e)));
          continue;
        }
        const admitting = performance.now();
        for (let i = 0; i < batch.length; i++) {
          const item = batch[i]!;
          const r = recovered[i]!;
          try {
            if (!isRecoverFailure(r)) item.resolve(this.add(r));
            else if (r.code === "INTERNAL") item.reject(new Error(`transaction decoding failed: ${r.message}`));
            else item.reject(fromDecodeError(r.code, r.message));
          } catch (e) {
            item.reject(e instanceof Error ? e : new Error(String(e)));
          }
        }
        this.admitMs += performance.now() - admitting;
      }
    } finally {
      this.draining = false;
    }
  }

  private async recover(raws: Uint8Array[]): Promise<Recovered[]> {
    const started = performance.now();
    try {
      return await this.recoverNow(raws);
    } finally {
      this.recoverMs += performance.now() - started;
    }
  }

  private async recoverNow(raws: Uint8Array[]): Promise<Recovered[]> {
    const opts = { chainId: this.options.chainId };
    if (raws.length >= this.inlineBelow && this.recoverThreads > 0) {
      this.recoverPool ??= new RecoverPool(this.recoverThreads);
      this.recovered.workers += raws.length;
      return this.recoverPool.recover(raws, opts);
    }
    this.recovered.inline += raws.length;
    return raws.map((raw) => {
      try {
        return decodeTransaction(raw, opts);
      } catch (e) {
        if (e instanceof TxDecodeError) return { code: e.code, message: e.message };
        throw e;
      }
    });
  }

  private head(): HeadLimits {
    const head: HeadLimits = {
      chainId: this.options.chainId,
      baseFee: this.options.baseFee(),
      blockGasLimit: this.options.blockGasLimit(),
      maxTxBytes: this.maxTxBytes,
    };
    if (this.options.blobBaseFee !== undefined) head.blobBaseFee = this.options.blobBaseFee();
    return head;
  }

  // --- blocks and revalidation ----------------------------------------------------------------

  /**
   * After a block: drops the transactions it included, then revalidates the senders against the new
   * head (used nonces, balances, the gas limit), promoting queued transactions whose gap closed.
   * Given the block's `changed` accounts (its writes' addresses), only the senders among them are read
   * again: another sender's nonce and balance are as they were when last checked (unless the gas
   * limit moved, which re-checks them all).
   */
  onBlock(mined: readonly SignedTransaction[], changed?: ReadonlyMap<bigint, unknown>): void {
    for (const tx of mined) this.remove(tx.hash);
    if (changed === undefined || this.options.blockGasLimit() !== this.checkedGasLimit) {
      this.revalidate();
      return;
    }
    const state = this.options.state();
    const promoted: PoolEntry[] = [];
    // Walk the smaller side: a block's writes, or the pool's senders.
    if (changed.size <= this.senders.size) {
      for (const address of changed.keys()) {
        const sender = this.senders.get(address);
        if (sender !== undefined) this.recheck(state, address, sender, this.checkedGasLimit, promoted);
      }
    } else {
      for (const [address, sender] of this.senders) {
        if (changed.has(address)) this.recheck(state, address, sender, this.checkedGasLimit, promoted);
      }
    }
    this.announcePromoted(promoted);
  }

  /**
   * Re-checks every sender against the head state (after a block, a revert, or a dev method that set
   * a nonce or balance): drops transactions whose nonce is used, that the sender can no longer pay
   * for, or that exceed the block gas limit; transactions after a dropped one wait in the queue.
   */
  revalidate(): void {
    const state = this.options.state();
    const gasLimit = this.options.blockGasLimit();
    const promoted: PoolEntry[] = [];
    for (const [address, sender] of this.senders) this.recheck(state, address, sender, gasLimit, promoted);
    this.checkedGasLimit = gasLimit;
    this.announcePromoted(promoted);
  }

  /** Re-checks one sender's transactions against its account in `state` and `gasLimit`. */
  private recheck(state: Host, address: bigint, sender: SenderTxs, gasLimit: bigint, promoted: PoolEntry[]): void {
    const account = state.account(address);
    this.rebase(sender, account?.nonce ?? 0n, promoted);
    const balance = account?.balance ?? 0n;
    let dropped = false;
    for (const [nonce, entry] of sender.byNonce) {
      if (maxCost(entry.tx) <= balance && entry.tx.gasLimit <= gasLimit) continue;
      sender.byNonce.delete(nonce);
      this.unindex(entry.tx.hash);
      dropped = true;
    }
    if (dropped) promoted.push(...sender.recount());
    if (sender.size === 0) this.senders.delete(address);
  }

  private announcePromoted(promoted: PoolEntry[]): void {
    // A promoted entry may have been dropped after it was promoted.
    this.announce(promoted.filter((e) => this.byHash.get(e.tx.hash) === e && e.pending));
  }

  private rebase(sender: SenderTxs, nonce: bigint, promoted: PoolEntry[]): void {
    if (sender.base === nonce) return;
    const moved = sender.rebase(nonce);
    for (const e of moved.stale) this.unindex(e.tx.hash);
    promoted.push(...moved.promoted);
  }

  // --- reading --------------------------------------------------------------------------------

  /**
   * The executable transactions in block order at `baseFee` (default: the next block's): by
   * effective tip, best first, each sender's in nonce order from its account nonce. A sender's run
   * stops at a transaction whose fee cap is below the base fee. At most `limit` of them; `skip`
   * passes over some (a block in flight holds them) without counting them. `state`: where account
   * nonces are read (default: the pool's, the head's; a block built on a block in flight reads the
   * state after that block: its senders' next transactions are confirmed at once).
   */
  pending(
    baseFee: bigint = this.options.baseFee(),
    limit = Number.POSITIVE_INFINITY,
    skip?: (hash: bigint) => boolean,
    state: Host = this.options.state(),
  ): SignedTransaction[] {
    // A run is found from the nonce the pool last checked (blocks and dev edits tell it), and
    // confirmed against the state only once the order reaches it: a block's worth of reads, not one
    // per sender. A run that would not start there (nothing at that nonce, or priced out) is looked
    // up now, in case no one told the pool of a change yet.
    const nonceNow = (address: bigint): bigint => state.account(address)?.nonce ?? 0n;
    const firsts: PoolEntry[] = [];
    const baseFeeNumber = Number(baseFee);
    for (const [address, sender] of this.senders) {
      let first = sender.first;
      if (first === undefined || !(tipNumber(first, baseFee, baseFeeNumber) >= 0)) {
        first = sender.byNonce.get(nonceNow(address));
      }
      if (first !== undefined) firsts.push(first);
    }
    const entryAt = (address: bigint, nonce: bigint) => this.senders.get(address)?.byNonce.get(nonce);
    return orderByPriceAndNonce(
      firsts,
      baseFee,
      {
        next: (e) => entryAt(e.tx.sender, e.tx.nonce + 1n),
        confirm: (e) => {
          const nonce = nonceNow(e.tx.sender);
          return nonce === e.tx.nonce ? e : entryAt(e.tx.sender, nonce);
        },
        ...(skip !== undefined ? { skip: (e: PoolEntry) => skip(e.tx.hash) } : {}),
      },
      limit,
    );
  }

  /**
   * What the next block can take, in block order: pending() up to a full block's worth (every
   * transaction costs at least 21,000 gas), so a large pool is not ordered and checked whole for
   * each block. `skip` and `state` as in pending().
   */
  candidates(skip?: (hash: bigint) => boolean, state?: Host): SignedTransaction[] {
    const most = this.options.blockGasLimit() / BigInt(TX_BASE_COST);
    return this.pending(this.options.baseFee(), Number(most > MAX_CANDIDATES ? MAX_CANDIDATES : most), skip, state);
  }

  /**
   * Whether `hash` is pooled and among what pending() offers now at `baseFee`: in its sender's
   * gap-free run from the account nonce, with no fee cap below the base fee up to it.
   */
  isExecutable(hash: bigint, baseFee: bigint = this.options.baseFee()): boolean {
    const tx = this.byHash.get(hash)?.tx;
    if (tx === undefined) return false;
    const from = this.options.state().account(tx.sender)?.nonce ?? 0n;
    return tx.nonce >= from && tx.nonce < this.runEnd(tx.sender, from, baseFee);
  }

  /**
   * The first nonce past `address`'s run from `from` at `baseFee`. Kept until the sender's
   * transactions change: checks of other senders' sends do not walk this run again.
   */
  private runEnd(address: bigint, from: bigint, baseFee: bigint): bigint {
    const known = this.runEnds.get(address);
    if (known !== undefined && known.from === from && known.baseFee === baseFee) return known.end;
    const end = this.runFrom(address, from, baseFee);
    this.runEnds.set(address, { from, baseFee, end });
    return end;
  }

  /** The first nonce from `from` on where `address` has no transaction, or one priced out at `baseFee`. */
  private runFrom(address: bigint, from: bigint, baseFee: bigint): bigint {
    const sender = this.senders.get(address);
    let end = from;
    if (sender !== undefined) {
      for (let e = sender.byNonce.get(end); e !== undefined && effectiveTip(e.tx, baseFee) >= 0n; ) {
        e = sender.byNonce.get(++end);
      }
    }
    return end;
  }

  /**
   * A transaction of `address` at `nonce` just pooled (a replacement's run went with the one it
   * replaced): where it continues the run found before, the run goes on from it (a burst of one
   * sender's sends walks its run once in all); anywhere else the run is found again at the next check.
   */
  private extendRun(address: bigint, nonce: bigint): void {
    const known = this.runEnds.get(address);
    if (known === undefined) return;
    if (nonce === known.end) known.end = this.runFrom(address, known.end, known.baseFee);
    else if (nonce < known.end) this.runEnds.delete(address);
  }

  /** The next nonce for `address` counting its pending transactions (eth_getTransactionCount "pending"). */
  pendingNonce(address: bigint): bigint {
    let n = this.options.state().account(address)?.nonce ?? 0n;
    const sender = this.senders.get(address);
    if (sender !== undefined) while (sender.byNonce.has(n)) n++;
    return n;
  }

  get(hash: bigint): SignedTransaction | undefined {
    return this.byHash.get(hash)?.tx;
  }

  has(hash: bigint): boolean {
    return this.byHash.has(hash);
  }

  /** Removes one transaction; the sender's later ones wait in the queue. */
  remove(hash: bigint): boolean {
    const entry = this.unindex(hash);
    if (entry === undefined) return false;
    const sender = this.senders.get(entry.tx.sender)!;
    sender.delete(entry.tx.nonce);
    if (sender.size === 0) this.senders.delete(entry.tx.sender);
    return true;
  }

  /** Pending and queued transactions by sender, in nonce order (txpool_content). */
  content(): TxPoolContent {
    const out: TxPoolContent = { pending: new Map(), queued: new Map() };
    for (const [address, sender] of this.senders) {
      const pending = sender.pendingRun();
      const queued = sender.queuedRun();
      if (pending.length > 0)
        out.pending.set(
          address,
          pending.map((e) => e.tx),
        );
      if (queued.length > 0)
        out.queued.set(
          address,
          queued.map((e) => e.tx),
        );
    }
    return out;
  }

  /** Counts of pending and queued transactions (txpool_status). */
  status(): TxPoolStatus {
    let pending = 0;
    for (const sender of this.senders.values()) pending += sender.pendingCount;
    return { pending, queued: this.byHash.size - pending };
  }

  get size(): number {
    return this.byHash.size;
  }

  /** What the pooled transactions hold, in bytes (heldBytes of each: what maxBytes caps). */
  get bytes(): number {
    return this.pooledBytes;
  }

  clear(): void {
    this.runEnds.clear();
    this.senders.clear();
    this.byHash.clear();
    this.pooledBytes = 0;
  }

  // --- events ---------------------------------------------------------------------------------

  /**
   * Calls `listener` with each transaction that becomes pending (on arrival or when its gap closes),
   * after the pool is consistent. Returns the function that unsubscribes it.
   */
  onPending(listener: (tx: SignedTransaction) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private announce(entries: readonly PoolEntry[]): void {
    if (entries.length === 0 || this.listeners.size === 0) return;
    const sorted = [...entries].sort((a, b) => (a.tx.nonce < b.tx.nonce ? -1 : a.tx.nonce > b.tx.nonce ? 1 : 0));
    for (const listener of [...this.listeners]) {
      for (const e of sorted) {
        try {
          listener(e.tx);
        } catch (error) {
          // A listener's bug must not fail the add that triggered it.
          const report = this.options.onListenerError;
          if (report !== undefined) report(error);
          else
            queueMicrotask(() => {
              throw error;
            });
        }
      }
    }
  }

  /** Stops the recovery workers; later addRaw calls reject. */
  async close(): Promise<void> {
    this.closed = true;
    const pool = this.recoverPool;
    this.recoverPool = undefined;
    await pool?.terminate();
  }
}
