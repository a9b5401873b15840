// The page's connection to the node that served it: JSON-RPC over HTTP (fetch) for questions, and one
// WebSocket for eth_subscribe("newHeads"), reopened when it drops (a node restart). With
// --auth-token, the token goes as a bearer header over HTTP and as ?token= on the WebSocket
// (browsers cannot set headers there), as the node accepts it.

/** A JSON-RPC error answer, or an HTTP failure, with the node's message. */
export class RpcCallError extends Error {
  override name = "RpcCallError";
  constructor(
    message: string,
    readonly code: number,
    /** The HTTP status (401: the node wants a token, or another one). */
    readonly status: number,
  ) {
    super(message);
  }
}

/** A newHeads notification: the fields the page reads. */
export interface HeadEvent {
  number: string;
  hash: string;
  timestamp: string;
  gasUsed: string;
}

export type SocketState = "connecting" | "live" | "closed";

export class NodeClient {
  private nextId = 1;

  constructor(
    /** The node's HTTP URL (the page's origin). */
    readonly url: string,
    private readonly token: string | undefined,
  ) {}

  async call<T>(method: string, params: readonly unknown[] = []): Promise<T> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    const res = await fetch(this.url, {
      method: "POST",
      headers,
      body: JSON.stringify({ jsonrpc: "2.0", id: this.nextId++, method, params }),
    });
    const body = (await res.json().catch(() => undefined)) as
      | { result?: T; error?: { code: number; message: string } }
      | undefined;
    if (body?.error !== undefined)
      throw new RpcCallError(`${method}: ${body.error.message}`, body.error.code, res.status);
    if (!res.ok || body === undefined) throw new RpcCallError(`${method}: HTTP ${res.status}`, 0, res.status);
    return body.result as T;
  }

  /** GET /metrics (Prometheus text), with the token when there is one. */
  async metrics(): Promise<string> {
    const headers: Record<string, string> = {};
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    const res = await fetch(new URL("/metrics", this.url), { headers });
    if (!res.ok) throw new RpcCallError(`/metrics: HTTP ${res.status}`, 0, res.status);
    return res.text();
  }

  /**
   * Calls `onHead` for each new head until the returned function is called; `onState` hears the
   * socket open and drop. A dropped socket is reopened after a second.
   */
  subscribeHeads(onHead: (head: HeadEvent) => void, onState: (state: SocketState) => void): () => void {
    let stopped = false;
    let socket: WebSocket | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const wsUrl = new URL(this.url);
    wsUrl.protocol = wsUrl.protocol === "https:" ? "wss:" : "ws:";
    if (this.token !== undefined) wsUrl.searchParams.set("token", this.token);
    const open = () => {
      onState("connecting");
      const ws = new WebSocket(wsUrl);
      socket = ws;
      ws.onopen = () => {
        ws.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_subscribe", params: ["newHeads"] }));
      };
      ws.onmessage = (message) => {
        const data = JSON.parse(String(message.data)) as {
          id?: number;
          result?: unknown;
          params?: { result: HeadEvent };
        };
        if (data.id === 1 && data.result !== undefined) onState("live");
        else if (data.params !== undefined) onHead(data.params.result);
      };
      ws.onclose = () => {
        onState("closed");
        if (!stopped) retry = setTimeout(open, 1000);
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      socket?.close();
    };
  }
}
