// JSON-RPC error codes and the error class every handler throws. Anything else a handler throws is
// reported as -32603 with its message (never swallowed).
import { bytesToHex } from "../primitives/hex.js";

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const METHOD_NOT_FOUND = -32601;
export const INVALID_PARAMS = -32602;
export const INTERNAL_ERROR = -32603;
/** geth's code for a rejected transaction / failed call precondition ("nonce too low", ...). */
export const INVALID_INPUT = -32000;
/** geth/anvil: a call or estimate reverted; `data` is the revert bytes. */
export const EXECUTION_REVERTED = 3;
/** EIP-1474: a limit of this server was exceeded (batch length, block range, result count). */
export const LIMIT_EXCEEDED = -32005;

export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = "RpcError";
  }
}

export function invalidParams(message: string): RpcError {
  return new RpcError(INVALID_PARAMS, message);
}

export function limitExceeded(message: string): RpcError {
  return new RpcError(LIMIT_EXCEEDED, message);
}

/**
 * The error a reverted call or estimate returns, as geth and anvil do: code 3, the revert bytes as
 * `data`, and the decoded Error(string) / Panic(uint256) reason in the message where there is one.
 */
export function revertError(output: Uint8Array): RpcError {
  const reason = decodeRevertReason(output);
  const message = reason === undefined ? "execution reverted" : `execution reverted: ${reason}`;
  return new RpcError(EXECUTION_REVERTED, message, bytesToHex(output));
}

const ERROR_SELECTOR = 0x08c379a0;
const PANIC_SELECTOR = 0x4e487b71;

/** Error(string)'s message or "panic: 0x.." for Panic(uint256); undefined for anything else. */
export function decodeRevertReason(output: Uint8Array): string | undefined {
  if (output.length < 4) return undefined;
  const view = new DataView(output.buffer, output.byteOffset, output.byteLength);
  const selector = view.getUint32(0);
  if (selector === PANIC_SELECTOR && output.length >= 36) {
    return `panic: 0x${bytesToHex(output.subarray(4, 36))
      .slice(2)
      .replace(/^0+(?=.)/, "")}`;
  }
  if (selector !== ERROR_SELECTOR || output.length < 68) return undefined;
  const offset = readSmall(output, 4);
  if (offset === undefined) return undefined;
  const lengthAt = 4 + offset;
  const length = readSmall(output, lengthAt);
  if (length === undefined || lengthAt + 32 + length > output.length) return undefined;
  return new TextDecoder("utf-8", { fatal: false }).decode(output.subarray(lengthAt + 32, lengthAt + 32 + length));
}

/** A 32-byte big-endian word at `at` that fits comfortably in a number (else undefined). */
function readSmall(bytes: Uint8Array, at: number): number | undefined {
  if (at + 32 > bytes.length) return undefined;
  for (let i = at; i < at + 28; i++) if (bytes[i] !== 0) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset + at + 28, 4);
  return view.getUint32(0);
}
