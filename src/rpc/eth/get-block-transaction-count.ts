import { findBlock } from "../block-ref.js";
import type { RpcContext } from "../context.js";
import { expectParams, indexHex, parseBlockNumberOrTag, parseHash } from "../hex-codec.js";
import { pendingBlock } from "./pending-block.js";

/** eth_getBlockTransactionCountByNumber(block): the count, or null for an unknown block. */
export function ethGetBlockTransactionCountByNumber(params: readonly unknown[], ctx: RpcContext): string | null {
  expectParams(params, 1);
  const ref = parseBlockNumberOrTag(params[0], "block");
  const block = ref.kind === "tag" && ref.tag === "pending" ? pendingBlock(ctx) : findBlock(ctx, ref);
  return block === undefined ? null : indexHex(block.transactions.length);
}

/** eth_getBlockTransactionCountByHash(hash): the count, or null for an unknown block. */
export function ethGetBlockTransactionCountByHash(params: readonly unknown[], ctx: RpcContext): string | null {
  expectParams(params, 1);
  const block = ctx.chain.blockByHash(parseHash(params[0], "blockHash"));
  return block === undefined ? null : indexHex(block.transactions.length);
}
