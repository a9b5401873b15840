// Automining a burst of transactions into several blocks (Weft executes each block while the one
// before it is still being written): every block is announced in order, once, and when newHeads
// announces it, the head, the block, its receipts and the state after it are all readable.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { DEV, devTransfer, rpc, startTarget, type Target } from "./harness.js";
import { WsClient } from "./ws-client.js";

/** 20 transfers per block. */
const GAS_LIMIT = 20 * 21_000;
const TXS = 120;

let node: Target;
let ws: WsClient;

before(async () => {
  node = await startTarget({ args: ["--gas-limit", String(GAS_LIMIT)] });
  ws = await WsClient.connect(node.wsUrl);
});
after(async () => {
  await ws?.close();
  await node?.stop();
});

interface Head {
  number: Hex;
  hash: Hex;
  parentHash: Hex;
}

test("a burst mined into several blocks: each announced once, in order, readable when announced", async () => {
  const account = privateKeyToAccount(DEV[0].key);
  const raws = await Promise.all(
    Array.from({ length: TXS }, (_, nonce) =>
      account.signTransaction(devTransfer(nonce, { maxFeePerGas: 10n ** 11n })),
    ),
  );
  const sub = await ws.call<string>("eth_subscribe", ["newHeads"]);
  const start = BigInt(await rpc<Hex>(node.url, "eth_blockNumber"));
  const sent = fetch(node.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(
      raws.map((raw, id) => ({ jsonrpc: "2.0", id, method: "eth_sendRawTransaction", params: [raw] })),
    ),
  });
  let included = 0;
  let parent: Hex | undefined;
  for (let expected = start + 1n; included < TXS; expected++) {
    const head = await ws.next<Head>(sub);
    assert.equal(BigInt(head.number), expected, "announced in order, none skipped or repeated");
    if (parent !== undefined) assert.equal(head.parentHash, parent);
    parent = head.hash;
    // Read at once: an announced block is the head (or behind it), with its receipts and its state.
    const [latest, block, receipts, nonce] = await Promise.all([
      rpc<Hex>(node.url, "eth_blockNumber"),
      rpc<{ hash: Hex; transactions: Hex[] } | null>(node.url, "eth_getBlockByNumber", [head.number, false]),
      rpc<{ status: Hex }[] | null>(node.url, "eth_getBlockReceipts", [head.number]),
      rpc<Hex>(node.url, "eth_getTransactionCount", [DEV[0].address, head.number]),
    ]);
    assert.ok(BigInt(latest) >= expected, `eth_blockNumber ${latest} behind the announced block ${expected}`);
    assert.equal(block?.hash, head.hash);
    assert.equal(receipts?.length, block.transactions.length);
    assert.ok(receipts.every((r) => r.status === "0x1"));
    included += block.transactions.length;
    assert.equal(BigInt(nonce), BigInt(included), "the state after the announced block");
  }
  assert.equal(included, TXS);
  assert.ok((await sent).ok);
  assert.equal(await ws.call("eth_unsubscribe", [sub]), true);
});
