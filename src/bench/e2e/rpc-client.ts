// The benchmark's JSON-RPC client: bodies go out as prepared strings over keep-alive HTTP connections
// (node:http with a pooling Agent) or WebSockets, one request in flight per connection, so the
// client adds no serialization while the clock runs.
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import WebSocket from "ws";

export interface RpcResponse {
  id?: number | string | null;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

/** Something that carries a JSON-RPC body (a request or a batch) and resolves to the response text. */
export interface Transport {
  post(body: string): Promise<string>;
  close(): void;
}

/** HTTP POSTs over at most `connections` keep-alive sockets. */
export class HttpTransport implements Transport {
  private readonly url: URL;
  private readonly agent: HttpAgent;
  private readonly request: typeof httpRequest;

  constructor(url: string, connections = 1) {
    this.url = new URL(url);
    const https = this.url.protocol === "https:";
    const options = { keepAlive: true, maxSockets: connections };
    this.agent = https ? new HttpsAgent(options) : new HttpAgent(options);
    this.request = https ? httpsRequest : httpRequest;
  }

  post(body: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const req = this.request(
        this.url,
        {
          method: "POST",
          agent: this.agent,
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            if (res.statusCode !== 200)
              reject(new Error(`HTTP ${res.statusCode} from ${this.url.href}: ${text.slice(0, 300)}`));
            else resolve(text);
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** A WebSocket URL for the node at an http(s) URL (both nodes serve WebSocket on the HTTP port). */
export function wsUrlOf(httpUrl: string): string {
  return httpUrl.replace(/^http/, "ws");
}

/** Opens a WebSocket, rejecting with a clear message when it cannot. */
export function openWebSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { maxPayload: 1 << 30 });
    ws.once("open", () => resolve(ws));
    ws.once("error", (err) => reject(new Error(`cannot open a WebSocket to ${url}: ${err.message}`)));
  });
}

/** One WebSocket per lane; each carries one body at a time, so the next message is its response. */
export class WsTransport implements Transport {
  private readonly sockets: WebSocket[] = [];
  private readonly idle: WebSocket[] = [];
  private readonly waiting: ((ws: WebSocket) => void)[] = [];

  static async open(url: string, connections: number): Promise<WsTransport> {
    const t = new WsTransport();
    for (let i = 0; i < connections; i++) {
      const ws = await openWebSocket(url);
      t.sockets.push(ws);
      t.idle.push(ws);
    }
    return t;
  }

  private take(): Promise<WebSocket> {
    const ws = this.idle.pop();
    return ws !== undefined ? Promise.resolve(ws) : new Promise((resolve) => this.waiting.push(resolve));
  }

  private give(ws: WebSocket): void {
    const next = this.waiting.shift();
    if (next) next(ws);
    else this.idle.push(ws);
  }

  async post(body: string): Promise<string> {
    const ws = await this.take();
    try {
      return await new Promise<string>((resolve, reject) => {
        const onClose = () => reject(new Error("the WebSocket closed while a request was in flight"));
        ws.once("close", onClose);
        ws.once("message", (data: Buffer) => {
          ws.off("close", onClose);
          resolve(data.toString("utf8"));
        });
        ws.send(body);
      });
    } finally {
      this.give(ws);
    }
  }

  close(): void {
    for (const ws of this.sockets) ws.terminate();
  }
}

/** Parses a response body and checks it is one response (not a batch), returning its result or throwing its error. */
export function resultOf<T>(text: string, method: string): T {
  const r = JSON.parse(text) as RpcResponse;
  if (r.error) throw new RpcCallError(method, r.error.code, r.error.message);
  return r.result as T;
}

export class RpcCallError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    readonly rpcMessage: string,
  ) {
    super(`${method} failed: ${code} ${rpcMessage}`);
    this.name = "RpcCallError";
  }
}

/** One call over `transport`: its result, or an RpcCallError. */
export async function rpcCall<T = unknown>(transport: Transport, method: string, params: unknown[] = []): Promise<T> {
  return resultOf<T>(await transport.post(JSON.stringify({ jsonrpc: "2.0", id: 1, method, params })), method);
}

/** A batch of calls: the responses in the order of `calls` (matched by id). */
export async function rpcBatch(
  transport: Transport,
  calls: readonly { method: string; params: unknown[] }[],
): Promise<RpcResponse[]> {
  if (calls.length === 0) return [];
  const body = JSON.stringify(calls.map((c, id) => ({ jsonrpc: "2.0", id, method: c.method, params: c.params })));
  const parsed = JSON.parse(await transport.post(body)) as RpcResponse[] | RpcResponse;
  if (!Array.isArray(parsed))
    throw new Error(`batch of ${calls.length} answered by one response: ${JSON.stringify(parsed).slice(0, 300)}`);
  const out: RpcResponse[] = new Array(calls.length);
  for (const r of parsed) if (typeof r.id === "number") out[r.id] = r;
  for (let i = 0; i < calls.length; i++) {
    if (out[i] === undefined) throw new Error(`batch response lacks the answer to ${calls[i]!.method} (id ${i})`);
  }
  return out;
}

/** A batch that must succeed entirely: the results, or the first error. */
export async function rpcBatchResults<T = unknown>(
  transport: Transport,
  calls: readonly { method: string; params: unknown[] }[],
): Promise<T[]> {
  const responses = await rpcBatch(transport, calls);
  return responses.map((r, i) => {
    if (r.error) throw new RpcCallError(calls[i]!.method, r.error.code, r.error.message);
    return r.result as T;
  });
}
