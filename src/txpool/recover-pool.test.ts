// Recovery on worker threads: the pool itself, and TxPool's raw paths that use it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { setImmediate as tick } from "node:timers/promises";
import type { Worker } from "node:worker_threads";
import { keccak256 } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { SECP256K1_N } from "../chain/sign.js";
import { decodeTransaction, encodeTransaction } from "../chain/transaction.js";
import type { SignedTransaction } from "../chain/types.js";
import { bytesToHex, hexToBigint, hexToBytes } from "../primitives/hex.js";
import { TxPoolError } from "./errors.js";
import { RecoverPool } from "./recover-pool.js";
import type { Recovered } from "./recover-wire.js";
import { CHAIN_ID, GWEI, signed, testHead, testKey, testPool, variety } from "./testkit.js";

const keys = [0, 1, 2, 3].map(testKey);

/** What decoding on this thread gives: the transaction, or the decoder's code and message. */
function inline(raw: Uint8Array, chainId?: bigint): Recovered {
  try {
    return decodeTransaction(raw, chainId === undefined ? {} : { chainId });
  } catch (e) {
    const d = e as { code: string; message: string };
    return { code: d.code, message: d.message };
  }
}

function highS(tx: SignedTransaction): Uint8Array {
  return encodeTransaction({ ...tx, s: SECP256K1_N - tx.s, v: 1n - tx.v });
}

test("RecoverPool: results in input order, equal to decoding on the main thread, failures included", async () => {
  const pool = new RecoverPool(2, { minChunk: 3 });
  try {
    const good = variety();
    const raws: Uint8Array[] = [];
    for (let i = 0; i < 40; i++) raws.push(signed(keys[i % 4]!, { nonce: BigInt(i) }).raw);
    raws.push(...good.map((t) => t.raw));
    raws.push(
      encodeTransaction({ ...good[0]!, r: 5n }), // no key recovers: 5 is no x-coordinate
      highS(good[0]!),
      new Uint8Array([0xc0]),
      new Uint8Array([5, 0xc0]),
      signed(keys[0]!, { chainId: 1n }).raw,
    );
    const out = await pool.recover(raws, { chainId: CHAIN_ID });
    assert.equal(out.length, raws.length);
    for (let i = 0; i < raws.length; i++) {
      assert.deepEqual(out[i], inline(raws[i]!, CHAIN_ID), `transaction ${i}`);
      if (!("code" in out[i]!)) assert.equal((out[i] as SignedTransaction).raw, raws[i]);
    }
    const codes = out.slice(-5).map((r) => (r as { code: string }).code);
    assert.deepEqual(codes, ["SIGNATURE", "SIGNATURE", "FIELDS", "TYPE", "CHAIN_ID"]);
    // Without a chain id, a transaction for any chain decodes.
    const [other] = await pool.recover([raws.at(-1)!]);
    assert.equal((other as SignedTransaction).chainId, 1n);
    assert.deepEqual(await pool.recover([]), []);
  } finally {
    await pool.terminate();
  }
});

test("RecoverPool: concurrent batches spread over the workers", async () => {
  const pool = new RecoverPool(3, { minChunk: 1 });
  try {
    const batches = [0, 1, 2, 3, 4, 5].map((b) =>
      Array.from({ length: 7 }, (_, i) => signed(keys[b % 4]!, { nonce: BigInt(b * 100 + i) })),
    );
    const results = await Promise.all(batches.map((batch) => pool.recover(batch.map((t) => t.raw))));
    for (let b = 0; b < batches.length; b++) assert.deepEqual(results[b], batches[b]);
  } finally {
    await pool.terminate();
  }
});

test("RecoverPool: a worker that dies is replaced; terminate fails what is in flight", async () => {
  const pool = new RecoverPool(2, { minChunk: 1 });
  const workers = (pool as unknown as { workers: { worker: Worker }[] }).workers;
  const tx = signed(keys[0]!);
  // Killed once it is idle: a thread killed while it loads the secp256k1 addon can abort the process.
  assert.deepEqual(await pool.recover([tx.raw, tx.raw]), [tx, tx]);
  await workers[0]!.worker.terminate();
  await tick();
  // Both workers take a share of a 2-transaction batch: the replacement must answer.
  assert.deepEqual(await pool.recover([tx.raw, tx.raw]), [tx, tx]);
  assert.equal(workers.length, 2);

  const inFlight = assert.rejects(pool.recover([tx.raw]), /RecoverPool: terminated/);
  await pool.terminate();
  await inFlight;
  await assert.rejects(pool.recover([tx.raw]), /RecoverPool: terminated/);
  assert.throws(() => new RecoverPool(0), RangeError);
});

