import type { RpcContext } from "../context.js";
import { RpcError } from "../errors.js";
import type { CallInfo } from "../handler.js";
import { expectParams } from "../hex-codec.js";
import { queryLogs } from "./log-filter.js";

function filterId(value: unknown): string {
  if (typeof value !== "string") throw new RpcError(-32602, "filter id: expected a hex string");
  return value.toLowerCase();
}

const notFound = () => new RpcError(-32000, "filter not found");

/** eth_getFilterChanges(id): what the filter collected since it was last polled. */
export function ethGetFilterChanges(params: readonly unknown[], ctx: RpcContext): unknown[] {
  expectParams(params, 1);
  const id = filterId(params[0]);
  const changes = ctx.filters.takeChanges(id);
  if (changes !== undefined) return changes;
  const overflow = ctx.filters.takeOverflowReason(id);
  // The same code and leading words as any unknown filter: clients that re-install on it still do.
  throw overflow === undefined ? notFound() : new RpcError(-32000, `filter not found: ${overflow}`);
}

/** eth_getFilterLogs(id): every log matching a log filter's criteria over its whole range (eth_getLogs' limits). */
export async function ethGetFilterLogs(
  params: readonly unknown[],
  ctx: RpcContext,
  call: CallInfo = {},
): Promise<unknown[]> {
  expectParams(params, 1);
  const filter = ctx.filters.get(filterId(params[0]));
  if (filter === undefined) throw notFound();
  if (filter.kind !== "logs" || filter.query === undefined) throw new RpcError(-32000, "filter is not a log filter");
  return queryLogs(ctx, filter.query, call.signal);
}

/** eth_uninstallFilter(id): whether a filter was removed. */
export function ethUninstallFilter(params: readonly unknown[], ctx: RpcContext): boolean {
  expectParams(params, 1);
  return ctx.filters.uninstall(filterId(params[0]));
}
