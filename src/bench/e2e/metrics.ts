// weft_metrics: Weft's counters since the node started ({"blocks","txs","executeMs","stateRootMs",
// "commitMs","recoverMs",...}). Read before and after the run; the difference is the run's share.
// A node without the method (anvil, or an older Weft) gives undefined: the figures show "n/a".
import { rpcCall, type Transport } from "./rpc-client.js";

export async function readWeftMetrics(transport: Transport): Promise<Record<string, number> | undefined> {
  try {
    const m = await rpcCall<unknown>(transport, "weft_metrics");
    if (typeof m !== "object" || m === null) return undefined;
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(m)) if (typeof v === "number" && Number.isFinite(v)) out[k] = v;
    return out;
  } catch {
    return undefined;
  }
}

/** after - before for every counter both have. */
export function metricsDelta(
  before: Record<string, number> | undefined,
  after: Record<string, number> | undefined,
): Record<string, number> | null {
  if (before === undefined || after === undefined) return null;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) if (k in before) out[k] = v - before[k]!;
  return out;
}

/** Transactions per second of execution alone: the run's txs over its executeMs; null when unknown. */
export function executionRate(delta: Record<string, number> | null): number | null {
  if (delta === null || delta.txs === undefined || delta.executeMs === undefined || delta.executeMs <= 0) return null;
  return delta.txs / (delta.executeMs / 1000);
}
