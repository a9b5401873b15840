// What UpstreamClient and its HTTP worker (upstream-worker.ts) send each other.
import type { MessagePort } from "node:worker_threads";

export interface UpstreamWorkerData {
  url: string;
  timeoutMs: number;
  /** Where replies go (the client reads them with receiveMessageOnPort). */
  port: MessagePort;
  /** Int32 word 0: replies posted so far (the worker adds 1 after each, then notifies). */
  signal: SharedArrayBuffer;
}

export interface UpstreamRequest {
  id: number;
  /** A JSON-RPC request or batch, as sent. */
  body: string;
}

/** The HTTP body on success, else why there is none. */
export type UpstreamReply = { id: number; body: string } | { id: number; error: string };
