import assert from "node:assert/strict";
import { join } from "node:path";
import { after, test } from "node:test";
import { GAS_PER_BLOB } from "../evm/params.js";
import { bigintToBytes, bigintToMinimalBytes } from "../primitives/hex.js";
import { type RlpInput, rlpEncode } from "../primitives/rlp.js";
import { LmdbState } from "../state/lmdb-state.js";
import { Chain } from "./chain.js";
import { encodeStoredReceipts } from "./chain-store.js";
import {
  ALICE,
  BOB,
  CAROL,
  CHAIN_ID,
  DAVE,
  GENESIS_TIME,
  GWEI,
  KEYS,
  storeAndLogInitcode,
  TempDirs,
  testGenesis,
} from "./chain-testkit.js";
import { impersonatedTransaction, signTransaction, type UnsignedTransaction } from "./transaction.js";
import type { SignedTransaction, TransactionReceipt } from "./types.js";

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
  // An empty block after it: block 1 is then neither the head nor decoded once reopened.
  await chain.mine([], { timestamp: GENESIS_TIME + 2n });

  await chain.close();
  chain = await Chain.open({ datadir, genesis });
  // Its receipts first, from the stored body without decoding its transactions (receiptTxsAt).
  assert.deepEqual(chain.blockReceipts(1n), mined.receipts);
  const block = chain.blockByNumber(1n)!;
  assert.deepEqual(block.transactions, txs);
  for (const [i, t] of txs.entries()) assert.equal(chain.transaction(t.hash)?.index, i);
  assert.equal(chain.state().account(ALICE)?.nonce, 2n);
  // Block 1 used one blob of a three-blob target: no excess after it.
  assert.equal(chain.nextBlockEnv(GENESIS_TIME + 3n).excessBlobGas, 0n);
  await chain.close();

  // A store written before bodies held raw transactions: each transaction's fields in an RLP list.
  const lmdb = LmdbState.open(join(datadir, "chain"));
  await lmdb.database("chain/bodies").put(Buffer.from(bigintToBytes(1n, 8)), rlpEncode(txs.map(olderStoredTx)));
  await lmdb.close();
  chain = await Chain.open({ datadir, genesis });
  assert.deepEqual(chain.blockByNumber(1n)!.transactions, txs);
  await chain.close();
});

/** How stores before the raw-bytes body format kept a transaction. */
function olderStoredTx(tx: SignedTransaction): RlpInput {
  const opt = (v: bigint | undefined): RlpInput => (v === undefined ? [] : bigintToMinimalBytes(v));
  return [
    new Uint8Array([tx.type]),
    opt(tx.chainId),
    bigintToBytes(tx.sender, 20),
    bigintToMinimalBytes(tx.nonce),
    bigintToMinimalBytes(tx.gasLimit),
    opt(tx.gasPrice),
    opt(tx.maxFeePerGas),
    opt(tx.maxPriorityFeePerGas),
    tx.to === null ? new Uint8Array(0) : bigintToBytes(tx.to, 20),
    bigintToMinimalBytes(tx.value),
    tx.data,
    tx.accessList.map((e) => [bigintToBytes(e.address, 20), e.storageKeys.map((k) => bigintToBytes(k, 32))]),
    opt(tx.maxFeePerBlobGas),
    tx.blobVersionedHashes === undefined ? [] : [tx.blobVersionedHashes.map((h) => bigintToBytes(h, 32))],
    bigintToMinimalBytes(tx.v),
    bigintToMinimalBytes(tx.r),
    bigintToMinimalBytes(tx.s),
    bigintToBytes(tx.hash, 32),
    tx.raw,
  ];
}

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

