// The JSON-RPC server: HTTP POST and WebSocket on one port (node:http, with `ws` taking over upgrade
// requests). Every request and upgrade passes the access checks of http-guards.ts first (Host,
// Origin, token); GET /health answers a probe, GET /metrics a Prometheus scrape, GET / the explorer page; HTTP bodies must be JSON and within the size limit,
// read as they arrive; CORS answers follow the allowed origins. ws-connection.ts serves each socket
// with backpressure.
import { createServer, type IncomingMessage, type ServerResponse, STATUS_CODES } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { callAbortController } from "./call-abort.js";
import type { RpcContext } from "./context.js";
import { type Dispatcher, errorResponse, handleMessage, serialize } from "./dispatch.js";
import { INVALID_REQUEST, LIMIT_EXCEEDED, RpcError } from "./errors.js";
import { type ExplorerPage, loadExplorerPage, sendExplorerFile } from "./explorer-page.js";
import type { MethodTable } from "./handler.js";
import {
  type AccessPolicy,
  checkAccess,
  corsAllowOrigin,
  isExplorerAsset,
  isHealthProbe,
  isJsonContentType,
  isMetricsScrape,
  LOCAL_ONLY,
  originRefusal,
  type Refusal,
  unsupportedContentType,
} from "./http-guards.js";
import { methods as defaultMethods } from "./methods.js";
import { DEFAULT_WEBSOCKET_BOUNDS, serveWebSocket, type WebSocketBounds } from "./ws-connection.js";

export interface RpcServerOptions {
  ctx: RpcContext;
  /** The method table (default: methods.ts's). */
  methods?: MethodTable;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8545; 0 picks a free port. */
  port?: number;
  /** Who may connect: allowed hosts and origins, the bearer token (default: local tools and pages, no token). */
  access?: AccessPolicy;
  /** Per-socket backpressure (default DEFAULT_WEBSOCKET_BOUNDS; tests lower them). */
  webSocketBounds?: Partial<WebSocketBounds>;
  /** Where the server reports what it did on its own (a slow subscriber closed); default stderr. */
  log?: (line: string) => void;
  /** Told of each JSON-RPC request once answered, over HTTP and WebSocket (logs, metrics). */
  onRequest?: Dispatcher["onRequest"];
  /** Where the dispatcher adds its own time (weft_metrics' ingestMs). */
  timing?: Dispatcher["timing"];
  /** GET /metrics: the Prometheus text exposition; without it /metrics is not served (405). */
  metrics?: MetricsSource;
}

/** What GET /metrics answers: Prometheus' text format and its content type. */
export interface MetricsSource {
  contentType: string;
  render(): Promise<string>;
}

export interface RpcServer {
  /** http://host:port */
  readonly url: string;
  /** ws://host:port */
  readonly wsUrl: string;
  readonly port: number;
  /** Stops listening, closes every connection and ends every subscription. */
  close(): Promise<void>;
}

export async function startRpcServer(options: RpcServerOptions): Promise<RpcServer> {
  const dispatcher: Dispatcher = { ctx: options.ctx, methods: options.methods ?? defaultMethods };
  if (options.onRequest !== undefined) dispatcher.onRequest = options.onRequest;
  if (options.timing !== undefined) dispatcher.timing = options.timing;
  const limits = options.ctx.limits;
  const access = options.access ?? LOCAL_ONLY;
  const bounds: WebSocketBounds = { ...DEFAULT_WEBSOCKET_BOUNDS, ...options.webSocketBounds };
  const log = options.log ?? ((line: string) => console.error(line));
  // Read once: GET / is then served from memory.
  const explorer = loadExplorerPage();

  const server = createServer((req, res) => {
    serveHttp(dispatcher, req, res, access, options.metrics, explorer).catch((error) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(`internal error: ${(error as Error).message}`);
    });
  });

  // A big block mines synchronously for seconds; with node's 5 s default, a keep-alive connection
  // whose next request arrived meanwhile is closed as idle the moment the loop wakes (the client sees
  // ECONNRESET). One minute outlasts any block and matches what proxies in front of a node expect.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxBodyBytes });
  const sockets = new Set<WebSocket>();
  let socketsOpened = 0;
  server.on("upgrade", (req, socket, head) => {
    const refusal = checkAccess(req, access, true);
    if (refusal !== undefined) {
      refuseUpgrade(socket, refusal);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      serveWebSocket(dispatcher, ws, `ws:${++socketsOpened}`, bounds, log);
      ws.on("close", () => sockets.delete(ws));
    });
  });

  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8545, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    wsUrl: `ws://${shownHost}:${port}`,
    port,
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

