// Block production: automine (a block as soon as transactions are pending, as anvil), interval mining
// (--block-time), manual mining (evm_mine / anvil_mine), each block's timestamp from the dev clock
// (block-clock.ts), and the dev edits of chain state. Everything that changes the chain runs through
// one queue, so blocks, snapshots, reverts and account edits never interleave. Automine starts each
// block while the one before it is still being written (Chain.startMining); every block is reported
// (pool, listeners, waiting senders) only once durable, in order. A transaction reaches automine one
// way: the pool's listener (onPendingTx) queues a round; an eth_send* caller (afterSubmit) only waits.
//
// A chain write the disk refuses (full, I/O error) pauses production (write-pause.ts): nothing of it
// was written, so no block is reported and the senders of an automined block get the error, not a
// hash (send-waiters.ts holds the senders waiting for their block).
import { randomBytes } from "node:crypto";
import { type Chain, type MinedBlock, type StartedBlock, TipMovedError } from "../chain/chain.js";
import type { ForkReset } from "../chain/fork.js";
import { encodeStateDump } from "../chain/snapshot.js";
import type { Block, DroppedBlock, SignedTransaction } from "../chain/types.js";
import type { Host } from "../evm/host.js";
import { bytesToBigint } from "../primitives/hex.js";
import type { AccountChange, DevControl, MineRequest, SnapshotHead } from "../rpc/dev/control.js";
import { INVALID_PARAMS, RpcError } from "../rpc/errors.js";
import { StoreWriteError } from "../state/store-errors.js";
import { BlockClock } from "./block-clock.js";
import type { MiningMode } from "./config.js";
import { SendWaiters } from "./send-waiters.js";
import { WritePause } from "./write-pause.js";

export type { MinedBlock } from "../chain/chain.js";
export { WRITE_RETRY_MS } from "./write-pause.js";

/** What the miner needs of the chain. */
export type MinerChain = Pick<
  Chain,
  | "head"
  | "tip"
  | "startMining"
  | "prepareMining"
  | "tipState"
  | "setAccount"
  | "snapshot"
  | "revert"
  | "dumpState"
  | "loadState"
  | "setCoinbase"
  | "setGasLimit"
  | "setNextBaseFee"
  | "reset"
  | "snapshotHeads"
  | "probeWrite"
>;

/** What the miner needs of the pool (src/txpool's TxPool). */
export interface MinerPool {
  /** What the next block can take, in block order (pending() up to a block's worth); `skip` passes some over. */
  candidates(skip?: (hash: bigint) => boolean, state?: Host): SignedTransaction[];
  get(hash: bigint): SignedTransaction | undefined;
  /** Whether `hash` is pooled and among what pending() offers now. */
  isExecutable(hash: bigint): boolean;
  /** Removes included transactions and revalidates the rest against the new head. */
  onBlock(mined: SignedTransaction[], changed?: ReadonlyMap<bigint, unknown>): void;
  remove(hash: bigint): boolean;
  /** Drops every transaction (anvil_dropAllTransactions, anvil_reset). */
  clear(): void;
}

export interface MinerOptions {
  chain: MinerChain;
  pool: MinerPool;
  mode: MiningMode;
  /** Called after each committed block (event bus, filters, the console line). */
  onBlock?: (mined: MinedBlock) => void;
  /**
   * Called once per evm_revert / anvil_reset that removed blocks, with those blocks and their
   * receipts (oldest first), before any later block is mined; without it the receipts are not read.
   */
  onBlocksDropped?: (dropped: DroppedBlock[]) => void;
  /** A block automine or interval mining failed to produce (nobody awaits those), or a failing onBlock. */
  onError?: (error: Error) => void;
  /** Wall clock in seconds (tests may pin it). */
  now?: () => bigint;
  /**
   * Chain writes started failing (the error: production paused, transactions refused, a probe write
   * every WRITE_RETRY_MS) or work again (undefined: production resumed).
   */
  onWriteStatus?: (failure: StoreWriteError | undefined) => void;
}

export class Miner implements DevControl {
  private readonly chain: MinerChain;
  private readonly pool: MinerPool;
  private readonly options: MinerOptions;
  private readonly clock: BlockClock;
  private auto: boolean;
  private interval: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Tail of the serial queue of chain-changing work. */
  private queue: Promise<unknown> = Promise.resolve();
  private autoQueued = false;
  private intervalQueued = false;
  /** Under automine, eth_send* callers waiting for their transaction's block. */
  private readonly waiters = new SendWaiters();
  /** Production paused while chain writes fail (write-pause.ts). */
  private readonly pause: WritePause;
  private instance = randomInstanceId();
  private closed = false;

