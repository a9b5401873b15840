import { findBlock } from "../block-ref.js";
import type { RpcContext } from "../context.js";
import { formatBlock } from "../format.js";
import { expectParams, parseBlockNumberOrTag, parseBool } from "../hex-codec.js";
import { pendingBlock } from "./pending-block.js";

/** eth_getBlockByNumber(block, full): the block (null when there is none); "pending" is the block the pool would make. */
export function ethGetBlockByNumber(params: readonly unknown[], ctx: RpcContext): unknown {
  expectParams(params, 1, 2);
  const ref = parseBlockNumberOrTag(params[0], "block");
  const full = parseBool(params[1], "fullTransactions");
  if (ref.kind === "tag" && ref.tag === "pending") return formatBlock(pendingBlock(ctx), full, true);
  const block = findBlock(ctx, ref);
  return block === undefined ? null : formatBlock(block, full);
}
