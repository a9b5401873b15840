import type { RpcContext } from "../context.js";
import { formatTransaction } from "../format.js";
import { expectParams } from "../hex-codec.js";
import { bySenderAndNonce, poolContent } from "./pool-content.js";

/**
 * txpool_content: every pooled transaction, `{ pending, queued }` each keyed by sender then nonce,
 * shaped as eth_getTransactionByHash shows a pending one (null block fields).
 */
export function txpoolContent(params: readonly unknown[], ctx: RpcContext): unknown {
  expectParams(params, 0);
  const content = poolContent(ctx, "txpool_content");
  return {
    pending: bySenderAndNonce(content.pending, (tx) => formatTransaction(tx)),
    queued: bySenderAndNonce(content.queued, (tx) => formatTransaction(tx)),
  };
}
