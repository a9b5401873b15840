// What the evm_/anvil_/hardhat_ methods drive: the node's miner (src/node/miner.ts) with its dev
// controls. RpcContext carries it as `miner`; devControl() checks it has them, so a node built
// without dev controls answers these methods with a clear error instead of a crash.
import type { Block } from "../../chain/types.js";
import type { RpcContext, RpcMiner } from "../context.js";
import { METHOD_NOT_FOUND, RpcError } from "../errors.js";

/** Dev-method edits of one account; absent fields keep their value, storage slots are set (0 deletes). */
export interface AccountChange {
  balance?: bigint;
  nonce?: bigint;
  code?: Uint8Array;
  storage?: Map<bigint, bigint>;
}

export interface MineRequest {
  /** Blocks to mine (default 1); the first takes the pending transactions. */
  blocks?: number;
  /** Timestamp of the first block (evm_mine's parameter). */
  timestamp?: bigint;
  /** Seconds between the blocks' timestamps (anvil_mine's second parameter), the first counted from the head. */
  interval?: bigint;
}

/** A live snapshot and the block evm_revert would return to (anvil_metadata's `snapshots`). */
export interface SnapshotHead {
  id: bigint;
  number: bigint;
  hash: bigint;
}

export interface DevControl extends RpcMiner {
  /** Automine on/off (evm_setAutomine); turning it on mines what is pending. Stops interval mining. */
  setAutomine(on: boolean): void;
  /** Interval mining every `ms` (0 stops it); turns automine off while on. */
  setIntervalMining(ms: number): void;
  /** The interval, or undefined when not interval mining. */
  readonly intervalMs: number | undefined;
  /** Mines now (evm_mine / anvil_mine); resolves with the blocks once they are committed. */
  mine(request?: MineRequest): Promise<Block[]>;
  /** The next block's timestamp; must be above the head's (an RpcError otherwise). */
  setNextBlockTimestamp(timestamp: bigint): void;
  /** Moves the clock forward by `seconds`; returns the total offset from the wall clock. */
  increaseTime(seconds: bigint): bigint;
  /** evm_snapshot: an id for evm_revert. */
  snapshot(): Promise<bigint>;
  /** evm_revert: back to the snapshot (blocks, state, clock); false for an unknown or used id. */
  revert(id: bigint): Promise<boolean>;
  /** anvil_setBalance & co.: durable, visible at once, undone by a revert to an earlier snapshot. */
  setAccount(address: bigint, change: AccountChange): Promise<void>;
  /** anvil_dumpState: every account as anvil's dump format, gzip-compressed JSON (src/chain/snapshot.ts). */
  dumpState(): Promise<Uint8Array>;
  /** anvil_loadState: sets every account a dump names (hex text or bytes, gzip-compressed or not). */
  loadState(dump: string | Uint8Array): Promise<void>;
  /** anvil_setCoinbase: the beneficiary of every later block. */
  setCoinbase(address: bigint): void;
  /** evm_setBlockGasLimit: the gas limit of every later block. */
  setBlockGasLimit(limit: bigint): void;
  /** anvil_setNextBlockBaseFeePerGas: the next block's base fee (later ones follow EIP-1559 from it). */
  setNextBlockBaseFee(fee: bigint): void;
  /** anvil_setBlockTimestampInterval: each block `seconds` after its parent (undefined: the clock again). */
  setBlockTimestampInterval(seconds: bigint | undefined): void;
  /** anvil_dropTransaction: removes a pooled transaction; false where the pool does not hold it. */
  dropTransaction(hash: bigint): boolean;
  /** anvil_dropAllTransactions: empties the pool. */
  dropAllTransactions(): void;
  /**
   * anvil_reset: back to the first block and its state; drops the pool and every snapshot; a new
   * instance id. With `forking` (a forked node only): forks again, at that upstream (default: the
   * same) and block (default: its latest).
   */
  reset(forking?: { url?: string; blockNumber?: bigint }): Promise<void>;
  /** anvil_metadata's instanceId: random, the same until the next reset. */
  readonly instanceId: bigint;
  /** The live snapshots (anvil_metadata). */
  snapshotHeads(): SnapshotHead[];
}

/** The context's miner with its dev controls, or -32601 when this node has none. */
export function devControl(ctx: RpcContext): DevControl {
  const miner = ctx.miner as Partial<DevControl>;
  if (typeof miner.mine !== "function" || typeof miner.setAccount !== "function") {
    throw new RpcError(METHOD_NOT_FOUND, "dev methods are not available: this node's miner has no dev controls");
  }
  return miner as DevControl;
}
