// Block production: automine (a block as soon as transactions are pending, as anvil), interval mining
// (--block-time), manual mining (evm_mine / anvil_mine), the dev clock (evm_setNextBlockTimestamp,
// evm_increaseTime), and the dev edits of chain state. Everything that changes the chain runs through
// one queue, so blocks, snapshots, reverts and account edits never interleave.
import { randomBytes } from "node:crypto";
import type { Chain, MinedBlock } from "../chain/chain.js";
import { encodeStateDump } from "../chain/snapshot.js";
import type { Block, DroppedBlock, SignedTransaction } from "../chain/types.js";
import { bytesToBigint } from "../primitives/hex.js";
import type { AccountChange, DevControl, MineRequest, SnapshotHead } from "../rpc/dev/control.js";
import { INVALID_PARAMS, RpcError } from "../rpc/errors.js";
import type { MiningMode } from "./config.js";

export type { MinedBlock } from "../chain/chain.js";

/** What the miner needs of the chain. */
export type MinerChain = Pick<
  Chain,
  | "head"
  | "mine"
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
>;

/** What the miner needs of the pool (src/txpool's TxPool). */
export interface MinerPool {
  pending(): SignedTransaction[];
  get(hash: bigint): SignedTransaction | undefined;
  /** Removes included transactions and revalidates the rest against the new head. */
  onBlock(mined: SignedTransaction[]): void;
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
}

interface ClockState {
  offset: bigint;
  next: bigint | undefined;
}

export class Miner implements DevControl {
  private readonly chain: MinerChain;
  private readonly pool: MinerPool;
  private readonly options: MinerOptions;
  private readonly now: () => bigint;
  private auto: boolean;
  private interval: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Seconds added to the wall clock (evm_increaseTime, and where a set timestamp left the clock). */
  private offset = 0n;
  /** evm_setNextBlockTimestamp's value, used by the next block only. */
  private next: bigint | undefined;
  /** Tail of the serial queue of chain-changing work. */
  private queue: Promise<unknown> = Promise.resolve();
  private autoQueued = false;
  private intervalQueued = false;
  /** Under automine, eth_send* callers waiting for their transaction's block. */
  private readonly waiters = new Map<bigint, (() => void)[]>();
  /** Clock at each live snapshot, restored by revert. */
  private readonly clocks = new Map<bigint, ClockState>();
  /** anvil_setBlockTimestampInterval: each block's timestamp is its parent's plus this many seconds. */
  private timestampInterval: bigint | undefined;
  private instance = randomInstanceId();
  private closed = false;

