// WebSocket subscriptions: eth_subscribe newHeads / logs / newPendingTransactions on the node's one
// port, raw and through viem's webSocket transport.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
  type PublicClient,
  parseAbi,
  parseEther,
  webSocket,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { DEV, rpc, startTarget, TARGET, type Target } from "./harness.js";
import { TOKEN_ABI, TRANSFER_TOPIC, tokenBytecode } from "./token.js";
import { WsClient } from "./ws-client.js";

const abi = parseAbi(TOKEN_ABI);

let node: Target;
let client: PublicClient;
let ws: WsClient;

before(async () => {
  node = await startTarget();
  client = createPublicClient({ chain: foundry, transport: http(node.url) });
  ws = await WsClient.connect(node.wsUrl);
});
after(async () => {
  await ws?.close();
  await node?.stop();
});

const wallet = () =>
  createWalletClient({ account: privateKeyToAccount(DEV[0].key), chain: foundry, transport: http(node.url) });

async function deployToken(): Promise<Hex> {
  const hash = await wallet().deployContract({ abi, bytecode: await tokenBytecode(), args: [10n ** 24n] });
  return (await client.waitForTransactionReceipt({ hash, pollingInterval: 50 })).contractAddress!;
}

interface Head {
  number: Hex;
  hash: Hex;
  parentHash: Hex;
  stateRoot: Hex;
  timestamp: Hex;
  baseFeePerGas: Hex;
  transactionsRoot: Hex;
}

test("newHeads delivers each new block's header, equal to eth_getBlockByNumber", async () => {
  const sub = await ws.call<string>("eth_subscribe", ["newHeads"]);
  assert.match(sub, /^0x[0-9a-f]+$/i);
  const hash = await wallet().sendTransaction({ to: DEV[1].address, value: 1n });
  const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  const head = await ws.next<Head>(sub);
  assert.equal(BigInt(head.number), receipt.blockNumber);
  assert.equal(head.hash, receipt.blockHash);
  const block = await rpc<Head>(node.url, "eth_getBlockByNumber", [head.number, false]);
  for (const key of ["hash", "parentHash", "stateRoot", "timestamp", "baseFeePerGas", "transactionsRoot"] as const) {
    assert.equal(head[key], block[key], key);
  }
  // A second block follows the first.
  await wallet().sendTransaction({ to: DEV[1].address, value: 2n });
  const second = await ws.next<Head>(sub);
  assert.equal(BigInt(second.number), BigInt(head.number) + 1n);
  assert.equal(second.parentHash, head.hash);
  assert.equal(await ws.call("eth_unsubscribe", [sub]), true);
  assert.equal(await ws.call("eth_unsubscribe", [sub]), false, "a subscription ends once");
});

test("logs delivers only matching logs, with their block and transaction", async () => {
  const tokenA = await deployToken();
  const tokenB = await deployToken();
  const sub = await ws.call<string>("eth_subscribe", ["logs", { address: tokenA, topics: [TRANSFER_TOPIC] }]);
  const w = wallet();
  // B's transfer comes first and must not be delivered.
  await client.waitForTransactionReceipt({
    hash: await w.writeContract({ address: tokenB, abi, functionName: "transfer", args: [DEV[2].address, 5n] }),
    pollingInterval: 50,
  });
  const hash = await w.writeContract({ address: tokenA, abi, functionName: "transfer", args: [DEV[1].address, 42n] });
  const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  const log = await ws.next<{
    address: Hex;
    topics: Hex[];
    data: Hex;
    blockNumber: Hex;
    blockHash: Hex;
    transactionHash: Hex;
    logIndex: Hex;
    removed: boolean;
  }>(sub);
  assert.equal(log.address.toLowerCase(), tokenA.toLowerCase());
  assert.equal(log.topics[0], TRANSFER_TOPIC);
  assert.equal(BigInt(log.topics[1]), BigInt(DEV[0].address));
  assert.equal(BigInt(log.topics[2]), BigInt(DEV[1].address));
  assert.equal(BigInt(log.data), 42n);
  assert.equal(log.transactionHash, hash);
  assert.equal(log.blockHash, receipt.blockHash);
  assert.equal(BigInt(log.blockNumber), receipt.blockNumber);
  assert.equal(BigInt(log.logIndex), 0n);
  assert.equal(log.removed, false);
  assert.equal(ws.pending(sub), 0, "nothing else matched");
  assert.equal(await ws.call("eth_unsubscribe", [sub]), true);
});

