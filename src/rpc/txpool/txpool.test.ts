// txpool_status, txpool_content, txpool_contentFrom and txpool_inspect against a real node that mines
// only when told: two pending transactions of one sender (a transfer and a creation), one of another
// sender queued behind a nonce gap; then a block takes the pending ones and the queued one stays.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Hex, TransactionSerializable } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { addressToHex, bytesToHex } from "../../primitives/hex.js";
import { ACCOUNTS, CHAIN_ID, rpc, rpcError, startTestNode, type TestNode } from "../testkit.js";

const [A, B] = ACCOUNTS.map((a) => privateKeyToAccount(bytesToHex(a.privateKey) as Hex)) as [
  ReturnType<typeof privateKeyToAccount>,
  ReturnType<typeof privateKeyToAccount>,
];
const a = addressToHex(ACCOUNTS[0]!.address);
const b = addressToHex(ACCOUNTS[1]!.address);
const TO = "0x0000000000000000000000000000000000001234";

let node: TestNode;
const hashes: Hex[] = [];

async function submit(account: typeof A, tx: TransactionSerializable): Promise<Hex> {
  const raw = await account.signTransaction(tx);
  return (await rpc(node.url, "eth_sendRawTransaction", [raw])) as Hex;
}

before(async () => {
  node = await startTestNode({ automine: false });
  const chainId = Number(CHAIN_ID);
  const fees = { chainId, maxFeePerGas: 2_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n };
  hashes.push(await submit(A, { type: "eip1559", nonce: 0, to: TO, value: 1000n, gas: 21_000n, ...fees }));
  hashes.push(
    await submit(A, { type: "legacy", chainId, nonce: 1, data: "0x6000", gas: 60_000n, gasPrice: 3_000_000_000n }),
  );
  // B's nonce is 0: nonce 2 waits in the queue.
  hashes.push(await submit(B, { type: "eip1559", nonce: 2, to: TO, value: 5n, gas: 21_000n, ...fees }));
});
after(() => node.close());

describe("txpool_*", () => {
  it("txpool_status counts pending and queued", async () => {
    assert.deepEqual(await rpc(node.url, "txpool_status"), { pending: "0x2", queued: "0x1" });
  });

  it("txpool_content: by sender and decimal nonce, each as eth_getTransactionByHash shows it", async () => {
    const byHash = await Promise.all(hashes.map((h) => rpc(node.url, "eth_getTransactionByHash", [h])));
    const content = (await rpc(node.url, "txpool_content")) as Record<
      string,
      Record<string, Record<string, Record<string, unknown>>>
    >;
    const tx = content.pending?.[a]?.["0"];
    assert.equal(tx?.blockHash, null);
    assert.equal(tx?.blockNumber, null);
    assert.equal(tx?.transactionIndex, null);
    assert.equal(tx?.hash, hashes[0]);
    assert.deepEqual(content, {
      pending: { [a]: { "0": byHash[0], "1": byHash[1] } },
      queued: { [b]: { "2": byHash[2] } },
    });
  });

  it("txpool_contentFrom: one sender's, keyed by nonce (geth's shape)", async () => {
    const [, , queued] = await Promise.all(hashes.map((h) => rpc(node.url, "eth_getTransactionByHash", [h])));
    assert.deepEqual(await rpc(node.url, "txpool_contentFrom", [b]), { pending: {}, queued: { "2": queued } });
    assert.deepEqual(await rpc(node.url, "txpool_contentFrom", [TO]), { pending: {}, queued: {} });
    assert.equal((await rpcError(node.url, "txpool_contentFrom", ["0x12"])).code, -32602);
    assert.equal((await rpcError(node.url, "txpool_contentFrom", [])).code, -32602);
  });

  it("txpool_inspect: one line per transaction in anvil's words", async () => {
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

  it("takes no parameters", async () => {
    for (const method of ["txpool_status", "txpool_content", "txpool_inspect"]) {
      assert.equal((await rpcError(node.url, method, [1])).code, -32602, method);
    }
  });

  it("after a block: the mined ones are gone, the queued one stays queued", async () => {
    await node.miner.mine();
    assert.deepEqual(await rpc(node.url, "txpool_status"), { pending: "0x0", queued: "0x1" });
    const inspect = (await rpc(node.url, "txpool_inspect")) as { pending: object; queued: object };
    assert.deepEqual(inspect.pending, {});
    assert.deepEqual(Object.keys(inspect.queued), [b]);
  });
});
