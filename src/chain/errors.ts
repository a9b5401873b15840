// Errors of the chain codecs. Each carries a short machine-readable code beside its message, so the
// pool and RPC layers can map a failure to their own error without parsing text.

export type TxDecodeErrorCode = "RLP" | "TYPE" | "FIELDS" | "SIGNATURE" | "CHAIN_ID" | "BLOB";

/** A raw transaction that cannot be accepted: malformed, of an unknown type, badly signed, or for another chain. */
export class TxDecodeError extends Error {
  constructor(
    readonly code: TxDecodeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "TxDecodeError";
  }
}

/** A genesis file that cannot be used (bad field, unsupported fork schedule). */
export class GenesisError extends Error {
  constructor(message: string) {
    super(`invalid genesis: ${message}`);
    this.name = "GenesisError";
  }
}
