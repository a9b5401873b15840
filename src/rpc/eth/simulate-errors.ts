// eth_simulateV1's error codes (execution-apis), and which one each invalid-transaction reason gets,
// as geth maps them (internal/ethapi/errors.go).
import type { InvalidTxReason } from "../../exec/types.js";
import { INTERNAL_ERROR, INVALID_PARAMS, RpcError } from "../errors.js";

export const SIM_FEE_CAP_TOO_LOW = -32005;
export const SIM_VM_ERROR = -32015;
export const SIM_NONCE_TOO_LOW = -38010;
export const SIM_NONCE_TOO_HIGH = -38011;
export const SIM_INTRINSIC_GAS = -38013;
export const SIM_INSUFFICIENT_FUNDS = -38014;
export const SIM_BLOCK_GAS_LIMIT = -38015;
export const SIM_BLOCK_NUMBER_ORDER = -38020;
export const SIM_BLOCK_TIMESTAMP_ORDER = -38021;
export const SIM_SENDER_NOT_EOA = -38024;
export const SIM_INIT_CODE_TOO_LARGE = -38025;
export const SIM_CLIENT_LIMIT = -38026;

const CODE_OF: Partial<Record<InvalidTxReason, number>> = {
  NONCE_TOO_LOW: SIM_NONCE_TOO_LOW,
  NONCE_TOO_HIGH: SIM_NONCE_TOO_HIGH,
  FEE_CAP_BELOW_BASE_FEE: SIM_FEE_CAP_TOO_LOW,
  PRIORITY_FEE_ABOVE_FEE_CAP: INVALID_PARAMS,
  INTRINSIC_GAS_TOO_LOW: SIM_INTRINSIC_GAS,
  INSUFFICIENT_FUNDS: SIM_INSUFFICIENT_FUNDS,
  GAS_LIMIT_EXCEEDS_BLOCK: SIM_BLOCK_GAS_LIMIT,
  SENDER_NOT_EOA: SIM_SENDER_NOT_EOA,
  INITCODE_TOO_LARGE: SIM_INIT_CODE_TOO_LARGE,
};

/** The error that ends the whole simulation when call `call` of block `block` cannot run at all. */
export function invalidSimulatedCall(block: number, call: number, reason: InvalidTxReason, message: string): RpcError {
  return new RpcError(CODE_OF[reason] ?? INTERNAL_ERROR, `block ${block}, call ${call}: ${message}`);
}
