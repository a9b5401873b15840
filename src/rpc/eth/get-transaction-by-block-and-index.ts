import type { Block } from "../../chain/types.js";
import { findBlock } from "../block-ref.js";
import type { RpcContext } from "../context.js";
import { formatTransaction, locationIn } from "../format.js";
import { expectParams, parseBlockNumberOrTag, parseHash, parseIndex } from "../hex-codec.js";
import { pendingBlock } from "./pending-block.js";

function txAt(block: Block | undefined, index: number, pending: boolean): unknown {
  const tx = block?.transactions[index];
  if (block === undefined || tx === undefined) return null;
  if (pending) return formatTransaction(tx);
  return formatTransaction(tx, locationIn(block, index));
}

/** eth_getTransactionByBlockNumberAndIndex(block, index): the transaction, or null. */
export function ethGetTransactionByBlockNumberAndIndex(params: readonly unknown[], ctx: RpcContext): unknown {
  expectParams(params, 2);
  const ref = parseBlockNumberOrTag(params[0], "block");
  const index = parseIndex(params[1], "index");
  const pending = ref.kind === "tag" && ref.tag === "pending";
  return txAt(pending ? pendingBlock(ctx) : findBlock(ctx, ref), index, pending);
}

/** eth_getTransactionByBlockHashAndIndex(hash, index): the transaction, or null. */
export function ethGetTransactionByBlockHashAndIndex(params: readonly unknown[], ctx: RpcContext): unknown {
  expectParams(params, 2);
  const block = ctx.chain.blockByHash(parseHash(params[0], "blockHash"));
  return txAt(block, parseIndex(params[1], "index"), false);
}
