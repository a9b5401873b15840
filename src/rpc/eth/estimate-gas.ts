import type { ConsoleCallCollector } from "../../evm/tracing/console-tracer.js";
import { ERR_OUT_OF_GAS } from "../../evm/tracing/messages.js";
import { intrinsicGas } from "../../exec/intrinsic-gas.js";
import { callSiteFor } from "../block-ref.js";
import type { RpcContext } from "../context.js";
import { INVALID_INPUT, RpcError } from "../errors.js";
import type { CallInfo } from "../handler.js";
import { expectParams, parseBlockRef, quantity } from "../hex-codec.js";
import {
  callFailure,
  type PreparedCall,
  parseCallRequest,
  parseStateOverrides,
  prepareCall,
  runCall,
} from "./call-request.js";

/**
 * eth_estimateGas(transaction, block, stateOverrides): the least gas limit with which the call
 * succeeds, by binary search between the intrinsic gas and the cap (the request's gas, else the block
 * gas limit, at most the node's gas cap, lowered to what the sender's balance pays for at the given
 * price). A call that fails even at the cap returns its revert (error 3, with data and reason), "gas
 * required exceeds allowance (cap)" where it ran out of gas, or its halt's message (as geth).
 */
export function ethEstimateGas(params: readonly unknown[], ctx: RpcContext, call: CallInfo = {}): string {
  expectParams(params, 1, 3);
  const req = parseCallRequest(params[0]);
  const site = callSiteFor(ctx, parseBlockRef(params[1] ?? "pending"));
  const prepared = prepareCall(ctx, req, site, parseStateOverrides(params[2]));
  return quantity(estimate(prepared, call.console));
}

/** `consoleCalls` collects the console.log calls of the first run only (the search repeats the call). */
export function estimate(p: PreparedCall, consoleCalls?: ConsoleCallCollector): bigint {
  let hi = p.tx.gasLimit;
  const price = p.tx.type >= 2 ? p.tx.maxFeePerGas! : p.tx.gasPrice!;
  if (price > 0n) {
    const balance = p.host.account(p.tx.sender)?.balance ?? 0n;
    if (balance < p.tx.value) {
      throw new RpcError(INVALID_INPUT, "insufficient funds for transfer");
    }
    const affordable = (balance - p.tx.value) / price;
    if (affordable < intrinsicGas(p.tx)) {
      throw new RpcError(
        INVALID_INPUT,
        `insufficient funds for gas * price + value: balance ${balance}, value ${p.tx.value}, price ${price}`,
      );
    }
    if (affordable < hi) hi = affordable;
  }
  const at = (gas: bigint) => runCall({ ...p, tx: { ...p.tx, gasLimit: gas } });

  const top = runCall({ ...p, tx: { ...p.tx, gasLimit: hi } }, consoleCalls ? { tracer: consoleCalls } : {});
  if (top.status === 0) {
    // As geth: running out of gas at the cap is "exceeds allowance"; a revert or another halt is itself.
    if (top.halt === ERR_OUT_OF_GAS) throw new RpcError(INVALID_INPUT, `gas required exceeds allowance (${hi})`);
    throw callFailure(top);
  }
  // Succeeds at `hi`; fails (or is invalid) at `lo`.
  let lo = intrinsicGas(p.tx) - 1n;
  const succeeds = (gas: bigint) => {
    try {
      return at(gas).status === 1;
    } catch (error) {
      // Too little gas to be valid (intrinsic gas) fails; anything else (an interrupted run) ends the search.
      if (error instanceof RpcError) return false;
      throw error;
    }
  };
  // Most calls need about what they used plus the 1/64 held back from sub-calls: try that first.
  const guess = ((top.gasUsed + 2300n) * 64n) / 63n;
  if (guess > lo && guess < hi) {
    if (succeeds(guess)) hi = guess;
    else lo = guess;
  }
  while (lo + 1n < hi) {
    const mid = (lo + hi) / 2n;
    if (succeeds(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