  constructor(options: MinerOptions) {
    this.options = options;
    this.chain = options.chain;
    this.pool = options.pool;
    this.clock = new BlockClock(options.now ?? (() => BigInt(Math.floor(Date.now() / 1000))));
    this.auto = options.mode.kind === "auto";
    this.pause = new WritePause({
      probe: () => this.serial(() => this.chain.probeWrite()),
      ...(options.onWriteStatus === undefined ? {} : { onStatus: options.onWriteStatus }),
      onResume: () => {
        if (this.auto) this.scheduleAutomine();
      },
    });
    if (options.mode.kind === "interval") this.setIntervalMining(options.mode.ms);
  }

  get automine(): boolean {
    return this.auto;
  }

  get intervalMs(): number | undefined {
    return this.interval;
  }

  /** Whether blocks are produced without being asked (eth_mining). */
  get mining(): boolean {
    return this.auto || this.interval !== undefined;
  }

  // --- transactions arriving --------------------------------------------------------------------

  /** The pool has a new executable transaction: under automine, mine it. */
  onPendingTx(): void {
    if (this.auto) this.scheduleAutomine();
  }

  /**
   * Under automine, resolves once `hash` (just pooled) is in a durable block or no round will mine it.
   * It never queues a round: the pool's listener did when the transaction became executable.
   */
  afterSubmit(hash: bigint): Promise<void> {
    // Already mined (or dropped) by a block that started before the caller got here.
    if (!this.auto || this.pool.get(hash) === undefined) return Promise.resolve();
    if (this.pause.paused) {
      this.pool.remove(hash);
      return Promise.reject(this.pause.refusal());
    }
    // Queued behind a nonce gap (or priced out): no round takes it until something else arrives.
    if (!this.pool.isExecutable(hash)) return Promise.resolve();
    return this.waiters.wait(hash);
  }

  /** Throws while chain writes fail: a transaction accepted now could not be stored. */
  assertWritable(): void {
    this.pause.assertWritable();
  }

  // --- the clock ----------------------------------------------------------------------------------

  nextTimestamp(): bigint {
    return this.clock.nextTimestamp(this.chain.tip().header.timestamp);
  }

  setNextBlockTimestamp(timestamp: bigint): void {
    this.clock.setNext(timestamp, this.chain.tip().header.timestamp);
  }

  increaseTime(seconds: bigint): bigint {
    return this.clock.increase(seconds, this.chain.tip().header.timestamp);
  }

  setBlockTimestampInterval(seconds: bigint | undefined): void {
    this.clock.setInterval(seconds);
  }

  /** The next block's timestamp, consuming a set one. */
  private takeTimestamp(): bigint {
    return this.clock.take(this.chain.tip().header.timestamp);
  }

  // --- mining modes -------------------------------------------------------------------------------

  setAutomine(on: boolean): void {
    this.auto = on;
    if (on) {
      this.stopInterval();
      this.scheduleAutomine();
    } else {
      // Waiters would wait for a block that no longer comes by itself.
      this.waiters.releaseAll();
    }
  }

  setIntervalMining(ms: number): void {
    if (!Number.isSafeInteger(ms) || ms < 0) throw new RpcError(INVALID_PARAMS, `invalid interval ${ms} ms`);
    this.stopInterval();
    if (ms === 0) return;
    this.auto = false;
    this.waiters.releaseAll();
    this.interval = ms;
    this.timer = setInterval(() => {
      // A block slower than the interval must not pile up work; while writes fail the probe retries.
      if (this.intervalQueued || this.pause.paused) return;
      this.intervalQueued = true;
      this.serial(async () => {
        this.intervalQueued = false;
        await this.mineOne(this.pool.candidates(), this.takeTimestamp());
      }).catch((error) => this.report(error));
    }, ms);
  }

  private stopInterval(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.interval = undefined;
  }

  async mine(request: MineRequest = {}): Promise<Block[]> {
    const blocks = request.blocks ?? 1;
    if (!Number.isSafeInteger(blocks) || blocks < 0)
      throw new RpcError(INVALID_PARAMS, `invalid block count ${blocks}`);
    if (request.interval !== undefined && request.interval < 1n) {
      throw new RpcError(INVALID_PARAMS, "the interval between mined blocks must be at least 1 second");
    }
    return await this.serial(async () => {
      const out: Block[] = [];
      for (let i = 0; i < blocks; i++) {
        const parent = this.chain.tip().header.timestamp;
        let ts: bigint;
        if (i === 0 && request.timestamp !== undefined) ts = request.timestamp;
        else if (request.interval !== undefined && !(i === 0 && this.clock.hasNext)) ts = parent + request.interval;
        else ts = this.takeTimestamp();
        if (ts <= parent) {
          throw new RpcError(INVALID_PARAMS, `timestamp error: ${ts} is not above the previous block's ${parent}`);
        }
        this.clock.chose(ts);
        // The next block of this request comes `interval` after this one; else at the next evm_mine's time.
        const interval = i + 1 < blocks ? request.interval : undefined;
        const ahead = this.preparesNext() ? { interval } : undefined;
        out.push((await this.mineOne(this.pool.candidates(), ts, ahead)).block);
      }
      return out;
    });
  }

