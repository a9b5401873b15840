// What the main thread and the pool's workers send each other. A worker gets the shared memory once
// (WorkerSetup) and per block only the block's inputs (its transactions in a shared buffer); results
// stay in shared memory, and only a failure comes back as a message.
import type { MessagePort } from "node:worker_threads";
import type { BlockEnv } from "../../../evm/host.js";
import type { StressOptions } from "../block-stm-worker.js";
import type { MVBuffers } from "../mv-memory.js";
import type { BaseWire } from "./base-state.js";

export interface WorkerSetup {
  port: MessagePort;
  buffers: MVBuffers;
  /** The scheduler's words (scheduler.ts). */
  control: SharedArrayBuffer;
  stress?: StressOptions;
}

export interface BlockMessage {
  id: number;
  size: number;
  /** The transactions, encoded by wire.ts's encodeTxs. */
  txs: SharedArrayBuffer;
  block: BlockEnv;
  base: BaseWire;
  /** Hashes of blocks firstHashed .. block.number - 1 (BLOCKHASH's window). */
  firstHashed: bigint;
  blockHashes: bigint[];
}

export interface FailureMessage {
  id: number;
  failure: string;
}
