// Dev methods as anvil answers them: mining on demand and its timestamps, snapshots, account edits,
// impersonation, automine on/off, interval mining, state dumps, pool drops, coinbase / base fee / gas
// limit / timestamp interval settings, auto-impersonation, nodeInfo / metadata, uncles, reset; and the --no-mining / --block-time
// flags.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Hex } from "viem";
import { DEV, rpc, rpcRaw, startTarget, type Target, waitFor } from "./harness.js";

let node: Target;

before(async () => {
  node = await startTarget();
});
after(() => node?.stop());

interface RpcBlock {
  number: Hex;
  hash: Hex;
  timestamp: Hex;
  transactions: Hex[];
}

const call = <T = unknown>(method: string, params: unknown[] = []) => rpc<T>(node.url, method, params);
const latest = () => call<RpcBlock>("eth_getBlockByNumber", ["latest", false]);
const blockNumber = async () => Number(await call<Hex>("eth_blockNumber"));
const ADDR = "0x1000000000000000000000000000000000000001";
const OTHER = "0x2000000000000000000000000000000000000002";

test("evm_mine mines a block, at a given timestamp when asked; anvil_mine mines several, interval apart", async () => {
  const start = await blockNumber();
  assert.equal(await call("evm_mine"), "0x0");
  assert.equal(await blockNumber(), start + 1);

  const ts = Number((await latest()).timestamp) + 1000;
  await call("evm_mine", [ts]);
  assert.equal(Number((await latest()).timestamp), ts);

  assert.equal(await call("anvil_mine", [3, 10]), null);
  assert.equal(await blockNumber(), start + 5);
  const b = await latest();
  assert.equal(Number(b.timestamp), ts + 30);

  await call("hardhat_mine", ["0x2"]);
  assert.equal(await blockNumber(), start + 7);
  const after = Number((await latest()).timestamp);
  // anvil may repeat a timestamp here; Weft's strictly increase. Neither goes back.
  assert.ok(after >= ts + 30, "time never goes back from mined timestamps");
});

test("evm_setNextBlockTimestamp and evm_increaseTime move the clock; going back is refused", async () => {
  const head = Number((await latest()).timestamp);
  assert.equal(await call("evm_setNextBlockTimestamp", [head + 500]), null);
  await call("evm_mine");
  assert.equal(Number((await latest()).timestamp), head + 500);

  const offset = await call<number>("evm_increaseTime", [3600]);
  assert.equal(typeof offset, "number");
  await call("evm_mine");
  assert.ok(Number((await latest()).timestamp) >= head + 500 + 3600);

  const r = await rpcRaw(node.url, "evm_setNextBlockTimestamp", [1]);
  assert.ok(r.error, "a timestamp before the head is an error");
  assert.match(r.error.message, /timestamp/i);
});

test("anvil_setBalance / setNonce / setCode / setStorageAt, and their hardhat_ aliases", async () => {
  assert.equal(await call("anvil_setBalance", [ADDR, "0x1234"]), null);
  assert.equal(await call("eth_getBalance", [ADDR, "latest"]), "0x1234");
  await call("hardhat_setBalance", [ADDR, "0x12345"]);
  assert.equal(await call("eth_getBalance", [ADDR, "latest"]), "0x12345");

  await call("anvil_setNonce", [ADDR, "0x7"]);
  assert.equal(await call("eth_getTransactionCount", [ADDR, "latest"]), "0x7");

  // PUSH1 0xff PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN: returns the word 0xff.
  await call("anvil_setCode", [ADDR, "0x60ff60005260206000f3"]);
  assert.equal(await call("eth_getCode", [ADDR, "latest"]), "0x60ff60005260206000f3");
  assert.equal(BigInt(await call<Hex>("eth_call", [{ to: ADDR }, "latest"])), 0xffn);

  const value = `0x${"aa".padStart(64, "0")}`;
  assert.equal(await call("anvil_setStorageAt", [ADDR, "0x1", value]), true);
  assert.equal(await call("eth_getStorageAt", [ADDR, "0x1", "latest"]), value);
  await call("hardhat_setStorageAt", [ADDR, "0x1", `0x${"0".repeat(64)}`]);
  assert.equal(BigInt(await call<Hex>("eth_getStorageAt", [ADDR, "0x1", "latest"])), 0n);
});

