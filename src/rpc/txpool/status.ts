import type { RpcContext } from "../context.js";
import { expectParams, indexHex } from "../hex-codec.js";
import { poolContent } from "./pool-content.js";

/** txpool_status: how many transactions are pending (executable) and queued (behind a nonce gap). */
export function txpoolStatus(params: readonly unknown[], ctx: RpcContext): { pending: string; queued: string } {
  expectParams(params, 0);
  const content = poolContent(ctx, "txpool_status");
  const count = (txs: Map<bigint, unknown[]>) => {
    let n = 0;
    for (const list of txs.values()) n += list.length;
    return n;
  };
  return { pending: indexHex(count(content.pending)), queued: indexHex(count(content.queued)) };
}
