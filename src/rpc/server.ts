// The JSON-RPC server: HTTP POST and WebSocket on one port (node:http, with `ws` taking over upgrade
// requests), CORS for browsers, and the body-size limit enforced while reading.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import type { RpcContext } from "./context.js";
import { type Dispatcher, errorResponse, handleMessage, serialize } from "./dispatch.js";
import { INVALID_REQUEST, LIMIT_EXCEEDED, RpcError } from "./errors.js";
import type { MethodTable, RpcConnection } from "./handler.js";
import { methods as defaultMethods } from "./methods.js";

export interface RpcServerOptions {
  ctx: RpcContext;
  /** The method table (default: methods.ts's). */
  methods?: MethodTable;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8545; 0 picks a free port. */
  port?: number;
  /** Access-Control-Allow-Origin (default "*", as anvil). */
  corsOrigin?: string;
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
  const limits = options.ctx.limits;
  const cors = options.corsOrigin ?? "*";

  const server = createServer((req, res) => {
    serveHttp(dispatcher, req, res, cors).catch((error) => {
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
  server.on("upgrade", (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      serveWebSocket(dispatcher, ws);
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

async function serveHttp(d: Dispatcher, req: IncomingMessage, res: ServerResponse, cors: string): Promise<void> {
  res.setHeader("access-control-allow-origin", cors);
  res.setHeader("vary", "origin");
  if (req.method === "OPTIONS") {
    res.writeHead(204, {
      "access-control-allow-methods": "POST, GET, OPTIONS",
      "access-control-allow-headers": req.headers["access-control-request-headers"] ?? "content-type",
      "access-control-max-age": "86400",
    });
    res.end();
    return;
  }
  if (req.method !== "POST") {
    const error = new RpcError(INVALID_REQUEST, "JSON-RPC requests are POSTed (or sent over a WebSocket)");
    sendJson(res, 405, serialize(errorResponse(null, error)), { allow: "POST, OPTIONS" });
    return;
  }
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
  const response = await handleMessage(d, body);
  // Notifications only: nothing to say, but HTTP must answer.
  if (response === undefined) sendJson(res, 200, "");
  else sendJson(res, 200, response);
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

function serveWebSocket(d: Dispatcher, ws: WebSocket): void {
  const connection: RpcConnection = {
    subscriptions: new Map(),
    send(message) {
      if (ws.readyState === ws.OPEN) ws.send(typeof message === "string" ? message : serialize(message));
    },
  };
  ws.on("message", (raw, isBinary) => {
    const text = isBinary ? Buffer.from(raw as Buffer).toString("utf8") : raw.toString();
    handleMessage(d, text, { connection }).then(
      (response) => {
        if (response !== undefined) connection.send(response);
      },
      (error) => connection.send(errorResponse(null, new RpcError(-32603, `internal error: ${error}`))),
    );
  });
  ws.on("close", () => {
    for (const end of connection.subscriptions.values()) end();
    connection.subscriptions.clear();
  });
  // A client that vanishes is noticed by `close`; errors (bad frames, too-large messages) end the socket.
  ws.on("error", () => ws.terminate());
}
