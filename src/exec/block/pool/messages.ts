// What the main thread and the pool's workers send each other. Only the block's inputs go out and
// only committed results come back, the bulky parts in binary (wire.ts): transactions in a shared
// buffer, valid outcomes in a transferred one; everything in between moves through shared memory
// (scheduler words, op log).
import type { BlockEnv } from "../../../evm/host.js";
import type { ValidTxOutcome } from "../../types.js";
import type { BaseSource } from "./base-state.js";

export interface BlockMessage {
  id: number;
  /** The transactions, encoded by wire.ts's encodeTxs. */
  txs: SharedArrayBuffer;
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
  | {
      id: number;
      executions: number;
      /** `count` valid outcomes, encoded by wire.ts's encodeOutcome. */
      outcomes: ArrayBuffer;
      count: number;
      /** The rest (invalid or thrown). */
      results: [txIndex: number, incarnation: number, result: WireResult][];
    }
  | { id: number; failure: string; logFull: boolean };
