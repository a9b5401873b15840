// A rewind as clients see it, over JSON-RPC on a real node (src/node/node.ts, manual mining): an
// evm_revert that drops two blocks with logs, then a new block with a log. A "logs" subscription and
// a log filter get exactly the dropped logs again with removed: true (geth's order: oldest block
// first, by log index), then the new log; newHeads and a block filter see only the new head; eth_getLogs
// no longer finds the dropped logs. Anvil sends nothing on a revert (see removed-logs.ts); the same
// story through a WebSocket client against a started node: test/e2e/subscriptions.test.ts.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { WebSocket } from "ws";
import { storeAndLogInitcode } from "../../chain/chain-testkit.js";
import { defaultConfig } from "../../node/config.js";
import { startNode, type WeftNode } from "../../node/node.js";
import { addressToHex, bytesToHex } from "../../primitives/hex.js";

interface RpcLog {
  address: string;
  topics: string[];
  blockHash: string;
  blockNumber: string;
  logIndex: string;
  removed: boolean;
}

let node: WeftNode;
let dir: string;
let socket: WebSocket;
/** Notifications by subscription id, in arrival order. */
const notifications = new Map<string, unknown[]>();
const replies = new Map<number, (reply: { result?: unknown; error?: { message: string } }) => void>();
let nextId = 1;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "weft-removed-logs-"));
  node = await startNode({
    ...defaultConfig(),
    port: 0,
    accounts: 1,
    datadir: dir,
    silent: true,
    mining: { kind: "manual" },
    recoverThreads: 0,
  });
  socket = new WebSocket(node.server.wsUrl);
  socket.on("message", (data) => {
    const msg = JSON.parse(data.toString());
    if (msg.method === "eth_subscription") {
      const list = notifications.get(msg.params.subscription) ?? [];
      list.push(msg.params.result);
      notifications.set(msg.params.subscription, list);
    } else replies.get(msg.id)?.(msg);
  });
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
});
after(async () => {
  socket?.close();
  await node?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function http<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(node.server.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const reply = (await res.json()) as { result?: T; error?: { code: number; message: string } };
  if (reply.error !== undefined) throw new Error(`${method}: ${reply.error.code} ${reply.error.message}`);
  return reply.result as T;
}

/** A call over the socket; its reply also means every notification sent before it has arrived. */
function wsCall<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    replies.set(id, (reply) => (reply.error ? reject(new Error(reply.error.message)) : resolve(reply.result as T)));
    socket.send(JSON.stringify({ jsonrpc: "2.0", id, method, params }));
  });
}

/** What subscription `id` received since the last take (after a socket round trip). */
async function take<T>(id: string): Promise<T[]> {
  await wsCall("eth_chainId");
  const got = notifications.get(id) ?? [];
  notifications.set(id, []);
  return got as T[];
}

const from = () => addressToHex(node.accounts[0]!.address);
const word = (v: number) => `0x${v.toString(16).padStart(64, "0")}`;

/** Pools a call of the emitter at `to`: it logs one log whose topic is `value`. */
function emit(to: string, value: number): Promise<string> {
  return http("eth_sendTransaction", [{ from: from(), to, data: word(value), gas: "0x186a0" }]);
}

async function deployEmitter(): Promise<string> {
  const hash = await http<string>("eth_sendTransaction", [
    { from: from(), data: bytesToHex(storeAndLogInitcode()), gas: "0x30d40" },
  ]);
  await http("evm_mine");
  return (await http<{ contractAddress: string }>("eth_getTransactionReceipt", [hash])).contractAddress;
}

