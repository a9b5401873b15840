import type { RpcContext } from "../context.js";
import type { CallInfo } from "../handler.js";
import { expectParams } from "../hex-codec.js";
import type { FilterOwner } from "./filter-store.js";
import { parseLogQuery } from "./log-filter.js";

/** The installing client; over a WebSocket, the filter lives as long as the socket. */
function ownerOf(call: CallInfo): FilterOwner {
  return { client: call.client, closed: call.connection === undefined ? undefined : call.signal };
}

/** eth_newFilter(filter): a log filter; eth_getFilterChanges returns logs of blocks mined after it. */
export function ethNewFilter(params: readonly unknown[], ctx: RpcContext, call: CallInfo = {}): string {
  expectParams(params, 1);
  return ctx.filters.install("logs", parseLogQuery(params[0], "filter", true, ctx.limits), ownerOf(call));
}

/** eth_newBlockFilter: eth_getFilterChanges returns the hashes of blocks mined since. */
export function ethNewBlockFilter(params: readonly unknown[], ctx: RpcContext, call: CallInfo = {}): string {
  expectParams(params, 0);
  return ctx.filters.install("blocks", undefined, ownerOf(call));
}

/** eth_newPendingTransactionFilter: eth_getFilterChanges returns the hashes of transactions pooled since. */
export function ethNewPendingTransactionFilter(
  params: readonly unknown[],
  ctx: RpcContext,
  call: CallInfo = {},
): string {
  expectParams(params, 0, 1);
  return ctx.filters.install("pendingTransactions", undefined, ownerOf(call));
}
