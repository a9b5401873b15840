import type { RpcContext } from "../context.js";
import { expectParams, hash, parseData } from "../hex-codec.js";

/**
 * eth_sendRawTransaction(raw): decodes, recovers and pools the transaction (the pool's rejections come
 * back as -32000 with geth's messages); returns its hash, after it is mined when the miner automines.
 */
export async function ethSendRawTransaction(params: readonly unknown[], ctx: RpcContext): Promise<string> {
  expectParams(params, 1);
  const raw = parseData(params[0], "rawTransaction");
  const txHash = await ctx.pool.addRaw(raw);
  await ctx.miner.afterSubmit?.(txHash);
  return hash(txHash);
}