test("eth_call sees each dev edit and each rewind at once (the call workers keep reads of one state only)", async () => {
  const READER = "0x1000000000000000000000000000000000000003";
  // PUSH1 1 SLOAD SELFBALANCE ADD PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN: slot 1 plus the balance.
  await call("anvil_setCode", [READER, "0x600154470160005260206000f3"]);
  const read = async () => BigInt(await call<Hex>("eth_call", [{ to: READER }, "latest"]));
  await call("anvil_setStorageAt", [READER, "0x1", `0x${"10".padStart(64, "0")}`]);
  assert.equal(await read(), 0x10n);
  assert.equal(await read(), 0x10n);
  const id = await call<Hex>("evm_snapshot");
  await call("anvil_setStorageAt", [READER, "0x1", `0x${"20".padStart(64, "0")}`]);
  assert.equal(await read(), 0x20n);
  await call("anvil_setBalance", [READER, "0x3"]);
  assert.equal(await read(), 0x23n);
  await call("eth_sendTransaction", [{ from: DEV[0].address, to: READER, value: "0x1" }]);
  assert.equal(await read(), 0x24n);
  assert.equal(await call("evm_revert", [id]), true);
  assert.equal(await read(), 0x10n);
});

test("evm_snapshot / evm_revert rewind blocks and state; ids are one-shot", async () => {
  const before = await blockNumber();
  const balance = await call<Hex>("eth_getBalance", [OTHER, "latest"]);
  const id = await call<Hex>("evm_snapshot");
  assert.match(id, /^0x[0-9a-f]+$/);
  await call("anvil_setBalance", [OTHER, "0x999"]);
  await call("eth_sendTransaction", [{ from: DEV[0].address, to: OTHER, value: "0x1" }]);
  await call("evm_mine");
  assert.ok((await blockNumber()) > before);

  assert.equal(await call("evm_revert", [id]), true);
  assert.equal(await blockNumber(), before);
  assert.equal(await call("eth_getBalance", [OTHER, "latest"]), balance);
  assert.equal(await call("evm_revert", [id]), false, "a used id does not revert again");

  // New blocks build on the reverted head.
  await call("evm_mine");
  assert.equal(await blockNumber(), before + 1);
});

test("anvil_impersonateAccount lets eth_sendTransaction send without a key, until stopped", async () => {
  await call("anvil_setBalance", [ADDR, `0x${(10n ** 18n).toString(16)}`]);
  await call("anvil_setCode", [ADDR, "0x"]);
  const notYet = await rpcRaw(node.url, "eth_sendTransaction", [{ from: ADDR, to: OTHER, value: "0x1" }]);
  assert.ok(notYet.error, "no key and not impersonated");

  assert.equal(await call("anvil_impersonateAccount", [ADDR]), null);
  const hash = await call<Hex>("eth_sendTransaction", [{ from: ADDR, to: OTHER, value: "0x1" }]);
  const receipt = await waitFor(
    "receipt",
    async () => (await call<{ status: Hex; from: Hex } | null>("eth_getTransactionReceipt", [hash])) ?? undefined,
  );
  assert.equal(receipt.status, "0x1");
  assert.equal(receipt.from.toLowerCase(), ADDR);

  await call("anvil_stopImpersonatingAccount", [ADDR]);
  const stopped = await rpcRaw(node.url, "eth_sendTransaction", [{ from: ADDR, to: OTHER, value: "0x1" }]);
  assert.ok(stopped.error, "impersonation ended");
  await call("hardhat_impersonateAccount", [ADDR]);
  await call("hardhat_stopImpersonatingAccount", [ADDR]);
});

