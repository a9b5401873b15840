// The server's framing, limits and transports, driven with raw fetch and a raw WebSocket: malformed
// JSON, invalid requests, unknown methods, batches, notifications, oversized bodies, CORS.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { WebSocket } from "ws";
import { post, startTestNode, type TestNode } from "./testkit.js";

let node: TestNode;
before(async () => {
  node = await startTestNode({ limits: { maxBodyBytes: 4096, maxBatchLength: 5 } });
});
after(() => node.close());

type Response = { jsonrpc: string; id: unknown; result?: unknown; error?: { code: number; message: string } };

describe("HTTP framing", () => {
  it("answers a request with its id", async () => {
    const { status, json } = await post(node.url, { jsonrpc: "2.0", id: "abc", method: "eth_chainId", params: [] });
    assert.equal(status, 200);
    assert.deepEqual(json, { jsonrpc: "2.0", id: "abc", result: "0x7a69" });
  });

  it("params may be absent", async () => {
    const { json } = await post(node.url, { jsonrpc: "2.0", id: 7, method: "net_version" });
    assert.deepEqual(json, { jsonrpc: "2.0", id: 7, result: "31337" });
  });

  it("malformed JSON is -32700 with id null", async () => {
    const { status, json } = await post(node.url, '{"jsonrpc":"2.0","id":1,"method":');
    assert.equal(status, 200);
    const r = json as Response;
    assert.equal(r.id, null);
    assert.equal(r.error?.code, -32700);
    assert.match(r.error!.message, /parse error/);
  });

  it("invalid requests are -32600", async () => {
    for (const body of [
      "42",
      '"x"',
      { id: 1, method: "eth_chainId" },
      { jsonrpc: "1.0", id: 1, method: "eth_chainId" },
      { jsonrpc: "2.0", id: 1, method: 5 },
      { jsonrpc: "2.0", id: { a: 1 }, method: "eth_chainId" },
    ]) {
      const { json } = await post(node.url, body);
      assert.equal((json as Response).error?.code, -32600, JSON.stringify(body));
    }
  });

  it("by-name params are -32602", async () => {
    const { json } = await post(node.url, { jsonrpc: "2.0", id: 1, method: "eth_getBalance", params: { a: 1 } });
    assert.equal((json as Response).error?.code, -32602);
  });

  it("an unknown method is -32601 naming it", async () => {
    const { json } = await post(node.url, { jsonrpc: "2.0", id: 1, method: "eth_noSuchThing", params: [] });
    const r = json as Response;
    assert.equal(r.error?.code, -32601);
    assert.match(r.error!.message, /eth_noSuchThing/);
  });

  it("bad params are -32602 with the parameter's name", async () => {
    const { json } = await post(node.url, { jsonrpc: "2.0", id: 1, method: "eth_getBalance", params: ["0x12"] });
    const r = json as Response;
    assert.equal(r.error?.code, -32602);
    assert.match(r.error!.message, /address/);
    const { json: extra } = await post(node.url, { jsonrpc: "2.0", id: 2, method: "eth_chainId", params: [1] });
    assert.equal((extra as Response).error?.code, -32602);
  });

  it("a batch answers each request, errors in place, notifications left out", async () => {
    const { json } = await post(node.url, [
      { jsonrpc: "2.0", id: 1, method: "eth_chainId" },
      { jsonrpc: "2.0", method: "eth_chainId" },
      { jsonrpc: "2.0", id: 2, method: "nope" },
      5,
      { jsonrpc: "2.0", id: 3, method: "web3_sha3", params: ["0x"] },
    ]);
    const list = json as Response[];
    assert.equal(list.length, 4);
    assert.deepEqual(list[0], { jsonrpc: "2.0", id: 1, result: "0x7a69" });
    assert.equal(list[1]!.error?.code, -32601);
    assert.equal(list[2]!.error?.code, -32600);
    assert.equal(list[3]!.result, "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  });

  it("an empty batch is one -32600", async () => {
    const { json } = await post(node.url, "[]");
    assert.equal((json as Response).error?.code, -32600);
  });

  it("a batch over the limit is one error naming the limit", async () => {
    const batch = Array.from({ length: 6 }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "eth_chainId" }));
    const { json } = await post(node.url, batch);
    const r = json as Response;
    assert.equal(r.error?.code, -32005);
    assert.match(r.error!.message, /limit of 5/);
  });

  it("a notification alone gets an empty answer", async () => {
    const { status, json } = await post(node.url, { jsonrpc: "2.0", method: "eth_chainId" });
    assert.equal(status, 200);
    assert.equal(json, undefined);
  });

  it("a body over the limit is refused with 413 and a JSON-RPC error", async () => {
    const big = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "web3_sha3", params: [`0x${"ab".repeat(4000)}`] });
    const { status, json } = await post(node.url, big);
    assert.equal(status, 413);
    assert.match((json as Response).error!.message, /exceeds the limit of 4096 bytes/);
  });

  it("a chunked body over the limit is refused too", async () => {
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode(" ".repeat(1000)));
        controller.close();
      },
    });
    const res = await fetch(node.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: chunks,
      duplex: "half",
    } as RequestInit);
    assert.equal(res.status, 413);
    await res.text();
  });

  it("CORS: a page on localhost gets its origin back, in the preflight and the answer", async () => {
    const origin = "http://localhost:5173";
    const pre = await fetch(node.url, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-headers": "content-type" },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get("access-control-allow-origin"), origin);
    assert.match(pre.headers.get("access-control-allow-methods")!, /POST/);
    assert.equal(pre.headers.get("access-control-allow-headers"), "content-type");
    const res = await fetch(node.url, {
      method: "POST",
      headers: { origin, "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId" }),
    });
    assert.equal(res.headers.get("access-control-allow-origin"), origin);
    assert.equal(res.headers.get("vary"), "origin");
    await res.text();
  });

  it("CORS: another site's preflight is 403 and its answers carry no allow-origin", async () => {
    const origin = "http://example.com";
    const pre = await fetch(node.url, { method: "OPTIONS", headers: { origin } });
    assert.equal(pre.status, 403);
    assert.equal(pre.headers.get("access-control-allow-origin"), null);
    assert.match(await pre.text(), /origin 'http:\/\/example.com' is not allowed.*--allow-origin/);
    const res = await fetch(node.url, {
      method: "POST",
      headers: { origin, "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId" }),
    });
    assert.equal(res.headers.get("access-control-allow-origin"), null);
    await res.text();
  });

  it("GET of anything but /health, /metrics and the explorer page is 405 with an explanation", async () => {
    const res = await fetch(`${node.url}/nothing-here`);
    assert.equal(res.status, 405);
    assert.match(await res.text(), /POST/);
  });
});