async function serveHttp(
  d: Dispatcher,
  req: IncomingMessage,
  res: ServerResponse,
  access: AccessPolicy,
  metrics: MetricsSource | undefined,
  explorer: ExplorerPage | undefined,
): Promise<void> {
  const origin = req.headers.origin;
  const allowOrigin = corsAllowOrigin(origin, access.allowedOrigins);
  if (allowOrigin !== undefined) res.setHeader("access-control-allow-origin", allowOrigin);
  res.setHeader("vary", "origin");
  const refusal = checkAccess(req, access, false);
  if (refusal !== undefined) return refuse(req, res, refusal);
  if (req.method === "OPTIONS") {
    if (origin !== undefined && allowOrigin === undefined) return refuse(req, res, originRefusal(origin));
    res.writeHead(204, {
      "access-control-allow-methods": "POST, OPTIONS",
      "access-control-allow-headers": req.headers["access-control-request-headers"] ?? "content-type",
      "access-control-max-age": "86400",
    });
    res.end();
    return;
  }
  if (isHealthProbe(req)) return sendHealth(d, req, res);
  if (metrics !== undefined && isMetricsScrape(req)) return sendMetrics(metrics, req, res);
  if (isExplorerAsset(req)) return sendExplorerFile(explorer, req, res);
  if (req.method !== "POST") {
    const message = "JSON-RPC requests are POSTed (or sent over a WebSocket)";
    return refuse(req, res, { status: 405, code: INVALID_REQUEST, message, headers: { allow: "POST, OPTIONS" } });
  }
  const contentType = req.headers["content-type"];
  if (!isJsonContentType(contentType)) return refuse(req, res, unsupportedContentType(contentType));
  const max = d.ctx.limits.maxBodyBytes;
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > max) {
    tooLarge(res, declared, max);
    req.resume();
    return;
  }
  const body = await readBody(req, max);
  if (body === undefined) {
    tooLarge(res, undefined, max);
    return;
  }
  // Aborted when the client goes away before its answer is written (handlers may stop early).
  const abort = callAbortController();
  res.on("close", () => {
    if (!res.writableFinished) abort.abort();
  });
  const client = `http:${req.socket.remoteAddress ?? "unknown"}`;
  const response = await handleMessage(d, body, { signal: abort.signal, client });
  // Notifications only: nothing to say, but HTTP must answer.
  if (response === undefined) sendJson(res, 200, "");
  else sendJson(res, 200, response);
}

/** Answers with the refusal's status and a JSON-RPC error; the unread body is discarded. */
function refuse(req: IncomingMessage, res: ServerResponse, refusal: Refusal): void {
  sendJson(res, refusal.status, refusalBody(refusal), { ...refusal.headers, connection: "close" });
  req.resume();
}

/** The same refusal on an upgrade request's raw socket (no HTTP response object there). */
function refuseUpgrade(socket: Duplex, refusal: Refusal): void {
  const body = refusalBody(refusal);
  const headers = {
    ...refusal.headers,
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(body)),
    connection: "close",
  };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  socket.end(`HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}\r\n${head.join("")}\r\n${body}`);
}

/** A refusal's JSON-RPC error response (no request id: the request was not read). */
function refusalBody(refusal: Refusal): string {
  return serialize(errorResponse(null, new RpcError(refusal.code, refusal.message)));
}

/** GET /health: 200 and the head's number while the chain answers, else 503. Nothing else is shown. */
function sendHealth(d: Dispatcher, req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  let block: number;
  try {
    block = Number(d.ctx.chain.head().header.number);
  } catch {
    sendJson(res, 503, JSON.stringify({ status: "error" }), { "cache-control": "no-store" });
    return;
  }
  sendJson(res, 200, JSON.stringify({ status: "ok", block }), { "cache-control": "no-store" });
}

/** GET /metrics: the exposition as the metrics source renders it. */
async function sendMetrics(metrics: MetricsSource, req: IncomingMessage, res: ServerResponse): Promise<void> {
  req.resume();
  const body = await metrics.render();
  res.writeHead(200, {
    "content-type": metrics.contentType,
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
  });
  res.end(body);
}

function tooLarge(res: ServerResponse, size: number | undefined, max: number): void {
  const what = size === undefined ? "request body" : `request body of ${size} bytes`;
  const error = new RpcError(LIMIT_EXCEEDED, `${what} exceeds the limit of ${max} bytes`);
  sendJson(res, 413, serialize(errorResponse(null, error)), { connection: "close" });
}

/** The body as text, or undefined once it passes `max` bytes (the rest is discarded). */
function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > max) {
        over = true;
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!over) resolve(Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers });
  res.end(body);
}
