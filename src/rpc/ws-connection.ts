// One WebSocket connection's requests, with backpressure: a client that sends faster than it reads
// must not make the node hold its requests and answers without bound. Messages wait in a small
// queue and run a few at a time; while the queue or the answers not yet written to the network are
// over their bounds, the socket is paused (the node stops reading it, so TCP slows the client down).
// When the socket closes, its queue is dropped, the calls still running see their signal aborted,
// and their answers are discarded. A paused socket reads nothing, not even the peer's FIN, so it is
// pinged now and then: once the peer is gone a write fails, and that closes it.
// Subscription notifications cannot wait like requests (the chain does not pause for a reader), so a
// subscriber that leaves more than limits.maxUnsentNotificationBytes of them unread is closed with
// 1008 (geth drops a subscriber whose buffer overflows too): its subscriptions end at once, and the
// bytes already queued go when the close handshake ends or times out.
import type { WebSocket } from "ws";
import { callAbortController } from "./call-abort.js";
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

/** The close code for a subscriber too slow to read its notifications (1008: policy violation). */
export const SLOW_SUBSCRIBER_CLOSE_CODE = 1008;

/**
 * Serves JSON-RPC on an open socket; `client` is its key in CallInfo (`ws:<n>`). `log` gets one line
 * when the node closes the socket itself (a slow subscriber).
 */
export function serveWebSocket(
  d: Dispatcher,
  ws: WebSocket,
  client: string,
  bounds: WebSocketBounds,
  log: (line: string) => void,
): void {
  const abort = callAbortController();
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

  // Notification bytes handed to `ws` whose frames are not yet written to the network.
  let unsentNotificationBytes = 0;
  // Whether this turn of the event loop already judged the subscriber (see notify).
  let judgedThisTurn = false;
  const connection: RpcConnection = {
    subscriptions: new Map(),
    send(message) {
      if (ws.readyState !== ws.OPEN) return;
      // The callback runs once the frame is handed to the network: room to run more.
      ws.send(typeof message === "string" ? message : serialize(message), flow);
    },
    notify(message) {
      if (ws.readyState !== ws.OPEN) return;
      // Judged by what was left unread before this turn: one event's burst (a block with many logs,
      // for every subscription of the socket) goes out whole to a client that had kept up.
      if (!judgedThisTurn) {
        judgedThisTurn = true;
        setImmediate(() => {
          judgedThisTurn = false;
        });
        const bound = d.ctx.limits.maxUnsentNotificationBytes;
        if (unsentNotificationBytes > bound) {
          closeSlowSubscriber(`subscriber too slow: ${unsentNotificationBytes} bytes of notifications unsent`);
          return;
        }
      }
      const text = serialize(message);
      unsentNotificationBytes += text.length;
      ws.send(text, () => {
        unsentNotificationBytes -= text.length;
        flow();
      });
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
  // Everything the socket holds but what `ws` already queued for the network.
  const release = (): void => {
    clearInterval(paused);
    abort.abort();
    queue.length = 0;
    queuedBytes = 0;
    for (const end of connection.subscriptions.values()) end();
    connection.subscriptions.clear();
  };
  const closeSlowSubscriber = (reason: string): void => {
    log(`weft rpc: closed WebSocket ${client}: ${reason}`);
    // The close frame waits behind the unsent bytes; ws destroys the socket if the peer never reads it.
    ws.close(SLOW_SUBSCRIBER_CLOSE_CODE, reason);
    release();
  };
  ws.on("close", release);
  // A client that vanishes is noticed by `close`; errors (bad frames, too-large messages) end the socket.
  ws.on("error", () => ws.terminate());
}
