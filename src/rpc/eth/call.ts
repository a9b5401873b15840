import { callSiteFor } from "../block-ref.js";
import type { RpcContext } from "../context.js";
import { invalidParams } from "../errors.js";
import type { CallInfo } from "../handler.js";
import { data, expectParams, parseBlockRef } from "../hex-codec.js";
import { callFailure, executeCall, parseCallRequest, parseStateOverrides } from "./call-request.js";

/**
 * eth_call(transaction, block, stateOverrides): the call's return data, nothing written. A revert is
 * error 3 with the revert data and its decoded reason (as geth and anvil); an exceptional halt is
 * -32000 with geth's message for it ("out of gas", "invalid opcode: INVALID", ...).
 */
export function ethCall(params: readonly unknown[], ctx: RpcContext, call: CallInfo = {}): string {
  expectParams(params, 1, 4);
  if (params[3] !== undefined && params[3] !== null) throw invalidParams("block overrides are not supported");
  const req = parseCallRequest(params[0]);
  const site = callSiteFor(ctx, parseBlockRef(params[1]));
  const tracer = call.console;
  const outcome = executeCall(ctx, req, site, parseStateOverrides(params[2]), tracer ? { tracer } : {});
  if (outcome.status === 0) throw callFailure(outcome);
  return data(outcome.output);
}