  // --- dev edits of the chain ---------------------------------------------------------------------

  setCoinbase(address: bigint): void {
    this.chain.setCoinbase(address);
  }

  setBlockGasLimit(limit: bigint): void {
    this.chain.setGasLimit(limit);
  }

  setNextBlockBaseFee(fee: bigint): void {
    this.chain.setNextBaseFee(fee);
  }

  dropTransaction(hash: bigint): boolean {
    const dropped = this.pool.remove(hash);
    // An eth_send* caller waiting for its block would wait forever.
    this.waiters.release(hash);
    return dropped;
  }

  dropAllTransactions(): void {
    this.pool.clear();
    this.waiters.releaseAll();
  }

  get instanceId(): bigint {
    return this.instance;
  }

  snapshotHeads(): SnapshotHead[] {
    return this.chain.snapshotHeads();
  }

  reset(forking?: ForkReset): Promise<void> {
    return this.serial(async () => {
      await this.chain.reset(this.droppedListener(), forking);
      this.clock.forgetSnapshots();
      this.pool.clear();
      this.waiters.releaseAll();
      // A new chain: tools that cache by instance id (hardhat_metadata's contract) see the reset.
      this.instance = randomInstanceId();
    });
  }

  snapshot(): Promise<bigint> {
    return this.serial(async () => {
      const id = this.chain.snapshot();
      this.clock.save(id);
      return id;
    });
  }

  revert(id: bigint): Promise<boolean> {
    return this.serial(async () => {
      const ok = await this.chain.revert(id, this.droppedListener());
      if (!ok) return false;
      // The id and every later one are used up (evm_revert's one-shot semantics).
      this.clock.restore(id);
      this.pool.onBlock([]);
      return true;
    });
  }

  setAccount(address: bigint, change: AccountChange): Promise<void> {
    return this.serial(async () => {
      await this.chain.setAccount(address, change);
      // A new balance or nonce changes which pooled transactions are executable.
      this.pool.onBlock([]);
    });
  }

  dumpState(): Promise<Uint8Array> {
    return this.serial(async () => encodeStateDump(this.chain.dumpState()));
  }

  loadState(dump: string | Uint8Array): Promise<void> {
    return this.serial(async () => {
      await this.chain.loadState(dump);
      this.pool.onBlock([]);
    });
  }

  /** Stops producing blocks and waits for the block in progress (if any) to be committed. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopInterval();
    this.pause.close();
    this.auto = false;
    this.waiters.releaseAll();
    await this.queue;
  }

  // --- internals ----------------------------------------------------------------------------------

  private serial<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error("the node is shutting down"));
    const run = this.queue.then(work);
    this.queue = run.catch((error) => {
      if (error instanceof StoreWriteError) this.pause.failed(error);
    });
    return run;
  }

  private scheduleAutomine(): void {
    if (this.autoQueued || this.closed) return;
    this.autoQueued = true;
    this.serial(async () => {
      this.autoQueued = false;
      if (!this.auto) return;
      try {
        await this.automineRound();
      } finally {
        this.releaseUnmined();
      }
    }).catch((error) => this.report(error));
  }

  /** Mines blocks while transactions are pending; settles once every started block is reported. */
  private async automineRound(): Promise<void> {
    // Keep mining while transactions are pending (some may have been left out by the gas limit),
    // each block started while the one before it is still being written (reported once durable).
    const taken = new Set<bigint>();
    const reported: Promise<MinedBlock>[] = [];
    let failed = false;
    let parent: bigint | undefined;
    /** The last started block, until it is reported (blocks are reported in order). */
    let unreported: Promise<MinedBlock> | undefined;
    try {
      for (;;) {
        if (failed) break;
        // The pool still holds the transactions of blocks not yet reported: not for this block.
        const txs = this.pool.candidates((hash) => taken.has(hash), this.chain.tipState());
        if (txs.length === 0) {
          // Done only once every started block is reported: what arrived meanwhile is for this round.
          if (unreported === undefined) break;
          await unreported.catch(() => undefined);
          unreported = undefined;
          continue;
        }
        let started: StartedBlock;
        try {
          started = await this.chain.startMining(txs, { timestamp: this.takeTimestamp(), parent });
        } catch (error) {
          if (error instanceof TipMovedError) break;
          if (error instanceof StoreWriteError) this.refuseUnstored(txs, error);
          throw error;
        }
        for (const tx of started.block.transactions) taken.add(tx.hash);
        for (const { tx } of started.rejected) taken.add(tx.hash);
        const report = this.reportWhenDurable(started).catch((error: unknown) => {
          failed = true;
          if (error instanceof StoreWriteError) this.refuseUnstored(txs, error);
          throw error;
        });
        // Handled here at once (Promise.all below rethrows): it may fail while the next block runs.
        report.catch(() => undefined);
        reported.push(report);
        unreported = report;
        parent = started.block.hash;
        if (started.block.transactions.length === 0 && started.rejected.length === 0) break;
      }
    } finally {
      // Every started block is reported (or refused) before the round ends.
      await Promise.allSettled(reported);
    }
    await Promise.all(reported);
  }

