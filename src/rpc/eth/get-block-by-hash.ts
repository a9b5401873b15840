import type { RpcContext } from "../context.js";
import { formatBlock } from "../format.js";
import { expectParams, parseBool, parseHash } from "../hex-codec.js";

/** eth_getBlockByHash(hash, full): the block, or null. */
export function ethGetBlockByHash(params: readonly unknown[], ctx: RpcContext): unknown {
  expectParams(params, 1, 2);
  const block = ctx.chain.blockByHash(parseHash(params[0], "blockHash"));
  return block === undefined ? null : formatBlock(block, parseBool(params[1], "fullTransactions"));
}
