// The shape of a method handler and of the method table (see methods.ts for how to add methods).
import type { ConsoleCallCollector } from "../evm/tracing/console-tracer.js";
import type { RpcContext } from "./context.js";

/** A WebSocket connection's side of a call: how eth_subscribe pushes notifications. */
export interface RpcConnection {
  /** Sends one JSON message to the client (dropped silently once the socket is closed). */
  send(message: unknown): void;
  /** Sends a subscription notification; a client that leaves too many unread is disconnected. */
  notify(message: unknown): void;
  /** Subscription id -> function that ends it; the server ends them all when the socket closes. */
  readonly subscriptions: Map<string, () => void>;
}

/** Where a request came from. */
export interface CallInfo {
  /** The WebSocket connection; undefined over HTTP (subscriptions need one). */
  connection?: RpcConnection;
  /**
   * Aborted once nobody waits for the answer: the HTTP client disconnected before its response was
   * sent, or the WebSocket closed. Long handlers check it to stop early.
   */
  signal?: AbortSignal;
  /**
   * A stable key of the client, for per-client limits: `ws:<n>` per WebSocket connection (n counts
   * connections since start), `http:<remote address>` over HTTP.
   */
  client?: string;
  /**
   * Set where Solidity console.log calls are printed (the call workers, when the node logs at info):
   * eth_call and eth_estimateGas run under it and it keeps each console call's calldata.
   */
  console?: ConsoleCallCollector;
}

/**
 * One JSON-RPC method. `params` is the request's positional params ([] when absent); the result must be
 * JSON-ready (quantities and data as hex strings: hex-codec.ts formats them). Throw an RpcError
 * (errors.ts) for a specific code; anything else thrown becomes -32603 with its message, except
 * TxPoolError / TxDecodeError, which become -32000 with theirs (as geth).
 */
export type RpcHandler = (params: readonly unknown[], ctx: RpcContext, call: CallInfo) => unknown;

export type MethodTable = Readonly<Record<string, RpcHandler>>;
