// Why the pool turned a transaction away. Messages start with geth's wording (clients such as viem
// and ethers classify errors by these phrases); details follow after a colon.

export type TxPoolErrorCode =
  | "INVALID_ENCODING"
  | "TX_TYPE_NOT_SUPPORTED"
  | "INVALID_SIGNATURE"
  | "INVALID_CHAIN_ID"
  | "OVERSIZED_DATA"
  | "ALREADY_KNOWN"
  | "NONCE_TOO_LOW"
  | "NONCE_MAX"
  | "INSUFFICIENT_FUNDS"
  | "INTRINSIC_GAS_TOO_LOW"
  | "FEE_CAP_BELOW_BASE_FEE"
  | "TIP_ABOVE_FEE_CAP"
  | "GAS_LIMIT_EXCEEDS_BLOCK"
  | "INITCODE_TOO_LARGE"
  | "VALUE_OVERFLOW"
  | "BLOB_TX_INVALID"
  | "BLOB_FEE_CAP_TOO_LOW"
  | "REPLACEMENT_UNDERPRICED"
  | "ACCOUNT_LIMIT_EXCEEDED"
  | "POOL_FULL";

/** The geth phrase each code's message starts with. */
export const TX_POOL_MESSAGES: Record<TxPoolErrorCode, string> = {
  INVALID_ENCODING: "invalid transaction encoding",
  TX_TYPE_NOT_SUPPORTED: "transaction type not supported",
  INVALID_SIGNATURE: "invalid signature",
  INVALID_CHAIN_ID: "invalid chain id",
  OVERSIZED_DATA: "oversized data",
  ALREADY_KNOWN: "already known",
  NONCE_TOO_LOW: "nonce too low",
  NONCE_MAX: "nonce has max value",
  INSUFFICIENT_FUNDS: "insufficient funds for gas * price + value",
  INTRINSIC_GAS_TOO_LOW: "intrinsic gas too low",
  FEE_CAP_BELOW_BASE_FEE: "max fee per gas less than block base fee",
  TIP_ABOVE_FEE_CAP: "max priority fee per gas higher than max fee per gas",
  GAS_LIMIT_EXCEEDS_BLOCK: "exceeds block gas limit",
  INITCODE_TOO_LARGE: "max initcode size exceeded",
  VALUE_OVERFLOW: "value out of range",
  BLOB_TX_INVALID: "invalid blob transaction",
  BLOB_FEE_CAP_TOO_LOW: "max fee per blob gas less than blob base fee",
  REPLACEMENT_UNDERPRICED: "replacement transaction underpriced",
  ACCOUNT_LIMIT_EXCEEDED: "account limit exceeded",
  POOL_FULL: "txpool is full",
};

export class TxPoolError extends Error {
  constructor(
    readonly code: TxPoolErrorCode,
    details?: string,
  ) {
    const phrase = TX_POOL_MESSAGES[code];
    super(details === undefined || details === "" ? phrase : `${phrase}: ${details}`);
    this.name = "TxPoolError";
  }
}

const FROM_DECODE: Record<string, TxPoolErrorCode> = {
  RLP: "INVALID_ENCODING",
  FIELDS: "INVALID_ENCODING",
  TYPE: "TX_TYPE_NOT_SUPPORTED",
  SIGNATURE: "INVALID_SIGNATURE",
  CHAIN_ID: "INVALID_CHAIN_ID",
  BLOB: "BLOB_TX_INVALID",
};

/**
 * The pool's error for a decoder's TxDecodeError (code and message; they may have crossed from a
 * worker). The decoder's message is kept whole where it already starts with the pool's phrase.
 */
export function fromDecodeError(code: string, message: string): TxPoolError {
  const poolCode = FROM_DECODE[code];
  if (poolCode === undefined) throw new Error(`unknown transaction decode error ${code}: ${message}`);
  const phrase = TX_POOL_MESSAGES[poolCode];
  if (message.startsWith(phrase)) {
    const error = new TxPoolError(poolCode);
    error.message = message;
    return error;
  }
  return new TxPoolError(poolCode, message);
}
