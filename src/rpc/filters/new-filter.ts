import type { RpcContext } from "../context.js";
import { expectParams } from "../hex-codec.js";
import { parseLogQuery } from "./log-filter.js";

/** eth_newFilter(filter): a log filter; eth_getFilterChanges returns logs of blocks mined after it. */
export function ethNewFilter(params: readonly unknown[], ctx: RpcContext): string {
  expectParams(params, 1);
  return ctx.filters.install("logs", parseLogQuery(params[0]));
}

/** eth_newBlockFilter: eth_getFilterChanges returns the hashes of blocks mined since. */
export function ethNewBlockFilter(params: readonly unknown[], ctx: RpcContext): string {
  expectParams(params, 0);
  return ctx.filters.install("blocks");
}

/** eth_newPendingTransactionFilter: eth_getFilterChanges returns the hashes of transactions pooled since. */
export function ethNewPendingTransactionFilter(params: readonly unknown[], ctx: RpcContext): string {
  expectParams(params, 0, 1);
  return ctx.filters.install("pendingTransactions");
}
