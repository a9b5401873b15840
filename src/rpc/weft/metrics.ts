import type { RpcContext } from "../context.js";
import { METHOD_NOT_FOUND, RpcError } from "../errors.js";
import { expectParams } from "../hex-codec.js";

/**
 * weft_metrics: the node's counters since it started (mined blocks and transactions; milliseconds
 * spent by the JSON-RPC dispatcher on the main thread (ingestMs), waiting for sender recovery,
 * admitting transactions to the pool, executing, computing state roots, committing to disk; the main
 * thread's event loop active and idle; memory), for benchmarks and dashboards. Numbers, not hex: it
 * is Weft's own method.
 */
export async function weftMetrics(params: readonly unknown[], ctx: RpcContext): Promise<Record<string, number>> {
  expectParams(params, 0);
  if (ctx.metrics === undefined) throw new RpcError(METHOD_NOT_FOUND, "weft_metrics is not available on this node");
  return await ctx.metrics();
}
