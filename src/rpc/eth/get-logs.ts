import type { RpcContext } from "../context.js";
import { parseLogQuery, queryLogs } from "../filters/log-filter.js";
import { expectParams } from "../hex-codec.js";

/**
 * eth_getLogs(filter): logs matching address/topics over fromBlock..toBlock or one blockHash, within
 * the server's block-range and result limits (-32005 beyond them).
 */
export function ethGetLogs(params: readonly unknown[], ctx: RpcContext): unknown[] {
  expectParams(params, 1);
  return queryLogs(ctx, parseLogQuery(params[0]));
}
