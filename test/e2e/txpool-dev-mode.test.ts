// A dev node's pool takes what anvil's takes: any number of one account's transactions before they
// are mined, replacements that raise the fee cap by one wei, transactions above geth's 128 KiB. The
// same script runs against anvil (WEFT_E2E_TARGET=anvil). geth's caps exist as --txpool-* flags for a
// chain that faces the public; each refuses with a clear JSON-RPC error.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Hex, TransactionSerializableEIP1559 } from "viem";
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { devTransfer, RPC_TIMEOUT_MS, rpc, rpcRaw, startTarget, TARGET, type Target } from "./harness.js";

/** Past the 4,096 per sender that Weft's pool once refused beyond, as a deploy-then-mine script sends. */
const FROM_ONE_ACCOUNT = 20_000;
/** Requests per JSON-RPC batch: Weft's default --rpc-max-batch. */
const BATCH = 1000;

/** A node with mining off, for the tests that need no node of their own. */
let shared: Target;
before(async () => {
  shared = await startTarget({ args: ["--no-mining"] });
});
after(() => shared?.stop());

interface RpcReply {
  id: number;
  result?: unknown;
  error?: { code: number; message: string };
}

async function postBatch(url: string, requests: object[]): Promise<RpcReply[]> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(requests),
    signal: AbortSignal.timeout(RPC_TIMEOUT_MS),
  });
  const replies = (await res.json()) as RpcReply[];
  return replies.sort((a, b) => a.id - b.id);
}

/** A fresh account holding 100 ether. */
async function fundedAccount(target: Target): Promise<PrivateKeyAccount> {
  const account = privateKeyToAccount(generatePrivateKey());
  await rpc(target.url, "anvil_setBalance", [account.address, "0x56bc75e2d63100000"]);
  return account;
}

/**
 * Sends `count` transfers from `from`, nonces 0.., as raw transactions in JSON-RPC batches; a batch
 * is signed while the one before it is in flight. The replies, in nonce order.
 */
