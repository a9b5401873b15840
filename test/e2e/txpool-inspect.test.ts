// The txpool_ namespace on a node that mines only when told (--no-mining), the same signed
// transactions for Weft and anvil (WEFT_E2E_TARGET=anvil): two pending from one sender, one queued
// behind a nonce gap from another; status, inspect and content must read the same on both.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Hex, TransactionSerializable } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { CHAIN_ID, DEV, rpc, startTarget, TARGET, type Target } from "./harness.js";

let node: Target;
const hashes: Hex[] = [];
const TO = "0x0000000000000000000000000000000000001234";
const a = DEV[0].address.toLowerCase();
const b = DEV[1].address.toLowerCase();

async function submit(key: Hex, tx: TransactionSerializable): Promise<Hex> {
  const raw = await privateKeyToAccount(key).signTransaction(tx);
  return rpc<Hex>(node.url, "eth_sendRawTransaction", [raw]);
}

before(async () => {
  node = await startTarget({ args: ["--no-mining"] });
  const fees = { chainId: CHAIN_ID, maxFeePerGas: 2_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n };
  hashes.push(await submit(DEV[0].key, { type: "eip1559", nonce: 0, to: TO, value: 1000n, gas: 21_000n, ...fees }));
  hashes.push(
    await submit(DEV[0].key, {
      type: "legacy",
      chainId: CHAIN_ID,
      nonce: 1,
      data: "0x6000",
      gas: 60_000n,
      gasPrice: 3_000_000_000n,
    }),
  );
  hashes.push(await submit(DEV[1].key, { type: "eip1559", nonce: 2, to: TO, value: 5n, gas: 21_000n, ...fees }));
});
after(() => node?.stop());

test("txpool_status and txpool_inspect", async () => {
  assert.deepEqual(await rpc(node.url, "txpool_status"), { pending: "0x2", queued: "0x1" });
  assert.deepEqual(await rpc(node.url, "txpool_inspect"), {
    pending: {
      [a]: {
        "0": `${TO}: 1000 wei + 21000 gas × 2000000000 wei`,
        "1": "contract creation: 0 wei + 60000 gas × 3000000000 wei",
      },
    },
    queued: { [b]: { "2": `${TO}: 5 wei + 21000 gas × 2000000000 wei` } },
  });
});

test("txpool_content: pending transactions without a block, keyed by sender and nonce", async () => {
  const content = await rpc<Record<string, Record<string, Record<string, Record<string, unknown>>>>>(
    node.url,
    "txpool_content",
  );
  const pick = (tx: Record<string, unknown> | undefined) => ({
    hash: tx?.hash,
    blockHash: tx?.blockHash,
    blockNumber: tx?.blockNumber,
    transactionIndex: tx?.transactionIndex,
    from: tx?.from,
    gasPrice: tx?.gasPrice,
  });
  const none = { blockHash: null, blockNumber: null, transactionIndex: null };
  assert.deepEqual(pick(content.pending?.[a]?.["0"]), { hash: hashes[0], ...none, from: a, gasPrice: "0x77359400" });
  assert.deepEqual(pick(content.pending?.[a]?.["1"]), { hash: hashes[1], ...none, from: a, gasPrice: "0xb2d05e00" });
  assert.deepEqual(pick(content.queued?.[b]?.["2"]), { hash: hashes[2], ...none, from: b, gasPrice: "0x77359400" });
});

test("txpool_contentFrom (geth's; anvil has none)", { skip: TARGET === "anvil" }, async () => {
  const from = await rpc<{ pending: Record<string, { hash: string }>; queued: object }>(
    node.url,
    "txpool_contentFrom",
    [DEV[0].address],
  );
  assert.deepEqual(Object.keys(from.pending), ["0", "1"]);
  assert.equal(from.pending["1"]?.hash, hashes[1]);
  assert.deepEqual(from.queued, {});
});
