// A subscriber that stops reading while blocks full of logs keep coming: the node closes its socket
// with 1008 once its unsent notifications pass --rpc-max-unsent-notifications (small here), says so
// in its output, and its heap stays bounded: it runs under a V8 heap limit that it would die of if the
// unsent notifications stayed reachable (some 300 MB here without the bound). The limit, not a heap
// reading, is the check: when V8 collects the garbage of formatting them is up to V8. A subscriber that
// reads along gets every burst, even ones larger than the bound, and keeps its socket.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import { DEV, rpc, startTarget, TARGET, type Target } from "./harness.js";
import { WsClient } from "./ws-client.js";

const BOUND = 1024 * 1024;
/** The node's old-space limit: some 30 MB at rest, room for some garbage, not for the 100 MB and more kept without the bound. */
const HEAP_LIMIT_MB = 96;
const LOGS_PER_TX = 64;
/**
 * Creation code that emits LOGS_PER_TX (0x40) logs of 16 KiB of zeros, some 2 MB of notifications
 * per block (twice the bound), and deploys nothing: PUSH1 0x40, loop: PUSH2 0x4000, PUSH1 0, LOG0,
 * PUSH1 1, SWAP1, SUB, DUP1, PUSH1 2, JUMPI.
 */
const MANY_LOGS = "0x60405b6140006000a06001900380600257";

describe("a WebSocket subscriber that stops reading", () => {
  let node: Target;
  before(async () => {
    if (TARGET === "anvil") return;
    node = await startTarget({
      args: ["--rpc-max-unsent-notifications", String(BOUND)],
      nodeFlags: [`--max-old-space-size=${HEAP_LIMIT_MB}`],
    });
  });
  after(async () => {
    if (TARGET === "anvil") return;
    await node.stop();
  });

  it("is closed with 1008 and a reason; the node lives within a heap limit; a reader keeps receiving", async (t) => {
    if (TARGET === "anvil") return t.skip("--rpc-max-unsent-notifications and weft_metrics are Weft's");
    const heapMb = async () => (await rpc<{ heapUsedBytes: number }>(node.url, "weft_metrics")).heapUsedBytes / 2 ** 20;
    const reader = await WsClient.connect(node.wsUrl);
    const readerLogs = await reader.call<string>("eth_subscribe", ["logs", {}]);
    const readerHeads = await reader.call<string>("eth_subscribe", ["newHeads"]);

    const slow = new WebSocket(node.wsUrl);
    await new Promise((resolve) => slow.once("open", resolve));
    slow.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_subscribe", params: ["logs", {}] }));
    await new Promise((resolve) => slow.once("message", resolve));
    const closed = new Promise<[number, string]>((resolve) =>
      slow.once("close", (code, reason) => resolve([code, reason.toString()])),
    );
    slow.pause(); // reads nothing more; the kernel's buffers fill first, then the node's

    // 40 blocks: some 80 MB of notifications for the slow client. Once the node has given up on it,
    // it reads again: the close frame waits behind what was queued, and the node's close handshake
    // gives up (code 1006 here) where the peer reads nothing for 30 s, as 40 blocks on a loaded
    // machine can take.
    const before = await heapMb();
    const gaveUp = /weft rpc: closed WebSocket ws:\d+: subscriber too slow: \d+ bytes of notifications unsent/;
    for (let block = 0; block < 40; block++) {
      await rpc(node.url, "eth_sendTransaction", [{ from: DEV[0].address, data: MANY_LOGS, gas: "0x989680" }]);
      // The reader takes each block's burst (twice the bound) before the next block comes.
      for (let i = 0; i < LOGS_PER_TX; i++) await reader.next(readerLogs);
      await reader.next(readerHeads);
      if (slow.isPaused && gaveUp.test(node.output())) slow.resume();
    }
    // Still alive under its heap limit, and it says why it closed the slow socket.
    const after = await heapMb();
    t.diagnostic(
      `heap ${before.toFixed(0)} MB before, ${after.toFixed(0)} MB after 40 blocks (limit ${HEAP_LIMIT_MB} MB)`,
    );
    assert.doesNotMatch(node.output(), /heap out of memory/);
    assert.match(node.output(), gaveUp);

    // Reading again, the slow client gets what was queued, then the close frame.
    const [code, reason] = await closed;
    assert.equal(code, 1008);
    assert.match(reason, /^subscriber too slow: \d+ bytes of notifications unsent$/);

    // The reader's socket is untouched: the next block still reaches it.
    await rpc(node.url, "evm_mine");
    assert.ok(await reader.next(readerHeads));
    await reader.close();
  });
});