test("evm_setAutomine(false) leaves transactions pending until evm_mine; automine back on", async () => {
  assert.equal(await call("anvil_getAutomine"), true);
  await call("evm_setAutomine", [false]);
  assert.equal(await call("anvil_getAutomine"), false);
  assert.equal(await call("hardhat_getAutomine"), false);
  const start = await blockNumber();
  const hash = await call<Hex>("eth_sendTransaction", [{ from: DEV[1].address, to: OTHER, value: "0x1" }]);
  assert.equal(await call("eth_getTransactionReceipt", [hash]), null);
  const pending = await call<{ blockNumber: Hex | null }>("eth_getTransactionByHash", [hash]);
  assert.equal(pending.blockNumber, null, "known, not yet in a block");
  assert.equal(await blockNumber(), start);

  await call("evm_mine");
  const block = await latest();
  assert.ok(block.transactions.includes(hash));
  await call("anvil_setAutomine", [true]);
  const mined = await call<Hex>("eth_sendTransaction", [{ from: DEV[1].address, to: OTHER, value: "0x1" }]);
  assert.ok(await call("eth_getTransactionReceipt", [mined]), "automine mines at once again");
});

test("anvil_setIntervalMining mines empty blocks on its own; 0 stops it", async () => {
  const start = await blockNumber();
  await call("anvil_setIntervalMining", [1]);
  await waitFor("two interval blocks", async () => ((await blockNumber()) >= start + 2 ? true : undefined), 5000);
  await call("anvil_setIntervalMining", [0]);
  await call("evm_setAutomine", [true]);
});

test("anvil_dumpState / anvil_loadState round-trip accounts", async () => {
  await call("anvil_setBalance", [OTHER, "0x4242"]);
  await call("anvil_setStorageAt", [OTHER, "0x5", `0x${"07".padStart(64, "0")}`]);
  const dump = await call<Hex>("anvil_dumpState");
  assert.match(dump, /^0x[0-9a-f]+$/);
  await call("anvil_setBalance", [OTHER, "0x1"]);
  await call("anvil_setStorageAt", [OTHER, "0x5", `0x${"0".repeat(64)}`]);
  assert.equal(await call("anvil_loadState", [dump]), true);
  assert.equal(await call("eth_getBalance", [OTHER, "latest"]), "0x4242");
  assert.equal(BigInt(await call<Hex>("eth_getStorageAt", [OTHER, "0x5", "latest"])), 7n);
});

test("anvil_dropTransaction / hardhat_dropTransaction / anvil_dropAllTransactions empty the pool", async () => {
  await call("evm_setAutomine", [false]);
  const tx = { from: DEV[2].address, to: OTHER, value: "0x1" };
  const first = await call<Hex>("eth_sendTransaction", [tx]);
  const second = await call<Hex>("eth_sendTransaction", [tx]);
  assert.equal(await call("anvil_dropTransaction", [first]), first);
  assert.equal(await call("hardhat_dropTransaction", [first]), null, "already dropped");
  assert.equal(await call("eth_getTransactionByHash", [first]), null);
  assert.equal(await call("anvil_dropAllTransactions"), null);
  assert.equal(await call("eth_getTransactionByHash", [second]), null);
  await call("evm_mine");
  assert.deepEqual((await latest()).transactions, [], "neither is mined");
  assert.equal(await call("eth_getTransactionReceipt", [first]), null);
  await call("evm_setAutomine", [true]);
});

test("anvil_setCoinbase / hardhat_setCoinbase: eth_coinbase and the next blocks' miner, who gets the fees", async () => {
  const original = await call<Hex>("eth_coinbase");
  const coinbase = "0x00000000000000000000000000000000c0ffee01";
  assert.equal(await call("anvil_setCoinbase", [coinbase]), null);
  assert.equal((await call<Hex>("eth_coinbase")).toLowerCase(), coinbase);
  const hash = await call<Hex>("eth_sendTransaction", [{ from: DEV[2].address, to: OTHER, value: "0x1" }]);
  // anvil answers before its automined block is in: wait for the receipt.
  const receipt = await waitFor(
    "receipt",
    async () => (await call<{ blockNumber: Hex } | null>("eth_getTransactionReceipt", [hash])) ?? undefined,
  );
  const block = await call<RpcBlock & { miner: Hex }>("eth_getBlockByNumber", [receipt.blockNumber, false]);
  assert.equal(block.miner.toLowerCase(), coinbase);
  assert.ok(BigInt(await call<Hex>("eth_getBalance", [coinbase, "latest"])) > 0n, "the tip lands there");
  assert.equal(await call("hardhat_setCoinbase", [original]), null);
  assert.equal((await call<Hex>("eth_coinbase")).toLowerCase(), original.toLowerCase());
});

