// How long one request may run. The node's --rpc-call-timeout, unless the request is a trace whose
// config names its own `timeout` (geth's TraceConfig.Timeout): that replaces the node's, longer or
// shorter, as in geth, up to a ceiling. The ceiling exists because the workers are few (default 2):
// traces allowed to run for hours would hold every worker and queue every eth_call behind them.
import { requestedTraceTimeoutMs } from "../debug/trace-timeout.js";

/** Where each trace method takes its config. */
const TRACE_CONFIG_PARAM: Readonly<Record<string, number>> = {
  debug_traceCall: 2,
  debug_traceTransaction: 1,
  debug_traceBlockByNumber: 1,
  debug_traceBlockByHash: 1,
};

/**
 * Longest timeout a trace may ask for while the node has a call timeout: a minute (longer than most
 * HTTP clients and proxies wait for an answer), or the node's own timeout if that is longer.
 */
export const TRACE_TIMEOUT_CEILING_MS = 60_000;

/** setTimeout's largest delay (a longer one fires at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The timeout `method` with `params` asks for itself, if any (a trace config's valid `timeout`). */
export function requestedTimeoutMs(method: string, params: readonly unknown[]): number | undefined {
  if (!Object.hasOwn(TRACE_CONFIG_PARAM, method)) return undefined;
  return requestedTraceTimeoutMs(params[TRACE_CONFIG_PARAM[method]!]);
}

/**
 * The wall-clock limit of one request in milliseconds (0: none): `requestedMs` where given, at most
 * the ceiling; else the node's. A node without a call timeout (0) sets no ceiling either.
 */
export function requestTimeoutMs(nodeTimeoutMs: number, requestedMs: number | undefined): number {
  if (requestedMs === undefined) return nodeTimeoutMs;
  const ceiling = nodeTimeoutMs === 0 ? MAX_TIMER_MS : Math.max(nodeTimeoutMs, TRACE_TIMEOUT_CEILING_MS);
  return Math.min(requestedMs, ceiling);
}
