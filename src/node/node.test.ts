// The assembled node on a free port over a temp data folder: JSON-RPC answers, dev methods reach the
// miner, a restart resumes the chain from its stored genesis, contradicting flags are refused.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { signTransaction } from "../chain/transaction.js";
import { bytesToHex } from "../primitives/hex.js";
import { banner, checksumAddress, formatEther } from "./banner.js";
import { defaultConfig, type NodeConfig } from "./config.js";
import { GENESIS_FILE } from "./genesis-file.js";
import { startNode } from "./node.js";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "weft-node-"));
  dirs.push(d);
  return d;
}

function testConfig(over: Partial<NodeConfig> = {}): NodeConfig {
  return { ...defaultConfig(), port: 0, accounts: 3, datadir: tempDir(), silent: true, ...over };
}

async function call(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

test("a node serves JSON-RPC on its port; evm_mine reaches the miner; close() ends it", async () => {
  const node = await startNode(testConfig({ timestamp: 1_700_000_000n }));
  try {
    assert.ok(node.server.port > 0);
    assert.equal(node.resumed, false);
    assert.equal(node.accounts.length, 3);
    assert.equal(checksumAddress(node.accounts[0]!.address), "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    assert.equal(await call(node.server.url, "eth_chainId"), "0x7a69");
    assert.equal(await call(node.server.url, "evm_mine"), "0x0");
    assert.equal(await call(node.server.url, "eth_blockNumber"), "0x1");
    assert.equal(node.chain.blockByNumber(0n)!.header.timestamp, 1_700_000_000n);
    assert.equal(node.chain.state().account(node.accounts[2]!.address)?.balance, 10_000n * 10n ** 18n);
    const metrics = (await call(node.server.url, "weft_metrics")) as Record<string, number>;
    assert.equal(metrics.blocks, 1);
    assert.equal(metrics.txs, 0);
    for (const key of ["executeMs", "stateRootMs", "commitMs", "recoverMs", "rssBytes"]) {
      assert.equal(typeof metrics[key], "number", key);
    }
  } finally {
    await node.close();
  }
  await assert.rejects(fetch(node.server.url, { method: "POST", body: "{}" }), "no longer listening");
});

test("weft_metrics: the dispatcher's, the pool's admission and the main thread's time grow with the work; the trie log", async () => {
  const node = await startNode(testConfig());
  try {
    const before = (await call(node.server.url, "weft_metrics")) as Record<string, number>;
    const sender = node.accounts[0]!;
    const tx = signTransaction(
      {
        type: 2,
        chainId: 31337n,
        nonce: 0n,
        gasLimit: 21_000n,
        maxFeePerGas: 10n ** 10n,
        maxPriorityFeePerGas: 1n,
        to: node.accounts[1]!.address,
        value: 1n,
        data: new Uint8Array(0),
        accessList: [],
      },
      sender.privateKey,
    );
    await call(node.server.url, "eth_sendRawTransaction", [bytesToHex(tx.raw)]);
    const after = (await call(node.server.url, "weft_metrics")) as Record<string, number>;
    assert.equal(after.txs, 1);
    for (const key of ["ingestMs", "admitMs", "mainActiveMs"]) {
      assert.ok(after[key]! > before[key]!, `${key}: ${before[key]} -> ${after[key]}`);
    }
    assert.ok(after.mainIdleMs! >= before.mainIdleMs!, "idle time only grows");
    // The block's trie nodes went to the node log (the path tables are written every 16 commits).
    assert.equal(after.stateTrieLogCommits, before.stateTrieLogCommits! + 1);
    assert.ok(after.stateTrieLogPaths! > before.stateTrieLogPaths!, "the block's paths are logged");
  } finally {
    await node.close();
  }
});

test("a restart on the same data folder resumes the chain; contradicting flags are refused", async () => {
  const datadir = tempDir();
  const first = await startNode(testConfig({ datadir }));
  await first.miner.mine({ blocks: 2 });
  const head = first.chain.head().hash;
  const genesis = first.chain.blockByNumber(0n)!.hash;
  await first.close();
  assert.ok(existsSync(join(datadir, GENESIS_FILE)));

  // Seconds later "now" differs, but the stored genesis (with its timestamp) is what the chain resumes.
  const second = await startNode(testConfig({ datadir }), { now: () => 4_000_000_000n });
  try {
    assert.equal(second.resumed, true);
    assert.equal(second.chain.head().hash, head);
    assert.equal(second.chain.blockByNumber(0n)!.hash, genesis);
  } finally {
    await second.close();
  }

  for (const [over, pattern] of [
    [{ chainId: 5n, given: new Set(["chain-id"]) }, /chain id|--chain-id 31337, not 5/],
    [{ gasLimit: 40_000_000n, given: new Set(["gas-limit"]) }, /--gas-limit 30000000, not 40000000/],
    [{ balance: 1n, given: new Set(["balance"]) }, /--balance/],
  ] as [Partial<NodeConfig>, RegExp][]) {
    await assert.rejects(startNode(testConfig({ datadir, ...over })), pattern);
  }
});

test("--genesis: the file's chain id and alloc, dev accounts it does not name funded with --balance", async () => {
  const dir = tempDir();
  const file = join(dir, "genesis.in.json");
  writeFileSync(
    file,
    JSON.stringify({
      config: { chainId: 1337 },
      gasLimit: "0x2000000",
      timestamp: "0x10",
      alloc: { "0x1000000000000000000000000000000000000001": { balance: "0x5", code: "0x00" } },
    }),
  );
  const node = await startNode(testConfig({ genesisFile: file, balance: 42n }));
  try {
    assert.equal(node.chain.chainId, 1337n);
    assert.equal(node.chain.head().header.gasLimit, 0x2000000n);
    assert.equal(node.chain.head().header.timestamp, 16n);
    assert.equal(node.chain.state().account(0x1000000000000000000000000000000000000001n)?.balance, 5n);
    assert.equal(node.chain.state().account(node.accounts[0]!.address)?.balance, 42n);
  } finally {
    await node.close();
  }
});

test("a port already taken is an error, and the chain is closed again (the folder stays usable)", async () => {
  const taken = await startNode(testConfig());
  const datadir = tempDir();
  try {
    await assert.rejects(startNode(testConfig({ datadir, port: taken.server.port })), /EADDRINUSE/);
  } finally {
    await taken.close();
  }
  const reopened = await startNode(testConfig({ datadir }));
  await reopened.close();
});

test("banner: anvil's sections, checksummed accounts, balances in ether", () => {
  assert.equal(formatEther(10_000n * 10n ** 18n), "10000.000000000000000000");
  assert.equal(formatEther(1n), "0.000000000000000001");
  const text = banner({
    version: "weft/v0",
    accounts: [
      { address: 0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266n, privateKey: new Uint8Array(32), balance: 10n ** 18n },
    ],
    mnemonic: "m",
    derivationPath: "p",
    chainId: 31337n,
    baseFee: 1n,
    gasLimit: 2n,
    genesisTimestamp: 3n,
    datadir: "d",
    temporary: false,
    resumedAt: 7n,
    loadedState: undefined,
    dumpState: "s.json",
    mining: "automine",
  });
  assert.match(
    text,
    /Available Accounts\n==================\n\n\(0\) 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266 \(1\.0+ ETH\)/,
  );
  assert.match(text, /Private Keys\n==================\n\n\(0\) 0x0{64}/);
  assert.match(text, /Chain ID\n==================\n\n31337/);
  assert.match(text, /d \(resumed at block 7\)/);
  assert.match(text, /State File\n==================\n\nwritten to s\.json at exit\n/);
  assert.doesNotMatch(text, /loaded from/);
  const fresh = (temporary: boolean) =>
    banner({
      version: "v",
      accounts: [],
      mnemonic: "m",
      derivationPath: "p",
      chainId: 1n,
      baseFee: 1n,
      gasLimit: 1n,
      genesisTimestamp: 1n,
      datadir: "/tmp/x",
      temporary,
      resumedAt: undefined,
      loadedState: "in.json",
      dumpState: undefined,
      mining: "automine",
    });
  assert.match(fresh(true), /\/tmp\/x \(fresh chain, removed at exit; --datadir <path> keeps one\)/);
  assert.match(fresh(false), /\/tmp\/x \(new chain, kept\)/);
  assert.match(fresh(true), /State File\n==================\n\nloaded from in\.json\n/);
});
