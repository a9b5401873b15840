// eth_getLogs and the installed filters (eth_new*Filter, eth_getFilterChanges, eth_getFilterLogs,
// eth_uninstallFilter) through viem over HTTP, on a real chain; the range and result limits.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  type Address,
  createPublicClient,
  createWalletClient,
  encodeEventTopics,
  type Hex,
  http,
  type PublicClient,
  parseAbi,
  type WalletClient,
} from "viem";
import { foundry } from "viem/chains";
import { addressToHex } from "../../primitives/hex.js";
import { ACCOUNTS, BOX_ABI, boxBytecode, rpc, rpcError, startTestNode, type TestNode } from "../testkit.js";

const abi = parseAbi(BOX_ABI);
const [A, B] = ACCOUNTS.map((a) => addressToHex(a.address) as Address) as [Address, Address];

let node: TestNode;
let client: PublicClient;
let wallet: WalletClient;
let box: Address;
let other: Address;

async function deploy(): Promise<Address> {
  const hash = await wallet.deployContract({
    abi,
    bytecode: await boxBytecode(),
    args: [1n],
    account: A,
    chain: foundry,
  });
  return (await client.getTransactionReceipt({ hash })).contractAddress!;
}

async function store(contract: Address, value: bigint, from: Address = A): Promise<Hex> {
  const hash = await wallet.writeContract({
    address: contract,
    abi,
    functionName: "store",
    args: [value],
    account: from,
    chain: foundry,
  });
  return hash;
}

before(async () => {
  node = await startTestNode({ limits: { maxLogsBlockRange: 50n, maxLogsResults: 6 } });
  client = createPublicClient({ chain: foundry, transport: http(node.url) });
  wallet = createWalletClient({ chain: foundry, transport: http(node.url) });
  box = await deploy();
  other = await deploy();
  await store(box, 10n);
  await store(other, 11n);
  await store(box, 12n, B);
});
after(() => node.close());

describe("eth_getLogs", () => {
  it("filters by address, by indexed topic, and by block hash", async () => {
    const all = await client.getLogs({ fromBlock: 0n, toBlock: "latest" });
    assert.equal(all.length, 3);
    const fromBox = await client.getContractEvents({ address: box, abi, eventName: "Stored", fromBlock: 0n });
    assert.deepEqual(
      fromBox.map((l) => l.args.value),
      [10n, 12n],
    );
    const byB = await client.getContractEvents({ abi, eventName: "Stored", args: { who: B }, fromBlock: 0n });
    assert.equal(byB.length, 1);
    assert.equal(byB[0]!.args.value, 12n);
    const both = await client.getLogs({ address: [box, other], fromBlock: 0n });
    assert.equal(both.length, 3);
    const one = await client.getLogs({ blockHash: all[1]!.blockHash! });
    assert.equal(one.length, 1);
    assert.equal(one[0]!.address.toLowerCase(), other.toLowerCase());
    assert.equal(one[0]!.logIndex, 0);
  });

  it("topic alternatives and wildcards; more topics than a log has match nothing", async () => {
    const [stored] = encodeEventTopics({ abi, eventName: "Stored" });
    const aTopic = `0x${A.slice(2).padStart(64, "0")}` as Hex;
    const bTopic = `0x${B.slice(2).padStart(64, "0")}` as Hex;
    const either = (await rpc(node.url, "eth_getLogs", [
      { fromBlock: "0x0", topics: [stored, [aTopic, bTopic]] },
    ])) as unknown[];
    assert.equal(either.length, 3);
    const wildcard = (await rpc(node.url, "eth_getLogs", [{ fromBlock: "0x0", topics: [null, bTopic] }])) as unknown[];
    assert.equal(wildcard.length, 1);
    const tooMany = (await rpc(node.url, "eth_getLogs", [
      { fromBlock: "0x0", topics: [null, null, null] },
    ])) as unknown[];
    assert.equal(tooMany.length, 0);
  });

  it("limits: block range and result count; bad ranges are errors", async () => {
    const range = await rpcError(node.url, "eth_getLogs", [{ fromBlock: "0x0", toBlock: "0x64" }]);
    assert.equal(range.code, -32005);
    assert.match(range.message, /exceeds the limit of 50/);
    for (let i = 0; i < 4; i++) await store(box, 100n + BigInt(i));
    const many = await rpcError(node.url, "eth_getLogs", [{ fromBlock: "0x0" }]);
    assert.equal(many.code, -32005);
    assert.match(many.message, /more than 6 results/);
    const backwards = await rpcError(node.url, "eth_getLogs", [{ fromBlock: "0x3", toBlock: "0x2" }]);
    assert.equal(backwards.code, -32602);
    const mixed = await rpcError(node.url, "eth_getLogs", [{ fromBlock: "0x0", blockHash: `0x${"11".repeat(32)}` }]);
    assert.equal(mixed.code, -32602);
    const head = await client.getBlockNumber({ cacheTime: 0 });
    assert.deepEqual(await rpc(node.url, "eth_getLogs", [{ fromBlock: `0x${(head + 1n).toString(16)}` }]), []);
  });
});

describe("installed filters", () => {
  it("a block filter returns the hashes of blocks mined since the last poll", async () => {
    const filter = await client.createBlockFilter();
    assert.deepEqual(await client.getFilterChanges({ filter }), []);
    await store(box, 1n);
    await store(box, 2n);
    const hashes = await client.getFilterChanges({ filter });
    assert.equal(hashes.length, 2);
    assert.equal(hashes[1], (await client.getBlock({ blockTag: "latest" })).hash);
    assert.deepEqual(await client.getFilterChanges({ filter }), []);
    assert.equal(await client.uninstallFilter({ filter }), true);
    assert.equal(await client.uninstallFilter({ filter }), false);
    const gone = await rpcError(node.url, "eth_getFilterChanges", [filter.id]);
    assert.match(gone.message, /filter not found/);
  });

  it("a log filter returns new matching logs; getFilterLogs its whole range", async () => {
    const filter = await client.createContractEventFilter({ address: other, abi, eventName: "Stored", fromBlock: 0n });
    await store(box, 3n);
    await store(other, 4n);
    const changes = await client.getFilterChanges({ filter });
    assert.equal(changes.length, 1);
    assert.equal(changes[0]!.args.value, 4n);
    const logs = await client.getFilterLogs({ filter });
    assert.deepEqual(
      logs.map((l) => l.args.value),
      [11n, 4n],
    );
  });

  it("a pending-transaction filter returns hashes of transactions pooled since", async () => {
    const filter = await client.createPendingTransactionFilter();
    const hash = await store(box, 5n);
    assert.deepEqual(await client.getFilterChanges({ filter }), [hash]);
    const notLogs = await rpcError(node.url, "eth_getFilterLogs", [filter.id]);
    assert.match(notLogs.message, /not a log filter/);
  });

  it("a filter not polled within the timeout is removed", async () => {
    const store2 = node.ctx.filters;
    const id = store2.install("blocks");
    node.ctx.limits.filterTimeoutSeconds = 0.001;
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(store2.get(id), undefined);
    node.ctx.limits.filterTimeoutSeconds = 300;
  });
});