async function sendTransfers(target: Target, from: PrivateKeyAccount, count: number): Promise<RpcReply[]> {
  const inFlight: Promise<RpcReply[]>[] = [];
  for (let start = 0; start < count; start += BATCH) {
    const requests = [];
    for (let nonce = start; nonce < Math.min(count, start + BATCH); nonce++) {
      const raw = await from.signTransaction(devTransfer(nonce));
      requests.push({ jsonrpc: "2.0", id: nonce, method: "eth_sendRawTransaction", params: [raw] });
    }
    inFlight.push(postBatch(target.url, requests));
    // Lets the request go out before the next batch's signing holds the thread.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return (await Promise.all(inFlight)).flat();
}

test(`a script sends ${FROM_ONE_ACCOUNT.toLocaleString("en")} raw transactions from one account with mining off, then mines them all`, async () => {
  const node = await startTarget({ args: ["--no-mining"] });
  try {
    const from = await fundedAccount(node);
    const replies = await sendTransfers(node, from, FROM_ONE_ACCOUNT);
    assert.deepEqual(replies.filter((r) => r.error !== undefined).slice(0, 3), [], "every transaction is taken");
    assert.equal(Number((await rpc<{ pending: Hex }>(node.url, "txpool_status")).pending), FROM_ONE_ACCOUNT);

    // 30M gas a block: 1,428 transfers each.
    const blocks = Math.ceil(FROM_ONE_ACCOUNT / Math.floor(30_000_000 / 21_000));
    await rpc(node.url, "anvil_mine", [blocks]);
    assert.equal(
      Number(await rpc<Hex>(node.url, "eth_getTransactionCount", [from.address, "latest"])),
      FROM_ONE_ACCOUNT,
    );
    assert.deepEqual(await rpc(node.url, "txpool_status"), { pending: "0x0", queued: "0x0" });
    const counts = await postBatch(
      node.url,
      Array.from({ length: blocks }, (_, i) => ({
        jsonrpc: "2.0",
        id: i,
        method: "eth_getBlockTransactionCountByNumber",
        params: [`0x${(i + 1).toString(16)}`],
      })),
    );
    assert.equal(
      counts.reduce((sum, r) => sum + Number(r.result), 0),
      FROM_ONE_ACCOUNT,
      "the blocks include every transaction",
    );
    // The last one landed, and succeeded.
    const lastHash = replies.at(-1)!.result as Hex;
    const receipt = await rpc<{ status: Hex }>(node.url, "eth_getTransactionReceipt", [lastHash]);
    assert.equal(receipt.status, "0x1");
  } finally {
    await node.stop();
  }
});

test("a replacement needs only a higher maxFeePerGas, as anvil's pool: one wei more replaces, even with a lower tip", async () => {
  const from = await fundedAccount(shared);
  const send = async (fields: Partial<TransactionSerializableEIP1559>) =>
    rpcRaw(shared.url, "eth_sendRawTransaction", [await from.signTransaction(devTransfer(0, fields))]);
  assert.ok((await send({})).result);
  // Equal fee cap, higher tip: refused.
  const same = await send({ maxPriorityFeePerGas: 2_000_000_000n });
  assert.match(same.error?.message ?? "", /^replacement transaction underpriced/);
  const better = await send({ maxFeePerGas: 10_000_000_001n, maxPriorityFeePerGas: 1n });
  assert.ok(better.result, JSON.stringify(better.error));
  const content = await rpc<{ pending: Record<string, Record<string, { hash: Hex }>> }>(shared.url, "txpool_content");
  assert.equal(content.pending[from.address.toLowerCase()]?.["0"]?.hash, better.result);
});

test("a transaction above geth's 128 KiB is taken, as anvil's pool takes it", async () => {
  const from = await fundedAccount(shared);
  const data = `0x${"01".repeat(200 * 1024)}` as Hex;
  const raw = await from.signTransaction(devTransfer(0, { data, gas: 21_000n + 16n * 200n * 1024n }));
  const reply = await rpcRaw(shared.url, "eth_sendRawTransaction", [raw]);
  assert.ok(reply.result, JSON.stringify(reply.error));
});

test("geth's caps, given as --txpool-* flags, refuse with a clear JSON-RPC error", async (t) => {
  if (TARGET === "anvil") return t.skip("anvil's pool has no caps and no flags for them");
  const node = await startTarget({
    args: [
      "--no-mining",
      ...["--txpool-max-per-sender", "3", "--txpool-max-txs", "5"],
      ...["--txpool-max-tx-bytes", "131072", "--txpool-price-bump", "10"],
    ],
  });
  try {
    const error = async (from: PrivateKeyAccount, tx: TransactionSerializableEIP1559) => {
      const reply = await rpcRaw(node.url, "eth_sendRawTransaction", [await from.signTransaction(tx)]);
      assert.equal(reply.error?.code, -32000, JSON.stringify(reply));
      return reply.error.message;
    };
    const alice = await fundedAccount(node);
    const replies = await sendTransfers(node, alice, 5);
    assert.deepEqual(
      replies.map((r) => r.error?.message),
      [
        undefined,
        undefined,
        undefined,
        ...Array(2).fill("account limit exceeded: 3 transactions from this sender, limit 3"),
      ],
    );
    assert.equal(
      await error(alice, devTransfer(0, { maxFeePerGas: 10_000_000_001n })),
      "replacement transaction underpriced: nonce 0 is taken; a replacement needs maxFeePerGas >= 11000000000 and maxPriorityFeePerGas >= 1100000000",
    );
    const data = `0x${"01".repeat(132 * 1024)}` as Hex;
    assert.match(
      await error(alice, devTransfer(0, { data, gas: 21_000n + 16n * 132n * 1024n, maxFeePerGas: 20_000_000_000n })),
      /^oversized data: transaction size \d+, limit 131072$/,
    );
    const bob = await fundedAccount(node);
    await sendTransfers(node, bob, 2);
    assert.equal(await error(bob, devTransfer(2)), "txpool is full: 5 transactions, limit 5");
  } finally {
    await node.stop();
  }
});
