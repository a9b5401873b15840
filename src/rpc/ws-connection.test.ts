// The server's side of a call: CallInfo's signal and client key, and a WebSocket's queue, driven
// through a server whose `test_wait` method blocks until the test releases it; and a subscriber
// too slow for its notifications, on a fake socket whose frames go out only when the test says.
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { after, before, describe, it } from "node:test";
import { WebSocket } from "ws";
import type { RpcContext } from "./context.js";
import type { CallInfo, MethodTable, RpcConnection } from "./handler.js";
import { DEFAULT_LIMITS } from "./limits.js";
import { methods } from "./methods.js";
import { type RpcServer, startRpcServer } from "./server.js";
import { startTestNode, type TestNode } from "./testkit.js";
import { DEFAULT_WEBSOCKET_BOUNDS, SLOW_SUBSCRIBER_CLOSE_CODE, serveWebSocket } from "./ws-connection.js";

const started: CallInfo[] = [];
let release: () => void = () => {};
let released = new Promise<void>((resolve) => {
  release = resolve;
});
const table: MethodTable = {
  ...methods,
  test_wait: async (_params, _ctx, call) => {
    started.push(call);
    await released;
    return "done";
  },
};

let node: TestNode;
let server: RpcServer;
before(async () => {
  node = await startTestNode();
  server = await startRpcServer({
    ctx: node.ctx,
    methods: table,
    port: 0,
    webSocketBounds: { maxRunning: 2, maxQueued: 4, pausedPingMs: 20 },
  });
});
after(async () => {
  release();
  await server.close();
  await node.close();
});

async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function request(id: number, method: string): string {
  return JSON.stringify({ jsonrpc: "2.0", id, method, params: [] });
}

describe("WebSocket queue", () => {
  it("runs at most maxRunning calls of a socket; a closed socket's queued calls never run", async () => {
    started.length = 0;
    const ws = new WebSocket(server.wsUrl);
    await new Promise((resolve) => ws.once("open", resolve));
    for (let id = 0; id < 6; id++) ws.send(request(id, "test_wait"));
    await until("two calls", () => started.length === 2);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(started.length, 2, "the other four wait in the queue");
    const [first, second] = started;
    assert.match(first!.client!, /^ws:[0-9]+$/);
    assert.equal(second!.client, first!.client, "one key per connection");
    assert.equal(first!.signal!.aborted, false);

    // The queue is full, so the server reads nothing: it notices the client is gone by pinging it.
    ws.terminate();
    await until("the server sees the close", () => first!.signal!.aborted);
    release();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(started.length, 2, "queued calls of a closed socket are dropped, not run");
    released = new Promise<void>((resolve) => {
      release = resolve;
    });
  });

  it("answers once the calls end, and each socket has its own key", async () => {
    started.length = 0;
    const a = new WebSocket(server.wsUrl);
    const b = new WebSocket(server.wsUrl);
    await Promise.all([a, b].map((ws) => new Promise((resolve) => ws.once("open", resolve))));
    const answers: unknown[] = [];
    a.on("message", (data) => answers.push(JSON.parse(data.toString())));
    for (let id = 0; id < 3; id++) a.send(request(id, "test_wait"));
    b.send(request(9, "test_wait"));
    await until("three calls", () => started.length === 3);
    assert.equal(new Set(started.map((c) => c.client)).size, 2);
    release();
    await until("three answers", () => answers.length === 3);
    assert.deepEqual(
      answers.map((r) => (r as { id: number }).id).sort(),
      [0, 1, 2],
      "the third ran after a running one ended",
    );
    a.close();
    b.close();
  });
});

describe("HTTP call info", () => {
  it("a call's signal aborts when the HTTP client disconnects; its key is the remote address", async () => {
    started.length = 0;
    released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const client = new AbortController();
    const pending = fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: request(1, "test_wait"),
      signal: client.signal,
    }).catch((e: Error) => e);
    await until("the call", () => started.length === 1);
    assert.equal(started[0]!.client, "http:127.0.0.1");
    assert.equal(started[0]!.signal!.aborted, false);
    client.abort();
    await pending;
    await until("the abort", () => started[0]!.signal!.aborted);
    release();
  });
});

/** A socket whose frames stay unsent until the test writes them out (`flush`). */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  closedWith: [number, string] | undefined;
  private unsent: (() => void)[] = [];
  send(_data: string, written: () => void): void {
    this.unsent.push(written);
  }
  flush(): void {
    for (const written of this.unsent.splice(0)) written();
  }
  close(code: number, reason: string): void {
    this.closedWith = [code, reason];
    this.readyState = 2;
  }
  pause(): void {}
  resume(): void {}
  ping(): void {}
  terminate(): void {}
}

describe("a slow subscriber", () => {
  const notification = (n: number) => ({
    jsonrpc: "2.0",
    method: "eth_subscription",
    params: { result: "x".repeat(n) },
  });
  const nextTurn = () => new Promise((r) => setImmediate(r));

  /** A served fake socket with a 10,000-byte notification bound: its connection, and the lines logged. */
  async function serve(): Promise<{ socket: FakeSocket; connection: RpcConnection; logged: string[] }> {
    let connection: RpcConnection | undefined;
    const logged: string[] = [];
    const ctx = { limits: { ...DEFAULT_LIMITS, maxUnsentNotificationBytes: 10_000 } } as RpcContext;
    const grab: MethodTable = {
      test_connection: (_params, _ctx, call) => {
        connection = call.connection;
        return null;
      },
    };
    const socket = new FakeSocket();
    serveWebSocket({ ctx, methods: grab }, socket as unknown as WebSocket, "ws:7", DEFAULT_WEBSOCKET_BOUNDS, (line) =>
      logged.push(line),
    );
    socket.emit("message", Buffer.from(request(1, "test_connection")), false);
    await until("the call", () => connection !== undefined);
    socket.flush();
    return { socket, connection: connection!, logged };
  }

  it("gets a burst whole, then is closed (1008, logged) if it has not read it by the next event", async () => {
    const { socket, connection, logged } = await serve();
    let ended = false;
    connection.subscriptions.set("0x1", () => {
      ended = true;
    });
    await nextTurn();
    for (let i = 0; i < 30; i++) connection.notify(notification(1000)); // one event: 30 KB
    assert.equal(socket.closedWith, undefined, "a burst past the bound is sent whole");
    await nextTurn();
    connection.notify(notification(10));
    assert.equal(socket.closedWith?.[0], SLOW_SUBSCRIBER_CLOSE_CODE);
    assert.match(socket.closedWith![1], /^subscriber too slow: 3\d{4} bytes of notifications unsent$/);
    assert.deepEqual(logged, [`weft rpc: closed WebSocket ws:7: ${socket.closedWith![1]}`]);
    assert.equal(ended, true, "its subscriptions end at once");
    assert.equal(connection.subscriptions.size, 0);
  });

  it("a subscriber that reads between events is never closed", async () => {
    const { socket, connection, logged } = await serve();
    for (let event = 0; event < 20; event++) {
      await nextTurn();
      for (let i = 0; i < 30; i++) connection.notify(notification(1000));
      socket.flush(); // the client read it all
    }
    assert.equal(socket.closedWith, undefined);
    assert.deepEqual(logged, []);
  });
});