test("evm_revert: logs subscribers get the dropped logs again with removed: true, then the new block's", {
  skip:
    TARGET === "anvil"
      ? "anvil (1.7) sends nothing to logs subscribers when evm_revert drops blocks; Weft sends them again with removed: true, as geth does on a reorg"
      : false,
}, async () => {
  const token = await deployToken();
  const logsSub = await ws.call<string>("eth_subscribe", ["logs", { address: token }]);
  const headsSub = await ws.call<string>("eth_subscribe", ["newHeads"]);
  const snapshot = await rpc<Hex>(node.url, "evm_snapshot");
  const transfer = async (to: Hex, value: bigint) => {
    const hash = await wallet().writeContract({ address: token, abi, functionName: "transfer", args: [to, value] });
    return await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  };
  // Automine: two blocks, one transfer each.
  await transfer(DEV[1].address, 5n);
  await transfer(DEV[2].address, 6n);
  type Log = { data: Hex; blockHash: Hex; blockNumber: Hex; removed: boolean };
  const dropped = [await ws.next<Log>(logsSub), await ws.next<Log>(logsSub)];
  await ws.next(headsSub);
  await ws.next(headsSub);

  assert.equal(await rpc(node.url, "evm_revert", [snapshot]), true);
  const receipt = await transfer(DEV[3].address, 7n);
  // The dropped logs come back as they were sent, removed, oldest block first (geth's order).
  assert.deepEqual(await ws.next<Log>(logsSub), { ...dropped[0], removed: true });
  assert.deepEqual(await ws.next<Log>(logsSub), { ...dropped[1], removed: true });
  const fresh = await ws.next<Log>(logsSub);
  assert.deepEqual([BigInt(fresh.data), fresh.blockHash, fresh.removed], [7n, receipt.blockHash, false]);
  // No head for the dropped blocks: the next head is the new block, at the first dropped block's number.
  const head = await ws.next<Head>(headsSub);
  assert.equal(head.hash, receipt.blockHash);
  assert.equal(head.number, dropped[0]!.blockNumber);
  // eth_getLogs over the range sees only the new block's transfer.
  const logs = await rpc<Log[]>(node.url, "eth_getLogs", [
    { address: token, fromBlock: dropped[0]!.blockNumber, toBlock: "latest" },
  ]);
  assert.deepEqual(
    logs.map((l) => [BigInt(l.data), l.removed]),
    [[7n, false]],
  );
  assert.equal(ws.pending(logsSub) + ws.pending(headsSub), 0, "nothing else");
  assert.equal(await ws.call("eth_unsubscribe", [logsSub]), true);
  assert.equal(await ws.call("eth_unsubscribe", [headsSub]), true);
});

test("newPendingTransactions delivers the hash of an accepted transaction", async () => {
  const sub = await ws.call<string>("eth_subscribe", ["newPendingTransactions"]);
  const hash = await wallet().sendTransaction({ to: DEV[3].address, value: parseEther("0.001") });
  assert.equal(await ws.next<Hex>(sub), hash);
  assert.equal(await ws.call("eth_unsubscribe", [sub]), true);
});

test("an unknown subscription kind is an error", async () => {
  await assert.rejects(ws.call("eth_subscribe", ["frobnicate"]), /-32602|invalid|unknown|unsupported|variant/i);
});

test("viem's webSocket transport watches blocks and contract events", async () => {
  const wsClient = createPublicClient({ chain: foundry, transport: webSocket(node.wsUrl) });
  const token = await deployToken();
  const blocks: bigint[] = [];
  const transfers: { to?: string; value?: bigint }[] = [];
  let notify: () => void = () => {};
  const changed = () => new Promise<void>((resolve) => (notify = resolve));
  const unwatchBlocks = wsClient.watchBlockNumber({
    onBlockNumber: (n) => {
      blocks.push(n);
      notify();
    },
  });
  const unwatchEvents = wsClient.watchContractEvent({
    address: token,
    abi,
    eventName: "Transfer",
    onLogs: (logs) => {
      for (const l of logs) transfers.push(l.args);
      notify();
    },
  });
  // The subscriptions are set up asynchronously: let them reach the node before sending.
  await new Promise((r) => setTimeout(r, 200));
  const hash = await wallet().writeContract({
    address: token,
    abi,
    functionName: "transfer",
    args: [DEV[1].address, 9n],
  });
  const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  const deadline = Date.now() + 10_000;
  while ((transfers.length === 0 || !blocks.includes(receipt.blockNumber)) && Date.now() < deadline) {
    await Promise.race([changed(), new Promise((r) => setTimeout(r, 200))]);
  }
  unwatchBlocks();
  unwatchEvents();
  await (await wsClient.transport.getRpcClient()).close();
  assert.ok(blocks.includes(receipt.blockNumber), `saw blocks ${blocks.join(",")}`);
  assert.deepEqual(transfers, [{ from: DEV[0].address, to: DEV[1].address, value: 9n }]);
});