test("stored receipts are the RLP of their fields (logs, a created address, blob gas, a failed one)", () => {
  const log = (n: number) => ({
    address: 0xd0d0n + BigInt(n),
    topics: Array.from({ length: n }, (_, k) => (1n << 255n) + BigInt(k)),
    data: new Uint8Array(n * 30).fill(0x91),
  });
  const receipt = (i: number): TransactionReceipt => ({
    transactionHash: BigInt(i),
    transactionIndex: i,
    blockHash: 0n,
    blockNumber: 1n,
    from: ALICE,
    to: i === 1 ? null : BOB,
    type: 2,
    status: i === 2 ? 0 : 1,
    cumulativeGasUsed: 21_000n * BigInt(i + 1),
    gasUsed: i === 0 ? 0n : 21_000n,
    effectiveGasPrice: 7n * GWEI,
    contractAddress: i === 1 ? CAROL : null,
    logs: [0, 1, 4].slice(0, i + 1).map(log),
    logsBloom: new Uint8Array(256),
    firstLogIndex: 0,
    ...(i === 3 ? { blobGasUsed: GAS_PER_BLOB, blobGasPrice: 1n } : {}),
  });
  const receipts = [0, 1, 2, 3].map(receipt);
  const opt = (v: bigint | undefined): RlpInput => (v === undefined ? [] : bigintToMinimalBytes(v));
  const expected = rlpEncode(
    receipts.map((r) => [
      r.status === 1 ? new Uint8Array([1]) : new Uint8Array(0),
      bigintToMinimalBytes(r.cumulativeGasUsed),
      bigintToMinimalBytes(r.gasUsed),
      bigintToMinimalBytes(r.effectiveGasPrice),
      r.contractAddress === null ? [] : bigintToBytes(r.contractAddress, 20),
      r.logs.map((l) => [bigintToBytes(l.address, 20), l.topics.map((t) => bigintToBytes(t, 32)), l.data]),
      opt(r.blobGasUsed),
      opt(r.blobGasPrice),
    ]),
  );
  assert.deepEqual(encodeStoredReceipts(receipts), expected);
});

test("a transaction and its receipt in a block not decoded: read alone, the same as from the whole block", async () => {
  const datadir = dirs.make();
  const genesis = testGenesis();
  let chain = await Chain.open({ datadir, genesis });
  const sign = (key: number, nonce: bigint, to: bigint | null, data: Uint8Array, gasLimit = 200_000n) =>
    signTransaction(
      {
        type: 2,
        chainId: CHAIN_ID,
        nonce,
        to,
        value: 0n,
        data,
        gasLimit,
        maxFeePerGas: 5n * GWEI,
        maxPriorityFeePerGas: 1n,
        accessList: [],
      },
      KEYS[key]!.privateKey,
    );
  const deployed = await chain.mine([sign(0, 0n, null, storeAndLogInitcode())], { timestamp: GENESIS_TIME + 1n });
  const contract = deployed.receipts[0]!.contractAddress!;
  // Block 2: calls that log (one log each) between plain transfers, so log indexes run on across receipts.
  const block2 = [
    sign(1, 0n, contract, bigintToBytes(1n, 32)),
    sign(2, 0n, BOB, new Uint8Array(0), 21_000n),
    sign(1, 1n, contract, bigintToBytes(2n, 32)),
    sign(0, 1n, contract, bigintToBytes(3n, 32)),
    sign(2, 1n, CAROL, new Uint8Array(0), 21_000n),
  ];
  const mined = await chain.mine(block2, { timestamp: GENESIS_TIME + 2n });
  assert.equal(mined.block.transactions.length, 5);
  await chain.mine([sign(2, 2n, DAVE, new Uint8Array(0), 21_000n)], { timestamp: GENESIS_TIME + 3n });
  await chain.close();

  // Reopened: block 2 is neither the head nor decoded; each lookup reads its transaction and receipt alone.
  chain = await Chain.open({ datadir, genesis });
  const alone = block2.map((t) => ({ loc: chain.transaction(t.hash), receipt: chain.receipt(t.hash) }));
  const whole = chain.blockReceipts(2n);
  assert.deepEqual(whole, mined.receipts);
  for (const [i, t] of block2.entries()) {
    assert.deepEqual(alone[i]!.loc, { tx: t, blockHash: mined.block.hash, blockNumber: 2n, index: i });
    assert.deepEqual(alone[i]!.receipt, whole[i], `receipt ${i}`);
  }
  assert.deepEqual(
    alone.map((a) => a.receipt!.firstLogIndex),
    [0, 1, 1, 2, 3],
  );
  assert.equal(chain.receipt(0x1234n), undefined);
  // By block number and index (eth_getTransactionByBlock*AndIndex), the block not decoded either.
  for (const [i, t] of block2.entries()) {
    const found = chain.transactionInBlock(2n, i)!;
    assert.deepEqual(found.tx, t);
    assert.equal(found.block.hash, mined.block.hash);
    assert.deepEqual(found.block.header, mined.block.header);
  }
  assert.equal(chain.transactionInBlock(2n, 5), undefined);
  assert.equal(chain.transactionInBlock(9n, 0), undefined);
  // Its header alone (eth_getTransactionReceipt's block timestamp).
  assert.deepEqual(chain.headerByHash(mined.block.hash), mined.block.header);
  assert.deepEqual(chain.headerByNumber(2n), mined.block.header);
  assert.equal(chain.headerByNumber(9n), undefined);
  assert.equal(chain.headerByHash(0x1234n), undefined);
  await chain.close();
});
