// The per-request line (debug): method, id, milliseconds, and how it ended (ok, or the error's code
// and message). At trace the params follow, cut short: a raw transaction or a large call input is
// never logged whole.
import type { ServedRequest } from "../rpc/dispatch.js";
import type { Logger } from "./log.js";

/** Most characters of a request's params a trace line shows. */
export const MAX_LOGGED_PARAMS = 200;

export function logRequest(log: Logger, served: ServedRequest): void {
  if (!log.isLevelEnabled("debug")) return;
  const { method, id, ms, error } = served;
  const fields: Record<string, unknown> = { method, id: id ?? null, ms: Number(ms.toFixed(3)) };
  const outcome = error === undefined ? "ok" : `error ${error.code}: ${error.message}`;
  if (error !== undefined) fields.code = error.code;
  let line = `rpc ${method} id=${JSON.stringify(id ?? null)} ${ms.toFixed(2)} ms ${outcome}`;
  if (log.isLevelEnabled("trace")) {
    fields.params = abbreviated(served.params);
    line += ` params=${fields.params}`;
    log.trace(fields, line);
  } else {
    log.debug(fields, line);
  }
}

/** The params as JSON, at most MAX_LOGGED_PARAMS characters (then "…" and the full length). */
export function abbreviated(params: readonly unknown[]): string {
  let json: string;
  try {
    json = JSON.stringify(params);
  } catch {
    return "[unprintable]";
  }
  return json.length <= MAX_LOGGED_PARAMS ? json : `${json.slice(0, MAX_LOGGED_PARAMS)}…(${json.length} chars)`;
}