  constructor(options: MinerOptions) {
    this.options = options;
    this.chain = options.chain;
    this.pool = options.pool;
    this.now = options.now ?? (() => BigInt(Math.floor(Date.now() / 1000)));
    this.auto = options.mode.kind === "auto";
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

  afterSubmit(hash: bigint): Promise<void> {
    // Already mined (or dropped) by a block that started before the caller got here.
    if (!this.auto || this.pool.get(hash) === undefined) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const list = this.waiters.get(hash) ?? [];
      list.push(resolve);
      this.waiters.set(hash, list);
      this.scheduleAutomine();
    });
  }

  // --- the clock ----------------------------------------------------------------------------------

  nextTimestamp(): bigint {
    if (this.next !== undefined) return this.next;
    if (this.timestampInterval !== undefined) return this.chain.head().header.timestamp + this.timestampInterval;
    const t = this.now() + this.offset;
    const parent = this.chain.head().header.timestamp;
    // Timestamps strictly increase, even for several blocks within one wall-clock second.
    return t > parent ? t : parent + 1n;
  }

  setNextBlockTimestamp(timestamp: bigint): void {
    const parent = this.chain.head().header.timestamp;
    if (timestamp <= parent) {
      throw new RpcError(
        INVALID_PARAMS,
        `timestamp error: ${timestamp} is not above the previous block's timestamp ${parent}`,
      );
    }
    this.next = timestamp;
  }

  increaseTime(seconds: bigint): bigint {
    if (seconds < 0n) throw new RpcError(INVALID_PARAMS, `cannot move time backwards (${seconds} seconds)`);
    // Automined bursts (one second per block) can put the head ahead of the clock: count from the head
    // then, so the next block lands at least `seconds` after it, as on anvil (whose head never runs ahead).
    const head = this.chain.head().header.timestamp;
    if (head > this.now() + this.offset) this.offset = head - this.now();
    this.offset += seconds;
    return this.offset;
  }

  setBlockTimestampInterval(seconds: bigint | undefined): void {
    if (seconds !== undefined && seconds < 1n) {
      throw new RpcError(INVALID_PARAMS, `the block timestamp interval must be at least 1 second (got ${seconds})`);
    }
    this.timestampInterval = seconds;
  }

  /** The next block's timestamp, consuming a set one; the clock then runs on from a set timestamp. */
  private takeTimestamp(): bigint {
    const ts = this.nextTimestamp();
    if (this.next !== undefined) {
      this.offset = this.next - this.now();
      this.next = undefined;
    }
    return ts;
  }

  // --- mining modes -------------------------------------------------------------------------------

  setAutomine(on: boolean): void {
    this.auto = on;
    if (on) {
      this.stopInterval();
      this.scheduleAutomine();
    } else {
      // Waiters would wait for a block that no longer comes by itself.
      this.releaseWaiters();
    }
  }

  setIntervalMining(ms: number): void {
    if (!Number.isSafeInteger(ms) || ms < 0) throw new RpcError(INVALID_PARAMS, `invalid interval ${ms} ms`);
    this.stopInterval();
    if (ms === 0) return;
    this.auto = false;
    this.releaseWaiters();
    this.interval = ms;
    this.timer = setInterval(() => {
      // A block slower than the interval must not pile up work.
      if (this.intervalQueued) return;
      this.intervalQueued = true;
      this.serial(async () => {
        this.intervalQueued = false;
        await this.mineOne(this.pool.pending(), this.takeTimestamp());
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
        const parent = this.chain.head().header.timestamp;
        let ts: bigint;
        if (i === 0 && request.timestamp !== undefined) ts = request.timestamp;
        else if (request.interval !== undefined && !(i === 0 && this.next !== undefined))
          ts = parent + request.interval;
        else ts = this.takeTimestamp();
        if (ts <= parent) {
          throw new RpcError(INVALID_PARAMS, `timestamp error: ${ts} is not above the previous block's ${parent}`);
        }
        // Time runs on from an explicitly chosen timestamp.
        if (ts > this.now() + this.offset) this.offset = ts - this.now();
        this.next = undefined;
        out.push((await this.mineOne(this.pool.pending(), ts)).block);
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
    this.release(hash);
    return dropped;
  }

  dropAllTransactions(): void {
    this.pool.clear();
    this.releaseWaiters();
  }

  get instanceId(): bigint {
    return this.instance;
  }

  snapshotHeads(): SnapshotHead[] {
    return this.chain.snapshotHeads();
  }

  reset(): Promise<void> {
    return this.serial(async () => {
      await this.chain.reset(this.droppedListener());
      this.clocks.clear();
      this.pool.clear();
      this.releaseWaiters();
      // A new chain: tools that cache by instance id (hardhat_metadata's contract) see the reset.
      this.instance = randomInstanceId();
    });
  }

  snapshot(): Promise<bigint> {
    return this.serial(async () => {
      const id = this.chain.snapshot();
      this.clocks.set(id, { offset: this.offset, next: this.next });
      return id;
    });
  }

  revert(id: bigint): Promise<boolean> {
    return this.serial(async () => {
      const ok = await this.chain.revert(id, this.droppedListener());
      if (!ok) return false;
      const clock = this.clocks.get(id);
      if (clock) ({ offset: this.offset, next: this.next } = clock);
      // The id and every later one are used up (evm_revert's one-shot semantics).
      for (const other of this.clocks.keys()) if (other >= id) this.clocks.delete(other);
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
    this.auto = false;
    this.releaseWaiters();
    await this.queue;
  }

  // --- internals ----------------------------------------------------------------------------------

  private serial<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error("the node is shutting down"));
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private scheduleAutomine(): void {
    if (this.autoQueued || this.closed) return;
    this.autoQueued = true;
    this.serial(async () => {
      this.autoQueued = false;
      if (!this.auto) return;
      // Keep mining while transactions are pending (some may have been left out by the gas limit).
      for (;;) {
        const txs = this.pool.pending();
        if (txs.length === 0) break;
        const mined = await this.mineOne(txs, this.takeTimestamp());
        if (mined.block.transactions.length === 0 && mined.rejected.length === 0) break;
      }
      // Whoever still waits has a transaction this round could not mine (a nonce gap): done waiting.
      this.releaseWaiters();
    }).catch((error) => {
      this.releaseWaiters();
      this.report(error);
    });
  }

  private async mineOne(txs: SignedTransaction[], timestamp: bigint): Promise<MinedBlock> {
    const mined = await this.chain.mine(txs, { timestamp });
    this.pool.onBlock(mined.block.transactions);
    for (const { tx } of mined.rejected) this.pool.remove(tx.hash);
    try {
      this.options.onBlock?.(mined);
    } catch (error) {
      // The block is committed whatever a listener does; its failure is reported, not the block's.
      this.report(error);
    }
    for (const tx of mined.block.transactions) this.release(tx.hash);
    for (const { tx } of mined.rejected) this.release(tx.hash);
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

  private release(hash: bigint): void {
    const list = this.waiters.get(hash);
    if (!list) return;
    this.waiters.delete(hash);
    for (const resolve of list) resolve();
  }

  private releaseWaiters(): void {
    for (const hash of [...this.waiters.keys()]) this.release(hash);
  }

  private report(error: unknown): void {
    const err = error instanceof Error ? error : new Error(String(error));
    if (this.options.onError) this.options.onError(err);
    else console.error(`weft: mining failed: ${err.stack ?? err.message}`);
  }
}

function randomInstanceId(): bigint {
  return bytesToBigint(randomBytes(32));
}
