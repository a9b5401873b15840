// JSON-RPC 2.0 framing: parse a message (one request or a batch), validate each request, run its
// handler, and frame results and errors. Transport-independent: HTTP and WebSocket both call
// handleMessage with the text they received.
import type { RpcContext } from "./context.js";
import {
  INTERNAL_ERROR,
  INVALID_INPUT,
  INVALID_PARAMS,
  INVALID_REQUEST,
  LIMIT_EXCEEDED,
  METHOD_NOT_FOUND,
  PARSE_ERROR,
  RpcError,
} from "./errors.js";
import type { CallInfo, MethodTable } from "./handler.js";

type Id = string | number | null;

export interface JsonRpcResponse {
  jsonrpc: "2.0";
  id: Id;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

export interface Dispatcher {
  methods: MethodTable;
  ctx: RpcContext;
  /** Told of each request with a method once it is answered (per-request log line, metrics). */
  onRequest?: (served: ServedRequest) => void;
  /** Where the dispatcher adds the time it spends on this thread (weft_metrics' ingestMs). */
  timing?: DispatchTiming;
}

/**
 * Milliseconds the dispatcher ran on its thread: parsing messages, checking requests, the handlers'
 * synchronous part (up to their first wait: a transaction's recovery, a call worker's answer) and
 * serializing responses. Not what the handlers do after a wait, nor the HTTP or WebSocket transport.
 */
export interface DispatchTiming {
  ingestMs: number;
}

/** A request the dispatcher answered: what was asked, how long it took, how it ended. */
export interface ServedRequest {
  method: string;
  /** False for a method the table does not have (answered -32601). */
  known: boolean;
  /** Undefined for a notification. */
  id: Id | undefined;
  params: readonly unknown[];
  ms: number;
  /** The error it was answered with; undefined on success. */
  error: JsonRpcResponse["error"];
}

/**
 * Handles one received message. Returns the response text, or undefined when nothing is to be sent
 * (a notification, or a batch of notifications only).
 */
export async function handleMessage(d: Dispatcher, text: string, call: CallInfo = {}): Promise<string | undefined> {
  const timing = d.timing;
  // Timed in two parts (weft_metrics' ingestMs): up to the first wait (parse, checks, each handler's
  // synchronous start), then the responses' serialization.
  let started = timing === undefined ? 0 : performance.now();
  let message: unknown;
  let answers: Promise<JsonRpcResponse | undefined>[];
  try {
    try {
      message = JSON.parse(text);
    } catch (error) {
      return serialize(errorResponse(null, new RpcError(PARSE_ERROR, `parse error: ${(error as Error).message}`)));
    }
    if (!Array.isArray(message)) answers = [handleRequest(d, message, call)];
    else if (message.length === 0) {
      return serialize(errorResponse(null, new RpcError(INVALID_REQUEST, "empty batch")));
    } else if (message.length > d.ctx.limits.maxBatchLength) {
      const error = new RpcError(
        LIMIT_EXCEEDED,
        `batch of ${message.length} requests exceeds the limit of ${d.ctx.limits.maxBatchLength}`,
      );
      return serialize(errorResponse(null, error));
    } else answers = message.map((m) => handleRequest(d, m, call));
  } finally {
    if (timing !== undefined) timing.ingestMs += performance.now() - started;
  }
  const responses = await Promise.all(answers);
  if (timing !== undefined) started = performance.now();
  try {
    if (!Array.isArray(message)) return responses[0] === undefined ? undefined : serialize(responses[0]);
    const sent = responses.filter((r): r is JsonRpcResponse => r !== undefined);
    return sent.length === 0 ? undefined : serialize(sent);
  } finally {
    if (timing !== undefined) timing.ingestMs += performance.now() - started;
  }
}

/** One request object; undefined for a notification (valid request without an id). */
export async function handleRequest(
  d: Dispatcher,
  request: unknown,
  call: CallInfo = {},
): Promise<JsonRpcResponse | undefined> {
  if (typeof request !== "object" || request === null || Array.isArray(request)) {
    return errorResponse(null, new RpcError(INVALID_REQUEST, "invalid request: expected a JSON object"));
  }
  const r = request as Record<string, unknown>;
  const hasId = "id" in r;
  const id = r.id;
  if (hasId && !(typeof id === "string" || typeof id === "number" || id === null)) {
    return errorResponse(null, new RpcError(INVALID_REQUEST, "invalid request: id must be a string, number or null"));
  }
  const replyId = (id ?? null) as Id;
  if (r.jsonrpc !== "2.0") {
    return errorResponse(replyId, new RpcError(INVALID_REQUEST, 'invalid request: jsonrpc must be "2.0"'));
  }
  if (typeof r.method !== "string" || r.method === "") {
    return errorResponse(replyId, new RpcError(INVALID_REQUEST, "invalid request: method must be a non-empty string"));
  }
  const method = r.method;
  let params: readonly unknown[];
  if (r.params === undefined || r.params === null) params = [];
  else if (Array.isArray(r.params)) params = r.params;
  else return errorResponse(replyId, new RpcError(INVALID_PARAMS, "invalid params: expected an array (by-position)"));

  const handler = Object.hasOwn(d.methods, method) ? d.methods[method] : undefined;
  const started = d.onRequest === undefined ? 0 : performance.now();
  let response: JsonRpcResponse;
  if (handler === undefined) {
    response = errorResponse(
      replyId,
      new RpcError(METHOD_NOT_FOUND, `the method ${method} does not exist/is not available`),
    );
  } else {
    try {
      const result = await handler(params, d.ctx, call);
      response = { jsonrpc: "2.0", id: replyId, result: result === undefined ? null : result };
    } catch (error) {
      response = errorResponse(replyId, toRpcError(error));
    }
  }
  d.onRequest?.({
    method,
    known: handler !== undefined,
    id: hasId ? replyId : undefined,
    params,
    ms: performance.now() - started,
    error: response.error,
  });
  return hasId ? response : undefined;
}

/**
 * An RpcError as is; the pool's and the codec's rejections (they carry a string `code`) as -32000 with
 * their message, as geth returns them; anything else as -32603 with its message.
 */
export function toRpcError(error: unknown): RpcError {
  if (error instanceof RpcError) return error;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (error.name === "TxPoolError" || error.name === "TxDecodeError" || typeof code === "string") {
      return new RpcError(INVALID_INPUT, error.message);
    }
    return new RpcError(INTERNAL_ERROR, `internal error: ${error.message}`);
  }
  return new RpcError(INTERNAL_ERROR, `internal error: ${String(error)}`);
}

export function errorResponse(id: Id, error: RpcError): JsonRpcResponse {
  const body: JsonRpcResponse["error"] = { code: error.code, message: error.message };
  if (error.data !== undefined) body.data = error.data;
  return { jsonrpc: "2.0", id, error: body };
}

/** JSON text; a bigint a handler left in its result becomes a hex quantity rather than a crash. */
export function serialize(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? `0x${v.toString(16)}` : v));
}