function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

function nextMessage(ws: WebSocket): Promise<unknown> {
  return new Promise((resolve) => ws.once("message", (data) => resolve(JSON.parse(data.toString()))));
}

describe("WebSocket framing", () => {
  it("answers requests, batches and malformed JSON on the same port", async () => {
    const ws = await openSocket(node.wsUrl);
    try {
      ws.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId" }));
      assert.deepEqual(await nextMessage(ws), { jsonrpc: "2.0", id: 1, result: "0x7a69" });
      ws.send("{oops");
      assert.equal(((await nextMessage(ws)) as Response).error?.code, -32700);
      ws.send(JSON.stringify([{ jsonrpc: "2.0", id: 2, method: "net_listening" }]));
      assert.deepEqual(await nextMessage(ws), [{ jsonrpc: "2.0", id: 2, result: true }]);
    } finally {
      ws.close();
    }
  });

  it("a message over the limit closes the socket (1009)", async () => {
    const ws = await openSocket(node.wsUrl);
    const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
    ws.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "web3_sha3", params: [`0x${"ab".repeat(4000)}`] }));
    assert.equal(await closed, 1009);
  });

  it("subscriptions are refused over HTTP", async () => {
    const { json } = await post(node.url, { jsonrpc: "2.0", id: 1, method: "eth_subscribe", params: ["newHeads"] });
    assert.match((json as Response).error!.message, /WebSocket/);
  });
});
