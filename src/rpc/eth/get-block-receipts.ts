import { findBlock } from "../block-ref.js";
import type { RpcContext } from "../context.js";
import { formatReceipt } from "../format.js";
import { expectParams, parseBlockRef } from "../hex-codec.js";

/** eth_getBlockReceipts(block): every receipt of the block, or null for an unknown block. */
export function ethGetBlockReceipts(params: readonly unknown[], ctx: RpcContext): unknown {
  expectParams(params, 1);
  const ref = parseBlockRef(params[0]);
  if (ref.kind === "tag" && ref.tag === "pending") return null;
  const block = findBlock(ctx, ref);
  return block === undefined
    ? null
    : ctx.chain.blockReceipts(block.header.number).map((r) => formatReceipt(r, block.header.timestamp));
}
