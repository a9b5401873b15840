import type { RpcContext } from "../context.js";
import { expectParams } from "../hex-codec.js";

/** eth_mining: whether blocks are being produced (automine or interval mining). */
export function ethMining(params: readonly unknown[], ctx: RpcContext): boolean {
  expectParams(params, 0);
  return ctx.miner.mining ?? ctx.miner.automine;
}
