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

/** Transaction `index` of canonical block `number`: decoded alone where the chain can, else from the whole block. */
function canonicalTxAt(ctx: RpcContext, number: bigint, index: number): unknown {
  const chain = ctx.chain;
  if (chain.transactionInBlock === undefined) return txAt(chain.blockByNumber(number), index, false);
  const found = chain.transactionInBlock(number, index);
  return found === undefined ? null : formatTransaction(found.tx, locationIn(found.block, index));
}

/** eth_getTransactionByBlockNumberAndIndex(block, index): the transaction, or null. */
export function ethGetTransactionByBlockNumberAndIndex(params: readonly unknown[], ctx: RpcContext): unknown {
  expectParams(params, 2);
  const ref = parseBlockNumberOrTag(params[0], "block");
  const index = parseIndex(params[1], "index");
  if (ref.kind === "tag" && ref.tag === "pending") return txAt(pendingBlock(ctx), index, true);
  if (ref.kind === "number") return canonicalTxAt(ctx, ref.number, index);
  return txAt(findBlock(ctx, ref), index, false);
}

/** eth_getTransactionByBlockHashAndIndex(hash, index): the transaction, or null. */
export function ethGetTransactionByBlockHashAndIndex(params: readonly unknown[], ctx: RpcContext): unknown {
  expectParams(params, 2);
  const hash = parseHash(params[0], "blockHash");
  const index = parseIndex(params[1], "index");
  const header = ctx.chain.headerByHash?.(hash);
  if (header !== undefined) return canonicalTxAt(ctx, header.number, index);
  return txAt(ctx.chain.blockByHash(hash), index, false);
}
