// The pool's admission rules, in geth's order: what can be checked from the transaction and the
// head alone, then what needs the sender's account. Both throw TxPoolError; neither touches the pool.

import type { SignedTransaction } from "../chain/types.js";
import type { AccountInfo } from "../evm/host.js";
import { MAX_BLOB_GAS_PER_BLOCK, MAX_INIT_CODE_SIZE, MAX_NONCE, VERSIONED_HASH_VERSION_KZG } from "../evm/params.js";
import { totalBlobGas } from "../exec/blob-gas.js";
import { intrinsicGas } from "../exec/intrinsic-gas.js";
import { MAX_U256 } from "../primitives/word-view.js";
import { TxPoolError } from "./errors.js";
import { feeCap, maxCost, tipCap } from "./price.js";

const MAX_U64 = (1n << 64n) - 1n;

export interface HeadLimits {
  chainId: bigint;
  /** Base fee of the next block. */
  baseFee: bigint;
  blockGasLimit: bigint;
  maxTxBytes: number;
  /** Blob base fee of the next block; blob fee caps are not checked when absent. */
  blobBaseFee?: bigint;
}

function outOfRange(tx: SignedTransaction): string | undefined {
  const words: [string, bigint | undefined][] = [
    ["value", tx.value],
    ["gasPrice", tx.gasPrice],
    ["maxFeePerGas", tx.maxFeePerGas],
    ["maxPriorityFeePerGas", tx.maxPriorityFeePerGas],
    ["maxFeePerBlobGas", tx.maxFeePerBlobGas],
  ];
  for (const [name, value] of words) if (value !== undefined && (value < 0n || value > MAX_U256)) return name;
  if (tx.gasLimit < 0n || tx.gasLimit > MAX_U64) return "gasLimit";
  if (tx.nonce < 0n || tx.nonce > MAX_U64) return "nonce";
  return undefined;
}

/** Checks that need no account: size, chain, limits, fees, intrinsic gas, blob fields. */
export function validateStateless(tx: SignedTransaction, head: HeadLimits): void {
  if (tx.raw.length > head.maxTxBytes) {
    throw new TxPoolError("OVERSIZED_DATA", `transaction size ${tx.raw.length}, limit ${head.maxTxBytes}`);
  }
  if (tx.chainId !== undefined && tx.chainId !== head.chainId) {
    throw new TxPoolError("INVALID_CHAIN_ID", `transaction signed for chain ${tx.chainId}, expected ${head.chainId}`);
  }
  if (tx.to === null && tx.data.length > MAX_INIT_CODE_SIZE) {
    throw new TxPoolError("INITCODE_TOO_LARGE", `code size ${tx.data.length}, limit ${MAX_INIT_CODE_SIZE}`);
  }
  const bad = outOfRange(tx);
  if (bad !== undefined) throw new TxPoolError("VALUE_OVERFLOW", `${bad} does not fit its encoding`);
  if (tx.nonce >= MAX_NONCE) throw new TxPoolError("NONCE_MAX", `nonce ${tx.nonce}`);
  if (tx.gasLimit > head.blockGasLimit) {
    throw new TxPoolError("GAS_LIMIT_EXCEEDS_BLOCK", `gas ${tx.gasLimit}, block gas limit ${head.blockGasLimit}`);
  }
  if (feeCap(tx) < tipCap(tx)) {
    throw new TxPoolError("TIP_ABOVE_FEE_CAP", `maxPriorityFeePerGas ${tipCap(tx)}, maxFeePerGas ${feeCap(tx)}`);
  }
  const intrinsic = intrinsicGas(tx);
  if (tx.gasLimit < intrinsic) {
    throw new TxPoolError("INTRINSIC_GAS_TOO_LOW", `gas ${tx.gasLimit}, minimum needed ${intrinsic}`);
  }
  if (feeCap(tx) < head.baseFee) {
    throw new TxPoolError("FEE_CAP_BELOW_BASE_FEE", `maxFeePerGas ${feeCap(tx)}, baseFee ${head.baseFee}`);
  }
  if (tx.type === 3) validateBlobFields(tx, head);
}

function validateBlobFields(tx: SignedTransaction, head: HeadLimits): void {
  const hashes = tx.blobVersionedHashes ?? [];
  if (tx.to === null) throw new TxPoolError("BLOB_TX_INVALID", "a blob transaction cannot create a contract");
  if (hashes.length === 0) throw new TxPoolError("BLOB_TX_INVALID", "a blob transaction needs at least one blob");
  if (totalBlobGas(hashes.length) > MAX_BLOB_GAS_PER_BLOCK) {
    throw new TxPoolError("BLOB_TX_INVALID", `${hashes.length} blobs exceed the block's blob gas`);
  }
  for (const h of hashes) {
    if (h >> 248n !== BigInt(VERSIONED_HASH_VERSION_KZG)) {
      throw new TxPoolError("BLOB_TX_INVALID", "a blob versioned hash does not start with 0x01");
    }
  }
  const cap = tx.maxFeePerBlobGas ?? 0n;
  if (head.blobBaseFee !== undefined && cap < head.blobBaseFee) {
    throw new TxPoolError("BLOB_FEE_CAP_TOO_LOW", `maxFeePerBlobGas ${cap}, blobBaseFee ${head.blobBaseFee}`);
  }
}

/**
 * Checks against the sender's account at the head: nonce not used, funds for the worst case. A sender
 * with code is left to execution (EIP-3607), as in geth: impersonated dev accounts may have code.
 */
export function validateAgainstAccount(tx: SignedTransaction, account: AccountInfo | undefined): void {
  const nonce = account?.nonce ?? 0n;
  if (tx.nonce < nonce) throw new TxPoolError("NONCE_TOO_LOW", `next nonce ${nonce}, tx nonce ${tx.nonce}`);
  const balance = account?.balance ?? 0n;
  const cost = maxCost(tx);
  if (balance < cost) {
    throw new TxPoolError("INSUFFICIENT_FUNDS", `balance ${balance}, tx cost ${cost}, overshot ${cost - balance}`);
  }
}
