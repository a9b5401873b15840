import type { RpcContext } from "../context.js";
import { formatTransaction, locationIn } from "../format.js";
import { expectParams, parseHash } from "../hex-codec.js";

/** eth_getTransactionByHash(hash): a mined transaction, else a pooled one (without a block), else null. */
export function ethGetTransactionByHash(params: readonly unknown[], ctx: RpcContext): unknown {
  expectParams(params, 1);
  const hash = parseHash(params[0], "transactionHash");
  const found = ctx.chain.transaction(hash);
  if (found !== undefined) {
    const block = ctx.chain.blockByHash(found.blockHash);
    if (block === undefined) throw new Error(`transaction ${params[0]} is indexed in a block the chain lacks`);
    return formatTransaction(found.tx, locationIn(block, found.index));
  }
  const pooled = ctx.pool.get(hash);
  return pooled === undefined ? null : formatTransaction(pooled);
}
