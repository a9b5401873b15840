import type { RpcContext } from "../context.js";
import { formatReceipt } from "../format.js";
import { expectParams, parseHash } from "../hex-codec.js";

/** eth_getTransactionReceipt(hash): the receipt of a mined transaction, or null. */
export function ethGetTransactionReceipt(params: readonly unknown[], ctx: RpcContext): unknown {
  expectParams(params, 1);
  const receipt = ctx.chain.receipt(parseHash(params[0], "transactionHash"));
  if (receipt === undefined) return null;
  const chain = ctx.chain;
  const header = chain.headerByHash?.(receipt.blockHash) ?? chain.blockByHash(receipt.blockHash)?.header;
  return formatReceipt(receipt, header?.timestamp);
}
