// The anvil dev methods added beside evm_/anvil_ basics (drop, coinbase, base fee, gas limit,
// timestamp interval, auto-impersonation, nodeInfo/metadata, reset) and the uncle methods, each
// called over JSON-RPC on a real node (src/node/node.ts, manual mining) and checked by its effect.
// The same calls against anvil: test/e2e/dev.test.ts (WEFT_E2E_TARGET=anvil).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { defaultConfig } from "../../node/config.js";
import { startNode, type WeftNode } from "../../node/node.js";

let node: WeftNode;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "weft-anvil-dev-"));
  node = await startNode({
    ...defaultConfig(),
    port: 0,
    accounts: 2,
    datadir: dir,
    silent: true,
    mining: { kind: "manual" },
    recoverThreads: 0,
  });
});
after(async () => {
  await node?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface RpcReply {
  result?: unknown;
  error?: { code: number; message: string };
}

async function raw(method: string, params: unknown[] = []): Promise<RpcReply> {
  const res = await fetch(node.server.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  return (await res.json()) as RpcReply;
}

async function call<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
  const reply = await raw(method, params);
  if (reply.error !== undefined) throw new Error(`${method}: ${reply.error.code} ${reply.error.message}`);
  return reply.result as T;
}

async function invalid(method: string, params: unknown[], pattern: RegExp): Promise<void> {
  const reply = await raw(method, params);
  assert.equal(reply.error?.code, -32602, `${method} ${JSON.stringify(params)}: ${JSON.stringify(reply)}`);
  assert.match(reply.error!.message, pattern);
}

interface RpcBlock {
  number: string;
  hash: string;
  miner: string;
  timestamp: string;
  gasLimit: string;
  baseFeePerGas: string;
  transactions: string[];
}

const ADDR = "0x1000000000000000000000000000000000000001";
const COINBASE = "0x00000000000000000000000000000000c0ffee01";
const from = () => `0x${node.accounts[0]!.address.toString(16).padStart(40, "0")}`;
const latest = () => call<RpcBlock>("eth_getBlockByNumber", ["latest", false]);
const mine = async () => {
  await call("evm_mine");
  return await latest();
};
const send = (tx: Record<string, unknown> = {}) =>
  call<string>("eth_sendTransaction", [{ from: from(), to: ADDR, value: "0x1", ...tx }]);

test("anvil_dropTransaction removes a pooled transaction (hash, then null); anvil_dropAllTransactions empties the pool", async () => {
  const first = await send();
  const second = await send();
  assert.equal(await call("anvil_dropTransaction", [first]), first);
  assert.equal(await call("anvil_dropTransaction", [first]), null, "already gone");
  assert.equal(await call("hardhat_dropTransaction", [`0x${"12".repeat(32)}`]), null, "unknown");
  assert.equal(await call("eth_getTransactionByHash", [first]), null);
  // The second waits for the dropped nonce: the block takes neither.
  assert.equal((await mine()).transactions.length, 0);
  assert.equal(await call("eth_getTransactionReceipt", [first]), null);

  assert.notEqual(await call("eth_getTransactionByHash", [second]), null, "still queued");
  const third = await send({ nonce: "0x0" });
  assert.equal(await call("anvil_dropAllTransactions"), null);
  assert.equal(await call("eth_getTransactionByHash", [second]), null);
  assert.equal(await call("eth_getTransactionByHash", [third]), null);
  assert.equal((await mine()).transactions.length, 0);
  await invalid("anvil_dropTransaction", ["0x12"], /transaction hash/);
});

test("anvil_setCoinbase: eth_coinbase and later blocks' miner change, and the fees land there", async () => {
  assert.equal(await call("anvil_setCoinbase", [COINBASE]), null);
  assert.equal(await call("eth_coinbase"), COINBASE);
  const hash = await send({ maxPriorityFeePerGas: "0x3b9aca00" });
  const block = await mine();
  assert.equal(block.miner, COINBASE);
  assert.deepEqual(block.transactions, [hash]);
  const receipt = await call<{ gasUsed: string; effectiveGasPrice: string }>("eth_getTransactionReceipt", [hash]);
  const tip = BigInt(receipt.effectiveGasPrice) - BigInt(block.baseFeePerGas);
  assert.equal(BigInt(await call<string>("eth_getBalance", [COINBASE, "latest"])), BigInt(receipt.gasUsed) * tip);
  assert.equal((await mine()).miner, COINBASE, "every later block");

  const other = "0x00000000000000000000000000000000c0ffee02";
  assert.equal(await call("hardhat_setCoinbase", [other]), null);
  assert.equal(await call("eth_coinbase"), other);
  assert.equal((await mine()).miner, other);
  await invalid("anvil_setCoinbase", ["0x12"], /address/);
});

test("anvil_setNextBlockBaseFeePerGas: the next block's base fee; the one after follows EIP-1559 from it", async () => {
  assert.equal(await call("anvil_setNextBlockBaseFeePerGas", ["0xf4240"]), null);
  const info = await call<{ environment: { baseFee: string } }>("anvil_nodeInfo");
  assert.equal(info.environment.baseFee, "0xf4240", "the pending environment sees it");
  assert.equal((await mine()).baseFeePerGas, "0xf4240");
  // An empty block: down by 1/8.
  assert.equal((await mine()).baseFeePerGas, `0x${(1_000_000n - 1_000_000n / 8n).toString(16)}`);

  // A transaction whose fee cap is below the default base fee but above the set one is taken and mined at it.
  assert.equal(await call("hardhat_setNextBlockBaseFeePerGas", ["0x64"]), null);
  const hash = await send({ maxFeePerGas: "0x3e8", maxPriorityFeePerGas: "0x1" });
  const block = await mine();
  assert.equal(block.baseFeePerGas, "0x64");
  assert.deepEqual(block.transactions, [hash]);
  await invalid("anvil_setNextBlockBaseFeePerGas", [`0x1${"0".repeat(16)}`], /base fee/);
});

test("evm_setBlockGasLimit: true, and every later block carries the limit", async () => {
  assert.equal(await call("evm_setBlockGasLimit", ["0x1000000"]), true);
  assert.equal((await call<{ environment: { gasLimit: string } }>("anvil_nodeInfo")).environment.gasLimit, "0x1000000");
  assert.equal((await mine()).gasLimit, "0x1000000");
  assert.equal((await mine()).gasLimit, "0x1000000");
  // A transaction above the limit is turned away by the pool.
  const over = await raw("eth_sendTransaction", [{ from: from(), to: ADDR, gas: "0x1000001" }]);
  assert.equal(over.error?.code, -32000, JSON.stringify(over));
  assert.equal(await call("evm_setBlockGasLimit", ["0x1c9c380"]), true);
  assert.equal((await mine()).gasLimit, "0x1c9c380");
  await invalid("evm_setBlockGasLimit", [`0x1${"0".repeat(16)}`], /gas limit/);
});

test("anvil_setBlockTimestampInterval spaces blocks by the interval; anvil_removeBlockTimestampInterval stops it", async () => {
  assert.equal(await call("anvil_setBlockTimestampInterval", [100]), null);
  const start = BigInt((await latest()).timestamp);
  assert.equal(BigInt((await mine()).timestamp), start + 100n);
  assert.equal(BigInt((await mine()).timestamp), start + 200n);
  // evm_setNextBlockTimestamp still wins for one block; the interval counts on from it.
  await call("evm_setNextBlockTimestamp", [Number(start + 1000n)]);
  assert.equal(BigInt((await mine()).timestamp), start + 1000n);
  assert.equal(BigInt((await mine()).timestamp), start + 1100n);
  assert.equal(await call("anvil_removeBlockTimestampInterval"), true);
  // Back to the clock, which is behind the head here: one second after it.
  assert.equal(BigInt((await mine()).timestamp), start + 1101n);
  await invalid("anvil_setBlockTimestampInterval", [0], /at least 1 second/);
});

test("anvil_autoImpersonateAccount: eth_sendTransaction from any address while on", async () => {
  const stranger = "0x00000000000000000000000000000000000b0b01";
  await call("anvil_setBalance", [stranger, "0xde0b6b3a7640000"]);
  const tx = { from: stranger, to: ADDR, value: "0x2" };
  assert.equal((await raw("eth_sendTransaction", [tx])).error?.code, -32000, "no key, not impersonated");
  assert.equal(await call("anvil_autoImpersonateAccount", [true]), null);
  const hash = await call<string>("eth_sendTransaction", [tx]);
  await mine();
  const receipt = await call<{ status: string; from: string }>("eth_getTransactionReceipt", [hash]);
  assert.equal(receipt.status, "0x1");
  assert.equal(receipt.from, stranger);
  // The node's own accounts still sign.
  assert.match(await send(), /^0x[0-9a-f]{64}$/);
  await mine();
  assert.equal(await call("anvil_autoImpersonateAccount", [false]), null);
  assert.equal((await raw("eth_sendTransaction", [tx])).error?.code, -32000, "off again");
  await invalid("anvil_autoImpersonateAccount", ["yes"], /enabled/);
});

test("anvil_nodeInfo and anvil_metadata / hardhat_metadata report the node's values in anvil's shape", async () => {
  const head = await latest();
  const info = await call<Record<string, unknown>>("anvil_nodeInfo");
  assert.deepEqual(Object.keys(info).sort(), [
    "currentBlockHash",
    "currentBlockNumber",
    "currentBlockTimestamp",
    "environment",
    "forkConfig",
    "hardFork",
    "miningMode",
    "transactionOrder",
  ]);
  assert.equal(info.currentBlockNumber, head.number);
  assert.equal(info.currentBlockHash, head.hash);
  assert.equal(info.currentBlockTimestamp, Number(head.timestamp));
  assert.equal(info.hardFork, "Cancun");
  assert.equal(info.transactionOrder, "fees");
  assert.equal(info.miningMode, "manual");
  assert.deepEqual(info.forkConfig, { forkUrl: null, forkBlockNumber: null, forkRetryBackoff: null });
  const env = info.environment as Record<string, unknown>;
  assert.equal(env.chainId, 31337);
  assert.equal(env.gasLimit, "0x1c9c380");
  assert.equal(env.gasPrice, await call("eth_gasPrice"));

  const snapshot = await call<string>("evm_snapshot");
  const meta = await call<Record<string, unknown>>("anvil_metadata");
  assert.equal(meta.clientVersion, await call("web3_clientVersion"));
  assert.equal(meta.chainId, 31337);
  assert.match(meta.instanceId as string, /^0x[0-9a-f]{64}$/);
  assert.equal(meta.latestBlockNumber, Number(head.number));
  assert.equal(meta.latestBlockHash, head.hash);
  assert.equal(meta.forkedNetwork, null);
  assert.deepEqual((meta.snapshots as Record<string, unknown>)[snapshot], [Number(head.number), head.hash]);
  const again = await call<Record<string, unknown>>("hardhat_metadata");
  assert.equal(again.instanceId, meta.instanceId, "stable until a reset");
  assert.equal(await call("evm_revert", [snapshot]), true);
  assert.deepEqual((await call<Record<string, unknown>>("anvil_metadata")).snapshots, {});
});

test("eth_getUncleCount*: 0x0 for a known block, null for an unknown one; eth_getUncleBy*AndIndex: null", async () => {
  const genesis = await call<RpcBlock>("eth_getBlockByNumber", ["0x0", false]);
  const unknown = `0x${"ab".repeat(32)}`;
  assert.equal(await call("eth_getUncleCountByBlockNumber", ["0x0"]), "0x0");
  assert.equal(await call("eth_getUncleCountByBlockNumber", ["latest"]), "0x0");
  assert.equal(await call("eth_getUncleCountByBlockHash", [genesis.hash]), "0x0");
  assert.equal(await call("eth_getUncleCountByBlockNumber", ["0xffffff"]), null);
  assert.equal(await call("eth_getUncleCountByBlockHash", [unknown]), null);
  assert.equal(await call("eth_getUncleByBlockNumberAndIndex", ["0x0", "0x0"]), null);
  assert.equal(await call("eth_getUncleByBlockHashAndIndex", [genesis.hash, "0x0"]), null);
  await invalid("eth_getUncleByBlockNumberAndIndex", ["0x0"], /expected 2 params/);
  await invalid("eth_getUncleCountByBlockHash", ["0x12"], /blockHash/);
});

test("anvil_reset: back to genesis (blocks, state, pool, snapshots, filters dropped); forking needs --fork-url", async () => {
  const genesis = await call<RpcBlock>("eth_getBlockByNumber", ["0x0", false]);
  const { instanceId } = await call<{ instanceId: string }>("anvil_metadata");
  await call("anvil_setBalance", [ADDR, "0x1234"]);
  await mine();
  const snapshot = await call<string>("evm_snapshot");
  const filter = await call<string>("eth_newBlockFilter");
  const pooled = await send();
  assert.ok(Number(await call<string>("eth_blockNumber")) > 0);

  const refork = await raw("anvil_reset", [{ forking: { jsonRpcUrl: "http://127.0.0.1:1" } }]);
  assert.equal(refork.error?.code, -32000);
  assert.match(refork.error!.message, /^anvil_reset: forking needs a node started with --fork-url$/);
  await invalid("anvil_reset", [{ forking: { jsonRpcUrl: "ftp://x" } }], /jsonRpcUrl/);
  await invalid("anvil_reset", [{ forking: { blockNumber: "latest" } }], /forking.blockNumber/);
  await invalid("anvil_reset", [{ blockNumber: 5 }], /unsupported option/);
  assert.equal(Number(await call<string>("eth_blockNumber")) > 0, true, "a refused reset changes nothing");

  assert.equal(await call("anvil_reset"), null);
  assert.equal(await call("eth_blockNumber"), "0x0");
  assert.equal((await latest()).hash, genesis.hash);
  assert.equal(await call("eth_getBalance", [ADDR, "latest"]), "0x0");
  assert.equal(await call("eth_getBalance", [from(), "latest"]), `0x${(10_000n * 10n ** 18n).toString(16)}`);
  assert.equal(await call("eth_getTransactionCount", [from(), "latest"]), "0x0");
  assert.equal(await call("eth_getTransactionByHash", [pooled]), null, "the pool is empty");
  assert.equal(await call("evm_revert", [snapshot]), false, "snapshots are gone");
  assert.equal((await raw("eth_getFilterChanges", [filter])).error !== undefined, true, "filters are gone");
  assert.notEqual((await call<{ instanceId: string }>("anvil_metadata")).instanceId, instanceId);

  // The chain goes on from genesis.
  const hash = await send();
  const block = await mine();
  assert.equal(block.number, "0x1");
  assert.deepEqual(block.transactions, [hash]);
  assert.equal(await call("hardhat_reset", [{}]), null);
  assert.equal(await call("eth_blockNumber"), "0x0");
});