test("anvil_setNextBlockBaseFeePerGas and evm_setBlockGasLimit shape the next blocks", async () => {
  assert.equal(await call("anvil_setNextBlockBaseFeePerGas", ["0x5f5e100"]), null);
  assert.equal(await call("evm_setBlockGasLimit", ["0x1000000"]), true);
  await call("evm_mine");
  const block = await call<RpcBlock & { baseFeePerGas: Hex; gasLimit: Hex }>("eth_getBlockByNumber", ["latest", false]);
  assert.equal(block.baseFeePerGas, "0x5f5e100");
  assert.equal(block.gasLimit, "0x1000000");
  assert.equal(await call("hardhat_setNextBlockBaseFeePerGas", ["0x3b9aca00"]), null);
  assert.equal(await call("evm_setBlockGasLimit", ["0x1c9c380"]), true);
  await call("evm_mine");
  const next = await call<RpcBlock & { baseFeePerGas: Hex; gasLimit: Hex }>("eth_getBlockByNumber", ["latest", false]);
  assert.equal(next.baseFeePerGas, "0x3b9aca00");
  assert.equal(next.gasLimit, "0x1c9c380");
});

test("anvil_setBlockTimestampInterval spaces blocks; anvil_removeBlockTimestampInterval is true", async () => {
  assert.equal(await call("anvil_setBlockTimestampInterval", [100]), null);
  await call("evm_mine");
  const a = Number((await latest()).timestamp);
  await call("evm_mine");
  assert.equal(Number((await latest()).timestamp), a + 100);
  assert.equal(await call("anvil_removeBlockTimestampInterval"), true);
});

test("anvil_autoImpersonateAccount: eth_sendTransaction from any address while on", async () => {
  const stranger = "0x00000000000000000000000000000000000b0b01";
  await call("anvil_setBalance", [stranger, `0x${(10n ** 18n).toString(16)}`]);
  const tx = { from: stranger, to: OTHER, value: "0x1" };
  assert.ok((await rpcRaw(node.url, "eth_sendTransaction", [tx])).error, "not impersonated yet");
  assert.equal(await call("anvil_autoImpersonateAccount", [true]), null);
  const hash = await call<Hex>("eth_sendTransaction", [tx]);
  const receipt = await waitFor(
    "receipt",
    async () => (await call<{ status: Hex } | null>("eth_getTransactionReceipt", [hash])) ?? undefined,
  );
  assert.equal(receipt.status, "0x1");
  assert.equal(await call("anvil_autoImpersonateAccount", [false]), null);
  assert.ok((await rpcRaw(node.url, "eth_sendTransaction", [tx])).error, "off again");
});

test("anvil_nodeInfo and anvil_metadata / hardhat_metadata have anvil's fields", async () => {
  const head = await latest();
  const info = await call<Record<string, unknown>>("anvil_nodeInfo");
  for (const key of ["currentBlockNumber", "currentBlockTimestamp", "currentBlockHash", "hardFork", "environment"]) {
    assert.ok(key in info, key);
  }
  assert.equal(info.currentBlockNumber, head.number);
  assert.equal(info.currentBlockHash, head.hash);
  assert.equal(info.currentBlockTimestamp, Number(head.timestamp));
  assert.equal(info.transactionOrder, "fees");
  assert.equal((info.environment as { chainId: number }).chainId, 31337);
  assert.equal((info.forkConfig as { forkUrl: unknown }).forkUrl, null);

  const meta = await call<Record<string, unknown>>("anvil_metadata");
  assert.equal(meta.chainId, 31337);
  assert.equal(meta.latestBlockNumber, Number(head.number));
  assert.equal(meta.latestBlockHash, head.hash);
  assert.equal(meta.forkedNetwork, null);
  assert.match(meta.instanceId as string, /^0x[0-9a-f]{64}$/);
  assert.equal(meta.clientVersion, await call("web3_clientVersion"));
  assert.equal((await call<{ instanceId: Hex }>("hardhat_metadata")).instanceId, meta.instanceId);
});

