import type { RpcContext } from "../context.js";
import { address, expectParams } from "../hex-codec.js";

/** eth_coinbase: the address blocks are mined to. */
export function ethCoinbase(params: readonly unknown[], ctx: RpcContext): string {
  expectParams(params, 0);
  return address(ctx.config.coinbase);
}