  /**
   * A round ended: releases the waiters no round to come will mine. The round mined everything
   * pending at its last look, so a transaction executable now became so after it, and the pool's
   * listener queued the next round: its waiter stays for that round.
   */
  private releaseUnmined(): void {
    if (this.autoQueued) this.waiters.releaseWhere((hash) => !this.pool.isExecutable(hash));
    else this.waiters.releaseAll();
  }

  /**
   * A block of `txs` could not be stored: their waiting senders get the error and their transactions
   * leave the pool (nothing they were told is held back to be mined behind their back).
   */
  private refuseUnstored(txs: SignedTransaction[], error: StoreWriteError): void {
    const refusal = this.pause.refusal(error);
    for (const tx of txs) if (this.waiters.refuse(tx.hash, refusal)) this.pool.remove(tx.hash);
  }

  /**
   * Mines a block of `txs`; with `ahead`, also executes the next block ahead while this one is written
   * (`prepareNext`), stamped `interval` after this one, else as the clock would stamp it then.
   */
  private async mineOne(
    txs: SignedTransaction[],
    timestamp: bigint,
    ahead?: { interval: bigint | undefined },
  ): Promise<MinedBlock> {
    const started = await this.chain.startMining(txs, { timestamp });
    if (ahead !== undefined) {
      const next = ahead.interval !== undefined ? timestamp + ahead.interval : this.clock.nextTimestamp(timestamp);
      this.prepareNext(started, next);
    }
    return this.reportWhenDurable(started);
  }

  /**
   * Whether mining on request executes the next block ahead: only where nothing else mines (a dev
   * script that sends with mining off, then calls evm_mine until the pool is empty).
   */
  private preparesNext(): boolean {
    return !this.auto && this.interval === undefined && !this.pause.paused;
  }

  /**
   * Executes, while `started` is written, the block the next evm_mine would mine from what the pool
   * holds beyond it (Chain.prepareMining): that request then finds it executed and its root under
   * way, unless the pool, the clock or the chain changed meanwhile.
   */
  private prepareNext(started: StartedBlock, timestamp: bigint): void {
    const taken = new Set<bigint>();
    for (const tx of started.block.transactions) taken.add(tx.hash);
    for (const { tx } of started.rejected) taken.add(tx.hash);
    // The pool's base fee and gas limit are the next block's already (Chain.nextBaseFee: on the tip),
    // and its nonces are read after `started`, as the next evm_mine will read them.
    const txs = this.pool.candidates((hash) => taken.has(hash), this.chain.tipState());
    if (txs.length > 0) void this.chain.prepareMining(txs, { timestamp });
  }

  /** Reports a started block once it is durable: pool, listeners, waiting senders. */
  private async reportWhenDurable(started: StartedBlock): Promise<MinedBlock> {
    const mined = await started.mined;
    this.pause.worked();
    this.pool.onBlock(mined.block.transactions, mined.writes);
    for (const { tx } of mined.rejected) this.pool.remove(tx.hash);
    try {
      this.options.onBlock?.(mined);
    } catch (error) {
      // The block is committed whatever a listener does; its failure is reported, not the block's.
      this.report(error);
    }
    for (const tx of mined.block.transactions) this.waiters.release(tx.hash);
    for (const { tx } of mined.rejected) this.waiters.release(tx.hash);
    return mined;
  }

  /** The chain's rewind listener: onBlocksDropped guarded like onBlock (a rewind is committed whatever it does). */
  private droppedListener(): ((dropped: DroppedBlock[]) => void) | undefined {
    const listener = this.options.onBlocksDropped;
    if (listener === undefined) return undefined;
    return (dropped) => {
      try {
        listener(dropped);
      } catch (error) {
        this.report(error);
      }
    };
  }

  private report(error: unknown): void {
    // Told once through onWriteStatus, not once per failed attempt.
    if (error instanceof StoreWriteError) return;
    const err = error instanceof Error ? error : new Error(String(error));
    if (this.options.onError) this.options.onError(err);
    else console.error(`weft: mining failed: ${err.stack ?? err.message}`);
  }
}

function randomInstanceId(): bigint {
  return bytesToBigint(randomBytes(32));
}