test("eth_getUncleCount* is 0x0 for a known block; eth_getUncleBy*AndIndex is null", async () => {
  const genesis = await call<RpcBlock>("eth_getBlockByNumber", ["0x0", false]);
  assert.equal(await call("eth_getUncleCountByBlockNumber", ["0x0"]), "0x0");
  assert.equal(await call("eth_getUncleCountByBlockHash", [genesis.hash]), "0x0");
  assert.equal(await call("eth_getUncleByBlockNumberAndIndex", ["0x0", "0x0"]), null);
  assert.equal(await call("eth_getUncleByBlockHashAndIndex", [genesis.hash, "0x0"]), null);
});

test("anvil_reset() goes back to genesis and a new instance id; the chain goes on from there", async () => {
  const { instanceId } = await call<{ instanceId: Hex }>("anvil_metadata");
  assert.ok((await blockNumber()) > 0);
  assert.ok((await rpcRaw(node.url, "anvil_reset", [{ forking: { jsonRpcUrl: "http://127.0.0.1:1" } }])).error);
  assert.equal(await call("anvil_reset"), null);
  // Block 0 again (anvil makes a new one at the current time; Weft returns to the stored genesis).
  assert.equal(await blockNumber(), 0);
  assert.equal(await call("eth_getBalance", [DEV[2].address, "latest"]), `0x${(10_000n * 10n ** 18n).toString(16)}`);
  assert.notEqual((await call<{ instanceId: Hex }>("anvil_metadata")).instanceId, instanceId);
  const hash = await call<Hex>("eth_sendTransaction", [{ from: DEV[2].address, to: OTHER, value: "0x1" }]);
  const receipt = await waitFor(
    "receipt",
    async () => (await call<{ blockNumber: Hex } | null>("eth_getTransactionReceipt", [hash])) ?? undefined,
  );
  assert.equal(receipt.blockNumber, "0x1");
});

test("an unknown dev method is 'method not found'", async () => {
  const r = await rpcRaw(node.url, "evm_frobnicate");
  assert.equal(r.error?.code, -32601);
});

test("--no-mining: transactions wait for evm_mine", async () => {
  const manual = await startTarget({ args: ["--no-mining"] });
  try {
    const hash = await rpc<Hex>(manual.url, "eth_sendTransaction", [{ from: DEV[0].address, to: OTHER, value: "0x1" }]);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await rpc(manual.url, "eth_blockNumber"), "0x0");
    assert.equal(await rpc(manual.url, "eth_getTransactionReceipt", [hash]), null);
    await rpc(manual.url, "evm_mine");
    const receipt = await rpc<{ blockNumber: Hex }>(manual.url, "eth_getTransactionReceipt", [hash]);
    assert.equal(receipt.blockNumber, "0x1");
  } finally {
    await manual.stop();
  }
});

test("--block-time: blocks come on their own, with increasing timestamps", async () => {
  const timed = await startTarget({ args: ["--block-time", "1"] });
  try {
    const hash = await rpc<Hex>(timed.url, "eth_sendTransaction", [{ from: DEV[0].address, to: OTHER, value: "0x1" }]);
    const receipt = await waitFor(
      "the transaction in an interval block",
      async () => (await rpc<{ blockNumber: Hex } | null>(timed.url, "eth_getTransactionReceipt", [hash])) ?? undefined,
    );
    assert.ok(Number(receipt.blockNumber) >= 1);
    await waitFor("two blocks", async () => (Number(await rpc(timed.url, "eth_blockNumber")) >= 2 ? true : undefined));
    const b1 = await rpc<RpcBlock>(timed.url, "eth_getBlockByNumber", ["0x1", false]);
    const b2 = await rpc<RpcBlock>(timed.url, "eth_getBlockByNumber", ["0x2", false]);
    assert.ok(Number(b2.timestamp) > Number(b1.timestamp));
  } finally {
    await timed.stop();
  }
});
