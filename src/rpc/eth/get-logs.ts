import type { RpcContext } from "../context.js";
import { parseLogQuery, queryLogs } from "../filters/log-filter.js";
import type { CallInfo } from "../handler.js";
import { expectParams } from "../hex-codec.js";

/**
 * eth_getLogs(filter): logs matching address/topics over fromBlock..toBlock or one blockHash, within
 * the server's limits on addresses and topics (-32602), block range, results and work (-32005). Other
 * requests are served while it scans; it stops when the client goes away.
 */
export function ethGetLogs(params: readonly unknown[], ctx: RpcContext, call: CallInfo = {}): Promise<unknown[]> {
  expectParams(params, 1);
  return queryLogs(ctx, parseLogQuery(params[0], "filter", true, ctx.limits), call.signal);
}
