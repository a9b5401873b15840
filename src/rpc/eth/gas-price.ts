import { nextTimestamp } from "../block-ref.js";
import type { RpcContext } from "../context.js";
import { expectParams, quantity } from "../hex-codec.js";
import { suggestedTip } from "./max-priority-fee-per-gas.js";

/** eth_gasPrice: the next block's base fee plus the suggested tip. */
export function ethGasPrice(params: readonly unknown[], ctx: RpcContext): string {
  expectParams(params, 0);
  return quantity(ctx.chain.nextBlockEnv(nextTimestamp(ctx)).baseFee + suggestedTip(ctx));
}
