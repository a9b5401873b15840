// eth_subscribe over WebSocket through viem's webSocket transport (newHeads, logs, pending
// transactions) and a raw socket (ids, unsubscribe, limits, cleanup on close).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  type Address,
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
  type PublicClient,
  parseAbi,
  type WalletClient,
  webSocket,
} from "viem";
import { foundry } from "viem/chains";
import { WebSocket } from "ws";
import { addressToHex } from "../../primitives/hex.js";
import { ACCOUNTS, BOX_ABI, boxBytecode, startTestNode, type TestNode } from "../testkit.js";

const abi = parseAbi(BOX_ABI);
const A = addressToHex(ACCOUNTS[0]!.address) as Address;

let node: TestNode;
let ws: PublicClient;
let wallet: WalletClient;
let box: Address;

before(async () => {
  node = await startTestNode({ limits: { maxSubscriptionsPerConnection: 2 } });
  ws = createPublicClient({ chain: foundry, transport: webSocket(node.wsUrl) });
  wallet = createWalletClient({ chain: foundry, transport: http(node.url) });
  const hash = await wallet.deployContract({
    abi,
    bytecode: await boxBytecode(),
    args: [1n],
    account: A,
    chain: foundry,
  });
  box = (await ws.getTransactionReceipt({ hash })).contractAddress!;
});
after(async () => {
  await (await ws.transport.getRpcClient()).close();
  await node.close();
});

function store(value: bigint): Promise<Hex> {
  return wallet.writeContract({ address: box, abi, functionName: "store", args: [value], account: A, chain: foundry });
}

/** Resolves with the first `n` values `watch` delivers, then stops watching. */
function collect<T>(n: number, watch: (push: (value: T) => void) => () => void): Promise<T[]> {
  return new Promise((resolve) => {
    const got: T[] = [];
    const stop = watch((value) => {
      got.push(value);
      if (got.length === n) {
        stop();
        resolve(got);
      }
    });
  });
}

/** Waits until the server holds `n` subscriptions on some connection (a watcher subscribes asynchronously). */
async function subscribed(): Promise<void> {
  await new Promise((r) => setTimeout(r, 50));
}

describe("eth_subscribe through viem", () => {
  it("newHeads delivers each new block's header", async () => {
    const heads = collect<{ number: bigint | null; hash: Hex | null }>(2, (push) =>
      ws.watchBlocks({ onBlock: (block) => push(block), emitOnBegin: false }),
    );
    await subscribed();
    await store(2n);
    await store(3n);
    const got = await heads;
    const head = await ws.getBlock();
    assert.equal(got[1]!.number, head.number);
    assert.equal(got[1]!.hash, head.hash);
    assert.equal(got[0]!.number, head.number - 1n);
  });

  it("logs delivers matching logs only", async () => {
    const logs = collect<bigint | undefined>(2, (push) =>
      ws.watchContractEvent({
        address: box,
        abi,
        eventName: "Stored",
        onLogs: (batch) => {
          for (const log of batch) push(log.args.value);
        },
      }),
    );
    await subscribed();
    await store(21n);
    await wallet.sendTransaction({ account: A, chain: foundry, to: A, value: 1n });
    await store(22n);
    assert.deepEqual(await logs, [21n, 22n]);
  });

  it("newPendingTransactions delivers hashes as transactions enter the pool", async () => {
    const pending = collect<Hex>(1, (push) =>
      ws.watchPendingTransactions({
        onTransactions: (hashes) => {
          for (const h of hashes) push(h);
        },
      }),
    );
    await subscribed();
    const hash = await store(30n);
    assert.deepEqual(await pending, [hash]);
  });
});

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const s = new WebSocket(url);
    s.once("open", () => resolve(s));
    s.once("error", reject);
  });
}

describe("eth_subscribe on a raw socket", () => {
  it("answers with an id before any notification, unsubscribes, limits, and cleans up on close", async () => {
    const s = await open(node.wsUrl);
    const messages: {
      id?: number;
      result?: unknown;
      error?: { message: string };
      method?: string;
      params?: { subscription: string };
    }[] = [];
    s.on("message", (m) => messages.push(JSON.parse(m.toString())));
    const call = async (id: number, method: string, params: unknown[]) => {
      s.send(JSON.stringify({ jsonrpc: "2.0", id, method, params }));
      for (;;) {
        const reply = messages.find((m) => m.id === id);
        if (reply !== undefined) return reply;
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    const before = node.events.listenerCount().blocks;
    const beforeDropped = node.events.listenerCount().blocksDropped;
    const sub = await call(1, "eth_subscribe", ["newHeads"]);
    const id = sub.result as string;
    assert.match(id, /^0x[0-9a-f]{32}$/);
    await call(2, "eth_subscribe", ["logs", { address: box }]);
    const third = await call(3, "eth_subscribe", ["newHeads"]);
    assert.match(third.error!.message, /limit 2/);
    const bad = await call(4, "eth_subscribe", ["syncing-ish"]);
    assert.match(bad.error!.message, /unsupported subscription/);

    await store(40n);
    await new Promise((r) => setTimeout(r, 50));
    const notes = messages.filter((m) => m.method === "eth_subscription");
    assert.equal(notes.filter((m) => m.params!.subscription === id).length, 1);
    assert.equal(notes.length, 2);
    // Every notification arrived after the reply that named its subscription.
    assert.ok(messages.indexOf(notes[0]!) > messages.indexOf(sub));

    assert.equal((await call(5, "eth_unsubscribe", [id])).result, true);
    assert.equal((await call(6, "eth_unsubscribe", [id])).result, false);
    assert.equal(node.events.listenerCount().blocks, before + 1);
    assert.equal(node.events.listenerCount().blocksDropped, beforeDropped + 1, "the logs subscription's");
    s.close();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(node.events.listenerCount().blocks, before);
    assert.equal(node.events.listenerCount().blocksDropped, beforeDropped);
  });
});
