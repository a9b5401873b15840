import type { RpcContext } from "../context.js";
import { expectParams, quantity } from "../hex-codec.js";

/** eth_blockNumber: the head's number. */
export function ethBlockNumber(params: readonly unknown[], ctx: RpcContext): string {
  expectParams(params, 0);
  return quantity(ctx.chain.head().header.number);
}
