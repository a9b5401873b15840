import assert from "node:assert/strict";
import { after, test } from "node:test";
import { GAS_PER_BLOB } from "../evm/params.js";
import { Chain } from "./chain.js";
import { ALICE, BOB, CAROL, CHAIN_ID, DAVE, GENESIS_TIME, GWEI, KEYS, TempDirs, testGenesis } from "./chain-testkit.js";
import { impersonatedTransaction, signTransaction, type UnsignedTransaction } from "./transaction.js";

const dirs = new TempDirs();
after(() => dirs.cleanup());

const base = { gasLimit: 100_000n, to: BOB, value: 5n, data: new Uint8Array([1, 2, 3]), accessList: [] };
const accessList = [{ address: CAROL, storageKeys: [0n, 2n ** 256n - 1n] }];
const BLOB_HASH = (1n << 248n) | 0xabcdefn; // version byte 0x01

test("every transaction type (and an impersonated one) is stored and read back field for field", async () => {
  const datadir = dirs.make();
  const genesis = testGenesis();
  let chain = await Chain.open({ datadir, genesis });
  const unsigned: UnsignedTransaction[] = [
    { ...base, type: 0, nonce: 0n, gasPrice: 5n * GWEI }, // pre-EIP-155: no chain id
    { ...base, type: 0, nonce: 1n, gasPrice: 5n * GWEI, chainId: CHAIN_ID, to: null, data: new Uint8Array(0) },
    { ...base, type: 1, nonce: 0n, gasPrice: 5n * GWEI, chainId: CHAIN_ID, accessList },
    { ...base, type: 2, nonce: 0n, maxFeePerGas: 5n * GWEI, maxPriorityFeePerGas: 0n, chainId: CHAIN_ID, accessList },
    {
      ...base,
      type: 3,
      nonce: 1n,
      maxFeePerGas: 5n * GWEI,
      maxPriorityFeePerGas: 2n,
      chainId: CHAIN_ID,
      maxFeePerBlobGas: 7n,
      blobVersionedHashes: [BLOB_HASH],
    },
  ];
  const keys = [KEYS[0]!, KEYS[0]!, KEYS[1]!, KEYS[2]!, KEYS[2]!];
  const txs = unsigned.map((u, i) => signTransaction(u, keys[i]!.privateKey));
  // Its signature recovers no one: the sender must come from the store, not from `raw`.
  txs.push(
    impersonatedTransaction(
      { ...base, type: 2, nonce: 0n, maxFeePerGas: 5n * GWEI, maxPriorityFeePerGas: 1n, chainId: CHAIN_ID },
      DAVE,
    ),
  );
  const mined = await chain.mine(txs, { timestamp: GENESIS_TIME + 1n });
  assert.deepEqual(mined.rejected, []);
  assert.equal(mined.block.transactions.length, 6);
  const blob = mined.receipts[4]!;
  assert.equal(blob.blobGasUsed, GAS_PER_BLOB);
  assert.equal(blob.blobGasPrice, 1n);
  assert.equal(mined.block.header.blobGasUsed, GAS_PER_BLOB);
  assert.equal(mined.receipts[5]!.from, DAVE);
  assert.equal(mined.receipts[1]!.contractAddress !== null, true);

  await chain.close();
  chain = await Chain.open({ datadir, genesis });
  const block = chain.blockByNumber(1n)!;
  assert.deepEqual(block.transactions, txs);
  assert.deepEqual(chain.blockReceipts(1n), mined.receipts);
  for (const [i, t] of txs.entries()) assert.equal(chain.transaction(t.hash)?.index, i);
  assert.equal(chain.state().account(ALICE)?.nonce, 2n);
  // Block 1 used one blob of a three-blob target: no excess for block 2.
  assert.equal(chain.nextBlockEnv(GENESIS_TIME + 2n).excessBlobGas, 0n);
  await chain.close();
});

test("threads > 1 mines the same block", async () => {
  const mine = async (threads: number) => {
    const chain = await Chain.open({ datadir: dirs.make(), genesis: testGenesis(), threads });
    const u: UnsignedTransaction = { ...base, type: 2, nonce: 0n, maxFeePerGas: 5n * GWEI, maxPriorityFeePerGas: 1n };
    const { block } = await chain.mine(
      KEYS.map((k) => signTransaction({ ...u, chainId: CHAIN_ID }, k.privateKey)),
      { timestamp: GENESIS_TIME + 1n },
    );
    await chain.close();
    return block;
  };
  assert.deepEqual(await mine(2), await mine(1));
});
