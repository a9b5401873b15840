// Turns transaction outcomes, in block order, into receipts and the block's net writes, and applies the
// block-level rules (block gas, blob gas). Shared by both executors so that they cannot differ here.
import type { BlockEnv } from "../../evm/host.js";
import { MAX_BLOB_GAS_PER_BLOCK } from "../../evm/params.js";
import { totalBlobGas } from "../blob-gas.js";
import { InvalidTransactionError, type TxInput, type TxOutcome } from "../types.js";
import { BlockOverlay } from "./overlay.js";
import type { CommittedReceipt } from "./tx-result.js";
import type { ExecutionMode, InvalidBlock, Receipt, ValidBlock } from "./types.js";

export class BlockBuilder {
  readonly overlay: BlockOverlay;
  readonly receipts: Receipt[] = [];
  gasUsed = 0n;
  blobGasUsed = 0n;
  /**
   * Deferred fees not yet added to the coinbase's write, which exists and is not deleted: added in
   * one step before a transaction writes the coinbase and in `valid`, instead of one map lookup and
   * one addition per transaction. `overlay` does not include them meanwhile (only Block-STM's
   * outcomes carry deferred fees, and it never reads the overlay).
   */
  private pendingFee = 0n;
  /** Whether the coinbase's write exists, not deleted, since a fee was credited (no write since). */
  private coinbaseCredited = false;

  constructor(
    readonly block: BlockEnv,
    base: ConstructorParameters<typeof BlockOverlay>[0],
  ) {
    this.overlay = new BlockOverlay(base);
  }

  /** The block-level check before transaction `index` runs: does it fit the gas left (geth's gas pool)? */
  fits(index: number, tx: TxInput): InvalidTransactionError | undefined {
    const gasLeft = this.block.gasLimit - this.gasUsed;
    if (tx.gasLimit > gasLeft) {
      return new InvalidTransactionError(
        "GAS_LIMIT_EXCEEDS_BLOCK",
        `tx ${index}: gas limit ${tx.gasLimit} > ${gasLeft} left in the block`,
      );
    }
    // Most transactions carry no blobs: no BigInt arithmetic for them.
    const blobs = tx.blobVersionedHashes?.length ?? 0;
    if (blobs === 0) return undefined;
    const blobGas = totalBlobGas(blobs);
    if (blobGas > MAX_BLOB_GAS_PER_BLOCK - this.blobGasUsed) {
      return new InvalidTransactionError(
        "BLOB_GAS_EXCEEDS_BLOCK",
        `tx ${index}: blob gas ${blobGas} exceeds the block's`,
      );
    }
    return undefined;
  }

  /**
   * Adds a valid outcome: receipt, gas, writes (and the deferred coinbase fee, if any). With
   * `adopt`, the outcome's write objects are handed over (see BlockOverlay.apply).
   */
  add(tx: TxInput, outcome: Extract<TxOutcome, { valid: true }>, adopt = false): void {
    this.addReceipt(tx, outcome);
    const coinbase = this.block.coinbase;
    for (const [address, w] of outcome.writes) {
      // The fees held back go in before a write to the coinbase (they change nothing else): a
      // comparison per account, not a BigInt-keyed lookup per transaction.
      if (address === coinbase) this.beforeCoinbaseWrite();
      this.overlay.applyAccount(address, w, adopt);
    }
    this.addFee(outcome.coinbaseFee);
  }

  /** A valid outcome's receipt, gas and blob gas; its writes and fee follow (`add` does all three). */
  addReceipt(tx: TxInput, outcome: CommittedReceipt): void {
    this.gasUsed += outcome.gasUsed;
    const blobs = tx.blobVersionedHashes?.length ?? 0;
    if (blobs !== 0) this.blobGasUsed += totalBlobGas(blobs);
    const receipt: Receipt = {
      status: outcome.status,
      gasUsed: outcome.gasUsed,
      cumulativeGasUsed: this.gasUsed,
      logs: outcome.logs,
    };
    if (outcome.createdAddress !== undefined) receipt.createdAddress = outcome.createdAddress;
    this.receipts.push(receipt);
  }

  /** Before a transaction's write to the coinbase is merged: the fees held back go in first. */
  beforeCoinbaseWrite(): void {
    if (!this.coinbaseCredited) return;
    this.flushFees();
    this.coinbaseCredited = false;
  }

  /** A transaction's deferred coinbase fee, after its writes. */
  addFee(fee: bigint | undefined): void {
    if (fee === undefined || fee === 0n) return;
    if (this.coinbaseCredited) {
      this.pendingFee += fee;
    } else {
      this.overlay.creditCoinbase(this.block.coinbase, fee);
      this.coinbaseCredited = true;
    }
  }

  /** Credits the deferred fees held back, so that the overlay is the state after every added transaction. */
  flushFees(): void {
    if (this.pendingFee !== 0n) this.overlay.creditCoinbase(this.block.coinbase, this.pendingFee);
    this.pendingFee = 0n;
  }

  valid(mode: ExecutionMode, modeReason: string, reexecutions: number): ValidBlock {
    this.flushFees();
    return {
      valid: true,
      receipts: this.receipts,
      writes: this.overlay.writes,
      gasUsed: this.gasUsed,
      blobGasUsed: this.blobGasUsed,
      mode,
      modeReason,
      reexecutions,
    };
  }
}

export function invalidBlock(
  txIndex: number,
  error: InvalidTransactionError,
  mode: ExecutionMode,
  modeReason: string,
  reexecutions: number,
): InvalidBlock {
  return { valid: false, txIndex, error, mode, modeReason, reexecutions };
}
