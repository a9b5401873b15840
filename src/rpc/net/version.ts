import type { RpcContext } from "../context.js";
import { expectParams } from "../hex-codec.js";

/** net_version: the network id as a decimal string (the chain id unless configured). */
export function netVersion(params: readonly unknown[], ctx: RpcContext): string {
  expectParams(params, 0);
  return (ctx.config.networkId ?? ctx.chain.chainId).toString(10);
}
