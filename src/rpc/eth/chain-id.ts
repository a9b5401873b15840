import type { RpcContext } from "../context.js";
import { expectParams, quantity } from "../hex-codec.js";

/** eth_chainId: the chain id (EIP-695). */
export function ethChainId(params: readonly unknown[], ctx: RpcContext): string {
  expectParams(params, 0);
  return quantity(ctx.chain.chainId);
}
