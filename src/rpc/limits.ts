// The server's limits and their defaults (geth-like where geth has one).
import type { RpcLimits } from "./context.js";

export const DEFAULT_LIMITS: RpcLimits = {
  maxBodyBytes: 5 * 1024 * 1024,
  maxBatchLength: 1000,
  maxLogsBlockRange: 10_000n,
  maxLogsResults: 10_000,
  // geth's caps on a filter's addresses and per-position topics (filters/api.go).
  maxLogsAddresses: 1000,
  maxLogsTopicValues: 1000,
  logsQueryBudgetMs: 10_000,
  maxSubscriptionsPerConnection: 1000,
  maxFilters: 10_000,
  maxFiltersPerClient: 1000,
  // A dump of 256 MiB of JSON is far above any dev chain's state, and its parse stays below 2 GiB of heap.
  maxStateDumpBytes: 256 * 1024 * 1024,
  filterTimeoutSeconds: 300,
  // Far above one block's notifications for a reader that keeps up (16 MiB is some 16,000 heads, or
  // some 25,000 logs), and what a stalled reader may cost before its socket is closed.
  maxUnsentNotificationBytes: 16 * 1024 * 1024,
};

/** Defaults overridden by what is given; a non-positive or non-integer limit is an error. */
export function resolveLimits(given: Partial<RpcLimits> = {}): RpcLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(given) as [keyof RpcLimits, number | bigint | undefined][]) {
    if (value === undefined) continue;
    if (!(key in DEFAULT_LIMITS)) throw new Error(`unknown RPC limit "${key}"`);
    const ok = typeof value === "bigint" ? value > 0n : Number.isInteger(value) && value > 0;
    if (!ok) throw new Error(`RPC limit ${key} must be a positive integer, got ${value}`);
    (limits as Record<string, number | bigint>)[key] = key === "maxLogsBlockRange" ? BigInt(value) : Number(value);
  }
  return limits;
}