test("evm_revert: logs subscribers and log filters get the dropped logs with removed: true, then the new ones", async () => {
  const emitter = await deployEmitter();
  const other = await deployEmitter();
  const logsSub = await wsCall<string>("eth_subscribe", ["logs", { address: emitter }]);
  const headsSub = await wsCall<string>("eth_subscribe", ["newHeads"]);
  const logFilter = await http<string>("eth_newFilter", [{ address: emitter }]);
  const blockFilter = await http<string>("eth_newBlockFilter");
  const base = BigInt(await http<string>("eth_blockNumber"));
  // Covers the first dropped block only (and the block mined at its number after the revert).
  const rangedFilter = await http<string>("eth_newFilter", [
    { address: emitter, fromBlock: `0x${(base + 1n).toString(16)}`, toBlock: `0x${(base + 1n).toString(16)}` },
  ]);
  const snapshot = await http<string>("evm_snapshot");

  // Two blocks with logs: [emitter 1, other 9, emitter 2] and [emitter 3].
  await emit(emitter, 1);
  await emit(other, 9);
  await emit(emitter, 2);
  await http("evm_mine");
  await emit(emitter, 3);
  await http("evm_mine");
  const mined = await take<RpcLog>(logsSub);
  assert.deepEqual(
    mined.map((l) => [BigInt(l.topics[0]!), BigInt(l.logIndex), l.removed]),
    [
      [1n, 0n, false],
      [2n, 2n, false],
      [3n, 0n, false],
    ],
  );
  assert.equal((await take(headsSub)).length, 2);
  assert.deepEqual(await http("eth_getFilterChanges", [logFilter]), mined);
  await http("eth_getFilterChanges", [blockFilter]);
  await http("eth_getFilterChanges", [rangedFilter]);

  assert.equal(await http("evm_revert", [snapshot]), true);
  await emit(emitter, 4);
  await http("evm_mine");
  const head = await http<{ hash: string; number: string }>("eth_getBlockByNumber", ["latest", false]);
  assert.equal(BigInt(head.number), base + 1n);

  // Exactly the dropped logs, as first sent but removed, oldest block first (geth's order), then the new one.
  const again = await take<RpcLog>(logsSub);
  const removed = mined.map((l) => ({ ...l, removed: true }));
  assert.equal(again.length, 4, JSON.stringify(again));
  assert.deepEqual(again.slice(0, 3), removed);
  const fresh = again[3]!;
  assert.deepEqual([BigInt(fresh.topics[0]!), fresh.blockHash, fresh.removed], [4n, head.hash, false]);
  assert.deepEqual(await http("eth_getFilterChanges", [logFilter]), again);
  assert.deepEqual(await http("eth_getFilterChanges", [rangedFilter]), [...removed.slice(0, 2), fresh]);

  // Heads: nothing for the dropped ones (as geth and anvil), then the new head as usual.
  const heads = await take<{ hash: string }>(headsSub);
  assert.deepEqual(
    heads.map((h) => h.hash),
    [head.hash],
  );
  assert.deepEqual(await http("eth_getFilterChanges", [blockFilter]), [head.hash]);

  // eth_getLogs never returns a dropped block's logs; the dropped block itself is unknown.
  const logs = await http<RpcLog[]>("eth_getLogs", [{ fromBlock: "0x0", toBlock: "latest", address: emitter }]);
  assert.deepEqual(
    logs.map((l) => [BigInt(l.topics[0]!), l.removed]),
    [[4n, false]],
  );
  await assert.rejects(http("eth_getLogs", [{ blockHash: mined[2]!.blockHash }]), /unknown block/);
  assert.equal(await wsCall("eth_unsubscribe", [logsSub]), true);
  assert.equal(await wsCall("eth_unsubscribe", [headsSub]), true);
});

test("anvil_reset: logs subscribers get every dropped log with removed: true", async () => {
  const emitter = await deployEmitter();
  for (const value of [5, 6]) {
    await emit(emitter, value);
    await http("evm_mine");
  }
  const sub = await wsCall<string>("eth_subscribe", ["logs", { address: emitter }]);
  const all = await http<RpcLog[]>("eth_getLogs", [{ fromBlock: "0x0", toBlock: "latest", address: emitter }]);
  assert.equal(all.length, 2);
  await http("anvil_reset");
  assert.deepEqual(
    await take(sub),
    all.map((l) => ({ ...l, removed: true })),
  );
  assert.equal(await wsCall("eth_unsubscribe", [sub]), true);
});
