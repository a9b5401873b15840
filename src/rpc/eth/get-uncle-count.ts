import { findBlock } from "../block-ref.js";
import type { RpcContext } from "../context.js";
import { expectParams, parseBlockNumberOrTag, parseHash } from "../hex-codec.js";

// A post-merge chain has no uncles: "0x0" for every block the node has, null for one it has not.

/** eth_getUncleCountByBlockNumber(block): "0x0", or null for an unknown block. */
export function ethGetUncleCountByBlockNumber(params: readonly unknown[], ctx: RpcContext): string | null {
  expectParams(params, 1);
  return findBlock(ctx, parseBlockNumberOrTag(params[0], "block")) === undefined ? null : "0x0";
}

/** eth_getUncleCountByBlockHash(hash): "0x0", or null for an unknown block. */
export function ethGetUncleCountByBlockHash(params: readonly unknown[], ctx: RpcContext): string | null {
  expectParams(params, 1);
  return ctx.chain.blockByHash(parseHash(params[0], "blockHash")) === undefined ? null : "0x0";
}