test("addRawBatch: recovered on workers, results in place, the pool as if added one by one", async () => {
  const head = testHead();
  const pool = testPool(head, { recoverThreads: 2, inlineBelow: 8 });
  try {
    const txs: SignedTransaction[] = [];
    // Each sender's nonces out of order within the batch: gaps close as the batch is added.
    for (let i = 0; i < 48; i++) {
      const k = i % 4;
      const nonce = BigInt(11 - Math.floor(i / 4));
      txs.push(signed(keys[k]!, { nonce, maxPriorityFeePerGas: BigInt(k + 1) * (GWEI / 10n) }));
    }
    const bad = highS(txs[0]!);
    const raws = [...txs.map((t) => t.raw), txs[5]!.raw, bad, signed(keys[0]!, { chainId: 5n }).raw];
    const out = await pool.addRawBatch(raws);
    assert.deepEqual(
      out.slice(0, 48),
      txs.map((t) => t.hash),
    );
    const errors = out.slice(48) as TxPoolError[];
    assert.ok(errors.every((e) => e instanceof TxPoolError));
    assert.deepEqual(
      errors.map((e) => e.code),
      ["ALREADY_KNOWN", "INVALID_SIGNATURE", "INVALID_CHAIN_ID"],
    );
    assert.equal(pool.recovered.workers, raws.length);
    assert.equal(pool.recovered.inline, 0);
    assert.deepEqual(pool.status(), { pending: 48, queued: 0 });
    // Block order: the best-tipping sender's 12 first, in nonce order, and so on down.
    const order = pool.pending();
    for (let k = 0; k < 4; k++) {
      const run = order.slice(12 * k, 12 * k + 12);
      assert.ok(run.every((t) => t.sender === keys[3 - k]!.address));
      assert.deepEqual(
        run.map((t) => t.nonce),
        Array.from({ length: 12 }, (_, i) => BigInt(i)),
      );
    }
  } finally {
    await pool.close();
  }
});

test("addRaw: calls arriving together are recovered together; few go inline", async () => {
  const pool = testPool(testHead(), { recoverThreads: 2, inlineBelow: 8 });
  try {
    const few = [0n, 1n, 2n].map((nonce) => signed(keys[0]!, { nonce }));
    assert.deepEqual(
      await Promise.all(few.map((t) => pool.addRaw(t.raw))),
      few.map((t) => t.hash),
    );
    assert.deepEqual(pool.recovered, { inline: 3, workers: 0 });
    const many = Array.from({ length: 20 }, (_, i) => signed(keys[1]!, { nonce: BigInt(i) }));
    const settled = await Promise.allSettled([...many.map((t) => pool.addRaw(t.raw)), pool.addRaw(highS(many[0]!))]);
    assert.deepEqual(
      settled.slice(0, 20).map((s) => (s.status === "fulfilled" ? s.value : s.reason)),
      many.map((t) => t.hash),
    );
    const last = settled[20]!;
    assert.ok(
      last.status === "rejected" && last.reason instanceof TxPoolError && last.reason.code === "INVALID_SIGNATURE",
    );
    assert.deepEqual(pool.recovered, { inline: 3, workers: 21 });
    assert.deepEqual(pool.status(), { pending: 23, queued: 0 });
  } finally {
    await pool.close();
  }
  await assert.rejects(pool.addRaw(signed(keys[2]!).raw), /TxPool: closed/);
});

test("addRaw with no recovery threads decodes everything inline", async () => {
  const pool = testPool(testHead(), { recoverThreads: 0 });
  const txs = Array.from({ length: 20 }, (_, i) => signed(keys[0]!, { nonce: BigInt(i) }));
  await pool.addRawBatch(txs.map((t) => t.raw));
  assert.deepEqual(pool.recovered, { inline: 20, workers: 0 });
  await pool.close();
});

test("transactions signed by viem: same hash and sender, inline and on workers", async () => {
  const key = keys[2]!;
  const account = privateKeyToAccount(bytesToHex(key.key) as `0x${string}`);
  assert.equal(hexToBigint(account.address), key.address);
  const serialized = [
    await account.signTransaction({
      type: "eip1559",
      chainId: 31337,
      nonce: 0,
      gas: 21000n,
      maxFeePerGas: 2n * GWEI,
      maxPriorityFeePerGas: GWEI,
      to: "0x0000000000000000000000000000000000001234",
      value: 1n,
    }),
    await account.signTransaction({
      type: "legacy",
      chainId: 31337,
      nonce: 1,
      gas: 50000n,
      gasPrice: 2n * GWEI,
      to: "0x0000000000000000000000000000000000001234",
      data: "0xdeadbeef",
    }),
    await account.signTransaction({
      type: "eip2930",
      chainId: 31337,
      nonce: 2,
      gas: 30000n,
      gasPrice: 2n * GWEI,
      to: "0x0000000000000000000000000000000000001234",
      accessList: [{ address: "0x0000000000000000000000000000000000005678", storageKeys: [] }],
    }),
  ];
  const hashes = serialized.map((s) => hexToBigint(keccak256(s)));
  const inlinePool = testPool(testHead());
  for (let i = 0; i < serialized.length; i++) {
    assert.equal(await inlinePool.addRaw(hexToBytes(serialized[i]!)), hashes[i]);
    assert.equal(inlinePool.get(hashes[i]!)!.sender, key.address);
  }
  const workerPool = new RecoverPool(1);
  try {
    const out = (await workerPool.recover(serialized.map(hexToBytes))) as SignedTransaction[];
    assert.deepEqual(
      out.map((t) => t.hash),
      hashes,
    );
    assert.ok(out.every((t) => t.sender === key.address));
    // And back: the fields re-encode to viem's bytes.
    assert.deepEqual(bytesToHex(encodeTransaction(out[0]!)), serialized[0]);
  } finally {
    await workerPool.terminate();
  }
});
