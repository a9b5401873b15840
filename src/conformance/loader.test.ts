import assert from "node:assert/strict";
import { test } from "node:test";
import { keccak256Word } from "../primitives/keccak.js";
import { buildBlockEnv, buildPreState, buildTx, fixtureBigint, type TransactionJson } from "./loader.js";
import { findSkip, MAX_SKIP_FRACTION, SKIPS } from "./skips.js";

const base: TransactionJson = {
  data: ["0x", "0x6001"],
  gasLimit: ["0x5208", "0x010000"],
  value: ["0x00", "0x:bigint 0x10000000000000000000000000000000000000000000000000000000000000001"],
  nonce: "0x01",
  sender: "0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b",
  to: "0x095e7baea6a6c7c4c2dfeb977efac326af552d87",
  gasPrice: "0x0a",
};

test("fixture numbers, including the 0x:bigint form", () => {
  assert.equal(fixtureBigint("0x"), 0n);
  assert.equal(fixtureBigint("0x0a"), 10n);
  assert.equal(
    fixtureBigint("0x:bigint 0x1000000000000000000000000000000000000000000000000000000000000000a"),
    2n ** 256n + 10n,
  );
});

test("legacy transaction: indexes pick data, gas and value; no chain id", () => {
  const tx = buildTx(base, { data: 1, gas: 1, value: 1 });
  assert.equal(tx.type, 0);
  assert.equal(tx.chainId, undefined);
  assert.deepEqual(tx.data, new Uint8Array([0x60, 0x01]));
  assert.equal(tx.gasLimit, 0x10000n);
  assert.equal(tx.value, 2n ** 256n + 1n);
  assert.equal(tx.gasPrice, 10n);
  assert.equal(tx.nonce, 1n);
  assert.equal(tx.to, 0x095e7baea6a6c7c4c2dfeb977efac326af552d87n);
  assert.deepEqual(tx.accessList, []);
  assert.equal(buildTx({ ...base, to: "" }, { data: 0, gas: 0, value: 0 }).to, null);
  assert.throws(() => buildTx(base, { data: 2, gas: 0, value: 0 }), /data\[2\]/);
});

test("access lists per data index: null means a legacy transaction", () => {
  const tx = { ...base, accessLists: [[{ address: "0x01", storageKeys: ["0x02", "0x03"] }], null] };
  const t0 = buildTx(tx, { data: 0, gas: 0, value: 0 });
  assert.equal(t0.type, 1);
  assert.equal(t0.chainId, 1n);
  assert.deepEqual(t0.accessList, [{ address: 1n, storageKeys: [2n, 3n] }]);
  const t1 = buildTx(tx, { data: 1, gas: 0, value: 0 });
  assert.equal(t1.type, 0);
  assert.deepEqual(t1.accessList, []);
});

test("1559 and blob transactions", () => {
  const { gasPrice: _, ...noPrice } = base;
  const dyn = { ...noPrice, maxFeePerGas: "0x64", maxPriorityFeePerGas: "0x02", accessLists: [[], []] };
  const t2 = buildTx(dyn, { data: 0, gas: 0, value: 0 });
  assert.equal(t2.type, 2);
  assert.equal(t2.chainId, 1n);
  assert.equal(t2.maxFeePerGas, 100n);
  assert.equal(t2.maxPriorityFeePerGas, 2n);
  assert.equal(t2.gasPrice, undefined);
  const t3 = buildTx(
    { ...dyn, maxFeePerBlobGas: "0x0a", blobVersionedHashes: ["0x01ab"] },
    { data: 0, gas: 0, value: 0 },
  );
  assert.equal(t3.type, 3);
  assert.equal(t3.maxFeePerBlobGas, 10n);
  assert.deepEqual(t3.blobVersionedHashes, [0x01abn]);
});

test("block env defaults", () => {
  const env = {
    currentCoinbase: "0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba",
    currentDifficulty: "0x020000",
    currentGasLimit: "0xff112233445566",
    currentNumber: "0x01",
    currentTimestamp: "0x03e8",
  };
  assert.deepEqual(buildBlockEnv(env), {
    chainId: 1n,
    number: 1n,
    coinbase: 0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ban,
    timestamp: 1000n,
    gasLimit: 0xff112233445566n,
    baseFee: 10n,
    prevRandao: 0x20000n,
    excessBlobGas: 0n,
  });
  const full = buildBlockEnv({
    ...env,
    currentBaseFee: "0x07",
    currentRandom: "0x05",
    currentExcessBlobGas: "0x20000",
  });
  assert.equal(full.baseFee, 7n);
  assert.equal(full.prevRandao, 5n);
  assert.equal(full.excessBlobGas, 0x20000n);
});

test("pre-state: accounts, storage, and BLOCKHASH within the 256-block window", () => {
  const state = buildPreState(
    { "0x01": { balance: "0x0a", code: "0x6000", nonce: "0x02", storage: { "0x01": "0x02", "0x03": "0x00" } } },
    300n,
  );
  assert.equal(state.account(1n)?.nonce, 2n);
  assert.equal(state.storage(1n, 1n), 2n);
  assert.equal(state.hasStorage(1n), true);
  assert.equal(state.blockHash(299n), keccak256Word(new TextEncoder().encode("299")));
  assert.equal(state.blockHash(44n), keccak256Word(new TextEncoder().encode("44")));
  assert.equal(state.blockHash(43n), 0n);
  assert.equal(state.blockHash(300n), 0n);
});

test("skips: within the allowance, each with a reason", () => {
  assert.ok(SKIPS.every((s) => s.reason.trim() !== ""));
  assert.ok(MAX_SKIP_FRACTION <= 0.005);
  assert.equal(findSkip("stExample/add11.json", "add11", { data: 0, gas: 0, value: 0 }), undefined);
});
