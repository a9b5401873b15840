// Which of Weft's invalid-transaction reasons satisfies each exception name the fixtures expect
// ("TransactionException.X", alternatives joined by "|"). A rejection for the wrong reason fails the case.
import type { InvalidTxReason } from "../exec/types.js";

const EXPECTED_TO_REASONS: Record<string, readonly InvalidTxReason[]> = {
  INTRINSIC_GAS_TOO_LOW: ["INTRINSIC_GAS_TOO_LOW"],
  INSUFFICIENT_ACCOUNT_FUNDS: ["INSUFFICIENT_FUNDS"],
  // gasLimit * price past 2^256 can only be paid by a balance past 2^256: reported as lacking funds.
  GASLIMIT_PRICE_PRODUCT_OVERFLOW: ["INSUFFICIENT_FUNDS", "VALUE_OVERFLOW"],
  SENDER_NOT_EOA: ["SENDER_NOT_EOA"],
  INITCODE_SIZE_EXCEEDED: ["INITCODE_TOO_LARGE"],
  INSUFFICIENT_MAX_FEE_PER_GAS: ["FEE_CAP_BELOW_BASE_FEE"],
  PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS: ["PRIORITY_FEE_ABOVE_FEE_CAP"],
  NONCE_IS_MAX: ["NONCE_MAX"],
  GAS_ALLOWANCE_EXCEEDED: ["GAS_LIMIT_EXCEEDS_BLOCK"],
  RLP_INVALID_VALUE: ["VALUE_OVERFLOW"],
  INSUFFICIENT_MAX_FEE_PER_BLOB_GAS: ["BLOB_FEE_CAP_TOO_LOW"],
  TYPE_3_TX_ZERO_BLOBS: ["BLOB_TX_NO_BLOBS"],
  TYPE_3_TX_BLOB_COUNT_EXCEEDED: ["BLOB_TX_TOO_MANY_BLOBS"],
  TYPE_3_TX_INVALID_BLOB_VERSIONED_HASH: ["BLOB_HASH_VERSION"],
  TYPE_3_TX_CONTRACT_CREATION: ["BLOB_TX_CREATE"],
};

/**
 * Whether rejecting for `reason` is what `expected` asks for. An exception name this table does not
 * know is reported as a mismatch, so a new kind in the fixtures cannot pass unexamined.
 */
export function reasonMatches(expected: string, reason: InvalidTxReason): boolean {
  for (const alternative of expected.split("|")) {
    const name = alternative.trim().replace(/^TransactionException\./, "");
    if (EXPECTED_TO_REASONS[name]?.includes(reason)) return true;
  }
  return false;
}
