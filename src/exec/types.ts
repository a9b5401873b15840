import type { Log, StateWrites } from "../evm/host.js";
import type { EvmTracer } from "../evm/tracing/types.js";

export interface AccessListEntry {
  address: bigint;
  storageKeys: bigint[];
}

/**
 * A transaction as the executor sees it: decoded, with its sender already recovered (signature
 * recovery happens before execution, in the chain/txpool layers or the fixture loader).
 */
export interface TxInput {
  /** 0 legacy, 1 access list (EIP-2930), 2 dynamic fee (EIP-1559), 3 blob (EIP-4844). */
  type: 0 | 1 | 2 | 3;
  /** Chain id the transaction was signed for; undefined for a pre-EIP-155 legacy transaction. */
  chainId?: bigint;
  sender: bigint;
  nonce: bigint;
  gasLimit: bigint;
  /** Types 0 and 1. */
  gasPrice?: bigint;
  /** Types 2 and 3. */
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  /** null creates a contract. */
  to: bigint | null;
  value: bigint;
  data: Uint8Array;
  accessList: AccessListEntry[];
  /** Type 3. */
  maxFeePerBlobGas?: bigint;
  blobVersionedHashes?: bigint[];
}

/** Why a transaction cannot be included in a block at all (it changes no state). */
export type InvalidTxReason =
  | "NONCE_TOO_LOW"
  | "NONCE_TOO_HIGH"
  | "NONCE_MAX"
  | "INSUFFICIENT_FUNDS"
  | "INTRINSIC_GAS_TOO_LOW"
  | "GAS_LIMIT_EXCEEDS_BLOCK"
  | "FEE_CAP_BELOW_BASE_FEE"
  | "PRIORITY_FEE_ABOVE_FEE_CAP"
  | "SENDER_NOT_EOA"
  | "INITCODE_TOO_LARGE"
  | "BLOB_FEE_CAP_TOO_LOW"
  | "BLOB_TX_CREATE"
  | "BLOB_TX_NO_BLOBS"
  | "BLOB_TX_TOO_MANY_BLOBS"
  | "BLOB_HASH_VERSION"
  | "BLOB_GAS_EXCEEDS_BLOCK"
  | "WRONG_CHAIN_ID"
  | "VALUE_OVERFLOW";

export class InvalidTransactionError extends Error {
  constructor(
    readonly reason: InvalidTxReason,
    details: string,
  ) {
    super(`invalid transaction: ${reason}: ${details}`);
    this.name = "InvalidTransactionError";
  }
}

/** The outcome of a valid transaction (one a block can include), whether it succeeded or failed. */
export interface ValidTxOutcome {
  valid: true;
  /** 1 success, 0 reverted or failed. */
  status: 0 | 1;
  /** Gas charged to the sender (after refund). */
  gasUsed: bigint;
  logs: Log[];
  /** Return data, or revert data where status is 0. */
  output: Uint8Array;
  /**
   * Where status is 0 because the top frame halted exceptionally (not by REVERT): geth's message for
   * it ("out of gas", "invalid opcode: INVALID", "stack underflow (0 <=> 1)", ...).
   */
  halt?: string;
  /** Address of the created contract, for a successful creation. */
  createdAddress?: bigint;
  /** Every account the transaction changed, the fee to the coinbase included unless deferred. */
  writes: StateWrites;
  /**
   * Only under `deferCoinbaseFee`, when the fee was left out of `writes` (the transaction never
   * loaded the coinbase): the executor must credit it, as processTransaction would have.
   */
  coinbaseFee?: bigint;
}

export type TxOutcome = ValidTxOutcome | { valid: false; error: InvalidTransactionError };

export interface ProcessOptions {
  /**
   * Skip EIP-3607's rule that the sender has no code: eth_call / eth_estimateGas / debug_traceCall
   * simulate calls "from" contracts, as geth and anvil allow. Never set for block execution.
   */
  allowContractSender?: boolean;
  /**
   * Leave the coinbase's fee out of the writes and return it as `coinbaseFee`, unless the
   * transaction itself loaded the coinbase (then it is credited as usual). A block executor credits
   * deferred fees later, so the fee alone does not make every transaction depend on the one before.
   */
  deferCoinbaseFee?: boolean;
  /** Traces the transaction's execution (debug_trace*); none by default. */
  tracer?: EvmTracer;
}
