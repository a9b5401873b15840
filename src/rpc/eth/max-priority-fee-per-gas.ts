import type { RpcContext } from "../context.js";
import { expectParams, quantity } from "../hex-codec.js";

const ONE_GWEI = 1_000_000_000n;

/** The tip the node suggests: the configured minimum (default 1 gwei, as anvil suggests). */
export function suggestedTip(ctx: RpcContext): bigint {
  return ctx.config.minPriorityFee ?? ONE_GWEI;
}

/** eth_maxPriorityFeePerGas. */
export function ethMaxPriorityFeePerGas(params: readonly unknown[], ctx: RpcContext): string {
  expectParams(params, 0);
  return quantity(suggestedTip(ctx));
}
