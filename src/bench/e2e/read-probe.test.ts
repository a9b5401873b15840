import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { ReadProbe } from "./read-probe.js";

/** A JSON-RPC stand-in answering every POST after `delayMs` with `body`. */
async function serve(delayMs: number, body: string): Promise<{ server: Server; url: string; requests: () => number }> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on("end", () => setTimeout(() => res.end(body), delayMs));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, requests: () => requests };
}

test("the read probe times one read at a time until stopped, each at least the node's answer time", async () => {
  const node = await serve(30, '{"jsonrpc":"2.0","id":1,"result":"0x0"}');
  try {
    const probe = ReadProbe.start(node.url);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const latencies = await probe.stop();
    assert.ok(latencies.length >= 3, `only ${latencies.length} reads in 400 ms`);
    // One at a time with a pause between: at most one read per answer time plus pause.
    assert.ok(latencies.length <= Math.ceil(400 / 50) + 1, `${latencies.length} reads in 400 ms`);
    assert.equal(node.requests(), latencies.length);
    for (const ms of latencies) assert.ok(ms >= 29, `a read answered after 30 ms timed at ${ms} ms`);
  } finally {
    node.server.close();
  }
});

test("the read probe fails the run where a read gets no result", async () => {
  const node = await serve(0, '{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"busy"}}');
  try {
    const probe = ReadProbe.start(node.url);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await assert.rejects(probe.stop(), /the read probe failed: eth_getBalance answered without a result/);
  } finally {
    node.server.close();
  }
});
