// The `timeout` of a trace config (geth's TraceConfig.Timeout): a Go duration string ("10s", "500ms",
// "1m30s") that replaces the node's call timeout for that one trace. The handlers only check it; the
// call pool, which owns the clock, applies it (call-pool/timeout.ts).
import { invalidParams } from "../errors.js";

/** Milliseconds per unit, as Go's time.ParseDuration names them. */
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
// Longer units after the ones they prefix ("ms" before "m").
const PART = /([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)/y;

/** A Go duration string in milliseconds (fractional), or undefined if it is not one. */
export function parseGoDuration(text: string): number | undefined {
  let rest = text;
  let sign = 1;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    sign = rest.startsWith("-") ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === "0") return 0;
  if (rest === "") return undefined;
  let total = 0;
  for (let at = 0; at < rest.length; at = PART.lastIndex) {
    PART.lastIndex = at;
    const m = PART.exec(rest);
    if (m === null || !/[0-9]/.test(m[1]!)) return undefined;
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
  }
  return sign * total;
}

/** A trace config's `timeout` in whole milliseconds (rounded up); absent: undefined; anything else: -32602. */
export function parseTraceTimeout(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = typeof value === "string" ? parseGoDuration(value) : undefined;
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) {
    throw invalidParams(`${name}: expected a positive duration such as "10s" or "500ms", got ${JSON.stringify(value)}`);
  }
  return Math.ceil(ms);
}

/**
 * The timeout a trace request's config asks for, read before the request runs (the config may be
 * anything): undefined when there is none or it is invalid (the handler then answers -32602).
 */
export function requestedTraceTimeoutMs(config: unknown): number | undefined {
  if (typeof config !== "object" || config === null || !Object.hasOwn(config, "timeout")) return undefined;
  try {
    return parseTraceTimeout((config as { timeout: unknown }).timeout, "timeout");
  } catch {
    return undefined;
  }
}
