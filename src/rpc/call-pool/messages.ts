// What the main thread and a call worker send each other. Everything is structured-cloneable plain
// data: the request as the client sent it, and the few things only the main thread knows.
import type { BlockEnv } from "../../evm/host.js";
import type { RpcConfig } from "../context.js";

/** Given once, when a worker starts. */
export interface CallWorkerData {
  /** The chain's LMDB environment, opened read-only by the worker. */
  lmdbPath: string;
  chainId: bigint;
  /** One Int32 the main thread sets to stop the call running on this worker (src/evm/interrupt.ts). */
  interrupt: SharedArrayBuffer;
  /** Collect Solidity console.log calls of eth_call and eth_estimateGas, and send their lines back. */
  consoleLog: boolean;
}

/**
 * The chain as the main thread saw it when the request arrived: the call answers for this head (or,
 * should the worker's view not hold it, is sent back to be pinned again), and "pending" means the
 * block after it, with the miner's dev settings.
 */
export interface CallPin {
  headNumber: bigint;
  headHash: bigint;
  /** The next block's environment (timestamp included), as Chain.nextBlockEnv gave it. */
  nextEnv: BlockEnv;
  config: RpcConfig;
}

/** A worker's first message: loaded, database open. */
export const WORKER_READY = "ready" as const;

export interface CallRequest {
  id: number;
  method: string;
  params: readonly unknown[];
  pin: CallPin;
}

export type CallReply =
  /** `console`: the console.log lines the call printed (with CallWorkerData.consoleLog), result or error alike. */
  | { id: number; result: unknown; console?: string[] }
  | { id: number; error: { code: number; message: string; data?: unknown }; console?: string[] }
  /** Stopped because the main thread set the interrupt word (timeout, client gone). */
  | { id: number; interrupted: true }
  /** The worker's view of the database cannot show the pinned head (a revert since): pin again. */
  | { id: number; repin: string };
