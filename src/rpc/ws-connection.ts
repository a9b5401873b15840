// One WebSocket connection's requests, with backpressure: a client that sends faster than it reads
// must not make the node hold its requests and answers without bound. Messages wait in a small
// queue and run a few at a time; while the queue or the answers not yet written to the network are
// over their bounds, the socket is paused (the node stops reading it, so TCP slows the client down).
// When the socket closes, its queue is dropped, the calls still running see their signal aborted,
// and their answers are discarded. A paused socket reads nothing, not even the peer's FIN, so it is
// pinged now and then: once the peer is gone a write fails, and that closes it.
import type { WebSocket } from "ws";
import { type Dispatcher, errorResponse, handleMessage, serialize } from "./dispatch.js";
import { INTERNAL_ERROR, RpcError } from "./errors.js";
import type { CallInfo, RpcConnection } from "./handler.js";

export interface WebSocketBounds {
  /** Messages of one socket that run at once; the rest wait in its queue. */
  maxRunning: number;
  /** Messages waiting to run; the socket is paused at this many. */
  maxQueued: number;
  /** Bytes of messages waiting to run; the socket is paused above this. */
  maxQueuedBytes: number;
  /** Bytes of answers not yet written to the network; above this nothing more runs or is read. */
  maxBufferedBytes: number;
  /** How often a paused socket is pinged to notice a peer that went away. */
  pausedPingMs: number;
}

export const DEFAULT_WEBSOCKET_BOUNDS: WebSocketBounds = {
  maxRunning: 64,
  maxQueued: 1024,
  maxQueuedBytes: 8 * 1024 * 1024,
  maxBufferedBytes: 8 * 1024 * 1024,
  pausedPingMs: 1000,
};

/** Serves JSON-RPC on an open socket; `client` is its key in CallInfo (`ws:<n>`). */
export function serveWebSocket(d: Dispatcher, ws: WebSocket, client: string, bounds: WebSocketBounds): void {
  const abort = new AbortController();
  const queue: string[] = [];
  let queuedBytes = 0;
  let running = 0;
  let paused: NodeJS.Timeout | undefined;
  const pause = (): void => {
    ws.pause();
    paused = setInterval(() => {
      if (ws.readyState === ws.OPEN) ws.ping();
    }, bounds.pausedPingMs);
  };
  const resume = (): void => {
    clearInterval(paused);
    paused = undefined;
    ws.resume();
  };

  // Runs what the bounds allow, then pauses or resumes reading. Called whenever one of them moves:
  // a message arrives, a call ends, an answer is written out.
  const flow = (): void => {
    if (abort.signal.aborted) return;
    while (queue.length > 0 && running < bounds.maxRunning && ws.bufferedAmount < bounds.maxBufferedBytes) {
      const text = queue.shift()!;
      queuedBytes -= text.length;
      run(text);
    }
    const full =
      queue.length >= bounds.maxQueued ||
      queuedBytes >= bounds.maxQueuedBytes ||
      ws.bufferedAmount >= bounds.maxBufferedBytes;
    if (full && paused === undefined) pause();
    else if (!full && paused !== undefined) resume();
  };

  const connection: RpcConnection = {
    subscriptions: new Map(),
    send(message) {
      if (ws.readyState !== ws.OPEN) return;
      // The callback runs once the frame is handed to the network: room to run more.
      ws.send(typeof message === "string" ? message : serialize(message), flow);
    },
  };
  const call: CallInfo = { connection, signal: abort.signal, client };

  const run = (text: string): void => {
    running++;
    handleMessage(d, text, call)
      .then(
        (response) => {
          if (response !== undefined) connection.send(response);
        },
        (error) => connection.send(errorResponse(null, new RpcError(INTERNAL_ERROR, `internal error: ${error}`))),
      )
      .finally(() => {
        running--;
        flow();
      });
  };

  ws.on("message", (raw, isBinary) => {
    if (abort.signal.aborted) return;
    const text = isBinary ? Buffer.from(raw as Buffer).toString("utf8") : raw.toString();
    queue.push(text);
    queuedBytes += text.length;
    flow();
  });
  ws.on("close", () => {
    clearInterval(paused);
    abort.abort();
    queue.length = 0;
    queuedBytes = 0;
    for (const end of connection.subscriptions.values()) end();
    connection.subscriptions.clear();
  });
  // A client that vanishes is noticed by `close`; errors (bad frames, too-large messages) end the socket.
  ws.on("error", () => ws.terminate());
}
