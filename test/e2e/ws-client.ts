// A minimal JSON-RPC-over-WebSocket client for the e2e tests: calls, and eth_subscription
// notifications queued per subscription id.
import WebSocket from "ws";

export class WsClient {
  private nextId = 1;
  private readonly calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly queues = new Map<string, unknown[]>();
  private readonly waiters = new Map<string, () => void>();

  private closed = false;

  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (data) => this.onMessage(JSON.parse(data.toString())));
    // The server going away (a killed node) ends every wait and call at once.
    socket.on("close", () => {
      this.closed = true;
      for (const wake of this.waiters.values()) wake();
      for (const call of this.calls.values()) call.reject(new Error("WebSocket closed"));
      this.calls.clear();
    });
    socket.on("error", () => undefined);
  }

  static async connect(url: string): Promise<WsClient> {
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    return new WsClient(socket);
  }

  private onMessage(msg: {
    id?: number;
    result?: unknown;
    error?: { code: number; message: string };
    method?: string;
    params?: { subscription: string; result: unknown };
  }): void {
    if (msg.method === "eth_subscription" && msg.params) {
      const id = msg.params.subscription;
      const queue = this.queues.get(id) ?? [];
      queue.push(msg.params.result);
      this.queues.set(id, queue);
      this.waiters.get(id)?.();
      return;
    }
    const call = msg.id === undefined ? undefined : this.calls.get(msg.id);
    if (!call) return;
    this.calls.delete(msg.id!);
    if (msg.error) call.reject(new Error(`${msg.error.code} ${msg.error.message}`));
    else call.resolve(msg.result);
  }

  call<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    const id = this.nextId++;
    if (this.closed) return Promise.reject(new Error("WebSocket closed"));
    return new Promise<T>((resolve, reject) => {
      this.calls.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.socket.send(JSON.stringify({ jsonrpc: "2.0", id, method, params }));
    });
  }

  /** The next notification of subscription `id` (waits up to `ms`). */
  async next<T = unknown>(id: string, ms = 10_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const queue = this.queues.get(id);
      if (queue && queue.length > 0) return queue.shift() as T;
      if (this.closed) throw new Error(`WebSocket closed; no more notifications for subscription ${id}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no notification for subscription ${id} within ${ms} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.set(id, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      this.waiters.delete(id);
    }
  }

  /** Notifications received so far and not yet taken. */
  pending(id: string): number {
    return this.queues.get(id)?.length ?? 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.readyState === WebSocket.CLOSED) return resolve();
      this.socket.once("close", () => resolve());
      this.socket.close();
    });
  }
}
