// What the main thread and the pool's workers send each other (structured clone). Only the block's
// inputs go out and only committed results come back; everything in between moves through shared
// memory (scheduler words, op log).
import type { BlockEnv } from "../../../evm/host.js";
import type { TxInput, ValidTxOutcome } from "../../types.js";
import type { BaseSource } from "./base-state.js";

export interface BlockMessage {
  id: number;
  txs: readonly TxInput[];
  block: BlockEnv;
  base: BaseSource;
  /** Hashes of blocks firstHashed .. block.number - 1 (BLOCKHASH's window). */
  firstHashed: bigint;
  blockHashes: bigint[];
  control: SharedArrayBuffer;
  log: SharedArrayBuffer;
}

/** A TxResult that survives structured clone (class instances do not). */
export type WireResult =
  | ValidTxOutcome
  | { valid: false; reason: string; message: string }
  | { thrown: { name: string; message: string; stack?: string } };

export type ResultMessage =
  | { id: number; executions: number; results: [txIndex: number, incarnation: number, result: WireResult][] }
  | { id: number; failure: string; logFull: boolean };
