import type { RpcContext } from "../context.js";
import { formatTransaction } from "../format.js";
import { expectParams, parseAddress } from "../hex-codec.js";
import { byNonce, poolContent } from "./pool-content.js";

/**
 * txpool_contentFrom(address): one sender's pooled transactions, `{ pending, queued }` keyed by nonce
 * (geth's method; anvil has none).
 */
export function txpoolContentFrom(params: readonly unknown[], ctx: RpcContext): unknown {
  expectParams(params, 1);
  const sender = parseAddress(params[0], "address");
  const content = poolContent(ctx, "txpool_contentFrom");
  return {
    pending: byNonce(content.pending.get(sender) ?? [], (tx) => formatTransaction(tx)),
    queued: byNonce(content.queued.get(sender) ?? [], (tx) => formatTransaction(tx)),
  };
}
