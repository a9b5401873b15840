// The eth_ namespace driven by viem's clients over HTTP against a real Chain (LMDB) and TxPool:
// deploys and calls a contract, reads state now and in the past, blocks, receipts, logs, fees,
// signing, reverts with their reasons, gas estimation, state overrides, pool errors.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  decodeEventLog,
  encodeFunctionData,
  type Hex,
  http,
  keccak256,
  type PublicClient,
  parseAbi,
  parseEther,
  recoverMessageAddress,
  recoverTypedDataAddress,
  toHex,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { addressToHex, bytesToHex, hexToBytes } from "../../primitives/hex.js";
import type { LmdbState } from "../../state/lmdb-state.js";
import { verifyProof } from "../../state/proof-verify.js";
import { ACCOUNTS, BOX_ABI, boxBytecode, ETHER, rpc, rpcError, startTestNode, type TestNode } from "../testkit.js";

const abi = parseAbi(BOX_ABI);
const [A, B, C] = ACCOUNTS.map((a) => addressToHex(a.address) as Address) as [Address, Address, Address];
const localAccount = privateKeyToAccount(bytesToHex(ACCOUNTS[1]!.privateKey) as Hex);

let node: TestNode;
let client: PublicClient;
let wallet: WalletClient;
let box: Address;
let deployBlock: bigint;

before(async () => {
  node = await startTestNode();
  client = createPublicClient({ chain: foundry, transport: http(node.url) });
  wallet = createWalletClient({ chain: foundry, transport: http(node.url) });
  const hash = await wallet.deployContract({
    abi,
    bytecode: await boxBytecode(),
    args: [7n],
    account: A,
    chain: foundry,
  });
  const receipt = await client.waitForTransactionReceipt({ hash });
  assert.equal(receipt.status, "success");
  box = receipt.contractAddress!;
  deployBlock = receipt.blockNumber;
});
after(() => node.close());

function revertOf(error: unknown): ContractFunctionRevertedError | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const found = error.walk((e) => e instanceof ContractFunctionRevertedError);
  return found instanceof ContractFunctionRevertedError ? found : undefined;
}

describe("eth_ over viem", () => {
  it("chain id, block number, accounts, client version", async () => {
    assert.equal(await client.getChainId(), 31337);
    assert.equal(await client.getBlockNumber(), deployBlock);
    assert.deepEqual(
      (await wallet.getAddresses()).map((a) => a.toLowerCase()),
      ACCOUNTS.map((a) => addressToHex(a.address)),
    );
    assert.match((await rpc(node.url, "web3_clientVersion")) as string, /^weft\//);
    assert.equal(await rpc(node.url, "eth_syncing"), false);
    assert.equal(await rpc(node.url, "eth_mining"), true);
  });

  it("deploys with eth_sendTransaction from a dev account: code and storage are there", async () => {
    const code = await client.getCode({ address: box });
    assert.ok(code !== undefined && code.length > 2);
    assert.equal(await client.getStorageAt({ address: box, slot: "0x0" }), toHex(7n, { size: 32 }));
    assert.equal(await client.readContract({ address: box, abi, functionName: "value" }), 7n);
  });

  it("a locally signed transaction (eth_sendRawTransaction) is mined with its receipt, logs and block", async () => {
    const hash = await wallet.writeContract({
      address: box,
      abi,
      functionName: "store",
      args: [42n],
      account: localAccount,
      chain: foundry,
    });
    const receipt = await client.getTransactionReceipt({ hash });
    assert.equal(receipt.status, "success");
    assert.equal(receipt.from.toLowerCase(), localAccount.address.toLowerCase());
    assert.equal(receipt.logs.length, 1);
    const event = decodeEventLog({ abi, ...receipt.logs[0]! });
    assert.equal(event.eventName, "Stored");
    assert.deepEqual(event.args, { who: localAccount.address, value: 42n });
    assert.equal(await client.readContract({ address: box, abi, functionName: "value" }), 42n);

    const tx = await client.getTransaction({ hash });
    assert.equal(tx.blockNumber, receipt.blockNumber);
    assert.equal(tx.type, "eip1559");
    const block = await client.getBlock({ blockNumber: receipt.blockNumber, includeTransactions: true });
    assert.equal(block.hash, receipt.blockHash);
    assert.equal(block.transactions[0]!.hash, hash);
    assert.equal((await client.getBlock({ blockHash: block.hash! })).number, block.number);
    assert.equal(await client.getBlockTransactionCount({ blockNumber: block.number! }), 1);
    assert.equal(await client.getBlockTransactionCount({ blockHash: block.hash! }), 1);
    const byIndex = await client.getTransaction({ blockNumber: block.number!, index: 0 });
    assert.deepEqual(byIndex, tx);
    assert.deepEqual(await client.getTransaction({ blockHash: block.hash!, index: 0 }), tx);
    for (const [method, ref] of [
      ["eth_getTransactionByBlockNumberAndIndex", toHex(block.number!)],
      ["eth_getTransactionByBlockHashAndIndex", block.hash!],
      ["eth_getTransactionByBlockHashAndIndex", `0x${"12".repeat(32)}`],
      ["eth_getTransactionByBlockNumberAndIndex", "0xffffff"],
    ] as const) {
      const index = ref === block.hash || ref === toHex(block.number!) ? "0x1" : "0x0";
      assert.equal(await rpc(node.url, method, [ref, index]), null, `${method}(${ref}, ${index})`);
    }
    assert.equal(block.parentHash, (await client.getBlock({ blockNumber: block.number! - 1n })).hash);
    const receipts = (await rpc(node.url, "eth_getBlockReceipts", [toHex(block.number!)])) as {
      transactionHash: Hex;
    }[];
    assert.deepEqual(
      receipts.map((r) => r.transactionHash),
      [hash],
    );
  });

  it("legacy and access-list transactions from a local account", async () => {
    const legacy = await wallet.sendTransaction({
      account: localAccount,
      chain: foundry,
      to: C,
      value: 1n,
      type: "legacy",
      gasPrice: 3_000_000_000n,
    });
    assert.equal((await client.getTransactionReceipt({ hash: legacy })).type, "legacy");
    const eip2930 = await wallet.sendTransaction({
      account: localAccount,
      chain: foundry,
      to: C,
      value: 1n,
      type: "eip2930",
      gasPrice: 3_000_000_000n,
      accessList: [{ address: box, storageKeys: [toHex(0n, { size: 32 })] }],
    });
    const tx = await client.getTransaction({ hash: eip2930 });
    assert.equal(tx.type, "eip2930");
    assert.equal(tx.accessList?.[0]?.address.toLowerCase(), box.toLowerCase());
  });

  it("reads state at past blocks", async () => {
    assert.equal(await client.readContract({ address: box, abi, functionName: "value", blockNumber: deployBlock }), 7n);
    assert.equal(await client.getBalance({ address: C, blockNumber: 0n }), 10_000n * ETHER);
    assert.equal(await client.getCode({ address: box, blockNumber: 0n }), undefined);
    assert.equal(await client.getTransactionCount({ address: A, blockNumber: 0n }), 0);
    assert.equal(await client.getTransactionCount({ address: A }), 1);
    await assert.rejects(client.getBalance({ address: C, blockNumber: 10_000n }), /header not found/);
  });

  it("a revert is error 3 with the revert data and the reason", async () => {
    await assert.rejects(
      client.simulateContract({ address: box, abi, functionName: "store", args: [13n], account: A }),
      (error) => revertOf(error)?.reason === "unlucky",
    );
    const data = encodeFunctionData({ abi, functionName: "store", args: [13n] });
    const raw = await rpcError(node.url, "eth_call", [{ to: box, data }, "latest"]);
    assert.equal(raw.code, 3);
    assert.equal(raw.message, "execution reverted: unlucky");
    assert.match(String(raw.data), /^0x08c379a0/);
    await assert.rejects(
      client.readContract({ address: box, abi, functionName: "custom" }),
      (error) => revertOf(error)?.data?.errorName === "Custom",
    );
    const boom = encodeFunctionData({ abi, functionName: "boom" });
    const panic = await rpcError(node.url, "eth_call", [{ to: box, data: boom }]);
    assert.equal(panic.code, 3);
    assert.equal(panic.message, "execution reverted: panic: 0x1");
  });

  it("estimates the least gas that succeeds", async () => {
    const data = encodeFunctionData({ abi, functionName: "spin", args: [20n] });
    const gas = await client.estimateGas({ account: A, to: box, data });
    assert.ok(gas > 21_000n);
    await client.call({ account: A, to: box, data, gas });
    await assert.rejects(client.call({ account: A, to: box, data, gas: gas - 1n }));
    const plain = await client.estimateGas({ account: A, to: C, value: 1n });
    assert.equal(plain, 21_000n);
    const err = await rpcError(node.url, "eth_estimateGas", [
      { from: A, to: box, data: encodeFunctionData({ abi, functionName: "store", args: [13n] }) },
    ]);
    assert.equal(err.code, 3);
    assert.match(err.message, /unlucky/);
  });

  it("eth_call with state overrides, from a contract, and at pending", async () => {
    const whoami = encodeFunctionData({ abi, functionName: "whoami" });
    const result = await client.call({ account: box, to: box, data: whoami });
    assert.equal(result.data?.toLowerCase(), `0x${box.slice(2).toLowerCase().padStart(64, "0")}`);
    const other = "0x00000000000000000000000000000000000000aa" as Address;
    const code = await client.getCode({ address: box });
    const overridden = await client.readContract({
      address: other,
      abi,
      functionName: "value",
      stateOverride: [
        {
          address: other,
          code: code!,
          stateDiff: [{ slot: toHex(0n, { size: 32 }), value: toHex(99n, { size: 32 }) }],
        },
      ],
    });
    assert.equal(overridden, 99n);
    const [number] = await client.readContract({ address: box, abi, functionName: "stamp", blockTag: "pending" });
    assert.equal(number, (await client.getBlockNumber({ cacheTime: 0 })) + 1n);
    const err = await rpcError(node.url, "eth_call", [{ to: box, data: whoami }, "latest", { [other]: { bogus: 1 } }]);
    assert.equal(err.code, -32602);
  });

  it("fees: gas price, priority fee, fee history, EIP-1559 estimation", async () => {
    const head = await client.getBlock();
    const gasPrice = await client.getGasPrice();
    assert.ok(gasPrice > 0n);
    assert.equal(await rpc(node.url, "eth_maxPriorityFeePerGas"), "0x3b9aca00");
    const fees = await client.estimateFeesPerGas();
    assert.ok(fees.maxFeePerGas! >= head.baseFeePerGas!);
    const history = await client.getFeeHistory({ blockCount: 3, rewardPercentiles: [25, 75] });
    assert.equal(history.baseFeePerGas.length, 4);
    assert.equal(history.gasUsedRatio.length, 3);
    assert.equal(history.reward?.length, 3);
    assert.equal(history.oldestBlock, head.number! - 2n);
    assert.equal(history.baseFeePerGas[2], head.baseFeePerGas);
  });

  it("signs messages and typed data with dev accounts", async () => {
    const signature = await wallet.signMessage({ account: A, message: "hello weft" });
    assert.equal((await recoverMessageAddress({ message: "hello weft", signature })).toLowerCase(), A);
    const viaEthSign = (await rpc(node.url, "eth_sign", [A, toHex("hello weft")])) as Hex;
    assert.equal(viaEthSign, signature);
    const typed = {
      domain: { name: "Weft", version: "1", chainId: 31337, verifyingContract: box },
      types: {
        Mail: [
          { name: "to", type: "address" },
          { name: "contents", type: "string" },
          { name: "amount", type: "uint256" },
        ],
      },
      primaryType: "Mail" as const,
      message: { to: B, contents: "hi", amount: 5n },
    };
    const typedSig = await wallet.signTypedData({ account: A, ...typed });
    assert.equal((await recoverTypedDataAddress({ ...typed, signature: typedSig })).toLowerCase(), A);
    const other = "0x00000000000000000000000000000000000000aa";
    const err = await rpcError(node.url, "eth_sign", [other, "0x00"]);
    assert.match(err.message, /no signer/);
  });

  it("eth_getProof proves the account and its storage against the block's state root", async () => {
    const block = await client.getBlock();
    const proof = await client.getProof({
      address: box,
      storageKeys: [toHex(0n, { size: 32 }), toHex(5n, { size: 32 })],
    });
    const leaf = verifyProof(BigInt(block.stateRoot), hexToBytes(keccak256(box)), proof.accountProof.map(hexToBytes));
    assert.ok(leaf !== undefined);
    assert.equal(BigInt(proof.storageHash), (node.chain.state() as LmdbState).storageRoot(BigInt(box)));
    const slot0 = verifyProof(
      BigInt(proof.storageHash),
      hexToBytes(keccak256(toHex(0n, { size: 32 }))),
      proof.storageProof[0]!.proof.map(hexToBytes),
    );
    assert.ok(slot0 !== undefined);
    assert.equal(proof.storageProof[0]!.value, await client.readContract({ address: box, abi, functionName: "value" }));
    const absentSlot = verifyProof(
      BigInt(proof.storageHash),
      hexToBytes(keccak256(toHex(5n, { size: 32 }))),
      proof.storageProof[1]!.proof.map(hexToBytes),
    );
    assert.equal(absentSlot, undefined);
    assert.equal(proof.storageProof[1]!.value, 0n);
    const nobody = "0x00000000000000000000000000000000000000cc" as Address;
    const none = await client.getProof({ address: nobody, storageKeys: [] });
    assert.equal(
      verifyProof(BigInt(block.stateRoot), hexToBytes(keccak256(nobody)), none.accountProof.map(hexToBytes)),
      undefined,
    );
    assert.equal(none.balance, 0n);
  });

  it("blocks, transactions and receipts carry the fields anvil returns", async () => {
    // Recorded from anvil 1.x for the same calls; left out: requestsHash (Prague) and blobGasPrice on
    // non-blob receipts (geth leaves it out too).
    const txKeys =
      "accessList blockHash blockNumber blockTimestamp chainId from gas gasPrice hash input maxFeePerGas maxPriorityFeePerGas nonce r s to transactionIndex type v value yParity";
    const receiptKeys =
      "blockHash blockNumber blockTimestamp contractAddress cumulativeGasUsed effectiveGasPrice from gasUsed logs logsBloom status to transactionHash transactionIndex type";
    const blockKeys =
      "baseFeePerGas blobGasUsed difficulty excessBlobGas extraData gasLimit gasUsed hash logsBloom miner mixHash nonce number parentBeaconBlockRoot parentHash receiptsRoot sha3Uncles size stateRoot timestamp totalDifficulty transactions transactionsRoot uncles withdrawals withdrawalsRoot";
    const hash = await wallet.sendTransaction({ account: A, chain: foundry, to: C, value: 1n });
    const keys = (o: unknown) =>
      Object.keys(o as object)
        .sort()
        .join(" ");
    assert.equal(keys(await rpc(node.url, "eth_getTransactionByHash", [hash])), txKeys);
    const receipt = (await rpc(node.url, "eth_getTransactionReceipt", [hash])) as { blockNumber: Hex };
    assert.equal(keys(receipt), receiptKeys);
    assert.equal(keys(await rpc(node.url, "eth_getBlockByNumber", [receipt.blockNumber, false])), blockKeys);
    const storeHash = await wallet.writeContract({
      address: box,
      abi,
      functionName: "store",
      args: [8n],
      account: A,
      chain: foundry,
    });
    const logs = ((await rpc(node.url, "eth_getTransactionReceipt", [storeHash])) as { logs: unknown[] }).logs;
    assert.equal(
      keys(logs[0]),
      "address blockHash blockNumber blockTimestamp data logIndex removed topics transactionHash transactionIndex",
    );
  });

  it("web3_sha3 is keccak256", async () => {
    assert.equal(await rpc(node.url, "web3_sha3", ["0x68656c6c6f"]), keccak256("0x68656c6c6f"));
  });

  it("pool rejections come back as -32000 with geth's messages", async () => {
    const nonce = await client.getTransactionCount({ address: localAccount.address });
    const stale = await localAccount.signTransaction({
      chainId: 31337,
      type: "eip1559",
      nonce: nonce - 1,
      to: C,
      value: 1n,
      gas: 21_000n,
      maxFeePerGas: 10_000_000_000n,
      maxPriorityFeePerGas: 1n,
    });
    const low = await rpcError(node.url, "eth_sendRawTransaction", [stale]);
    assert.equal(low.code, -32000);
    assert.match(low.message, /nonce too low/);
    const bad = await rpcError(node.url, "eth_sendRawTransaction", ["0x02c0"]);
    assert.equal(bad.code, -32000);
    const rich = await rpcError(node.url, "eth_sendTransaction", [
      { from: A, to: B, value: toHex(parseEther("1000000")) },
    ]);
    assert.match(rich.message, /insufficient funds/);
  });

  it("impersonated accounts send without a key", async () => {
    const whale = "0x00000000000000000000000000000000000000bb" as Address;
    await node.chain.setAccount(BigInt(whale), { balance: ETHER });
    const refused = await rpcError(node.url, "eth_sendTransaction", [{ from: whale, to: C, value: "0x1" }]);
    assert.match(refused.message, /no signer/);
    node.ctx.impersonated.add(BigInt(whale));
    const hash = await wallet.sendTransaction({ account: whale, chain: foundry, to: C, value: 5n });
    const receipt = await client.getTransactionReceipt({ hash });
    assert.equal(receipt.from.toLowerCase(), whale);
    assert.equal(receipt.status, "success");
  });
});

describe("pending transactions (manual mining)", () => {
  let manual: TestNode;
  before(async () => {
    manual = await startTestNode({ automine: false });
  });
  after(() => manual.close());

  it("a pooled transaction is visible as pending, then mined", async () => {
    const c = createPublicClient({ chain: foundry, transport: http(manual.url) });
    const w = createWalletClient({ chain: foundry, transport: http(manual.url) });
    const hash = await w.sendTransaction({ account: localAccount, chain: foundry, to: C, value: 1n });
    const pending = await c.getTransaction({ hash });
    assert.equal(pending.blockNumber, null);
    assert.equal(await c.getTransactionCount({ address: localAccount.address, blockTag: "pending" }), 1);
    assert.equal(await c.getTransactionCount({ address: localAccount.address }), 0);
    const block = await c.getBlock({ blockTag: "pending" });
    assert.deepEqual(block.transactions, [hash]);
    assert.equal(block.number, 1n);
    assert.equal(await c.getBlockTransactionCount({ blockTag: "pending" }), 1);
    assert.equal(await rpc(manual.url, "eth_getTransactionReceipt", [hash]), null);
    await manual.miner.mine();
    const receipt = await c.getTransactionReceipt({ hash });
    assert.equal(receipt.blockNumber, 1n);
  });

  it("fee history rewards are the tips at each percentile of gas used", async () => {
    const c = createPublicClient({ chain: foundry, transport: http(manual.url) });
    const w = createWalletClient({ chain: foundry, transport: http(manual.url) });
    const base = (await c.getBlock()).baseFeePerGas!;
    const gwei = 1_000_000_000n;
    // Two senders, tips 1 and 3 gwei, same gas: the 25th percentile is 1 gwei, the 75th 3 gwei.
    for (const [from, tip] of [
      [A, gwei],
      [B, 3n * gwei],
    ] as const) {
      await w.sendTransaction({
        account: from,
        chain: foundry,
        to: C,
        value: 1n,
        maxPriorityFeePerGas: tip,
        maxFeePerGas: base * 3n + tip,
      });
    }
    await manual.miner.mine();
    const history = await c.getFeeHistory({ blockCount: 1, rewardPercentiles: [0, 25, 75, 100] });
    assert.deepEqual(history.reward, [[gwei, gwei, 3n * gwei, 3n * gwei]]);
    assert.equal(history.gasUsedRatio[0], 42_000 / 30_000_000);
    const bad = await rpcError(manual.url, "eth_feeHistory", ["0x1", "latest", [50, 10]]);
    assert.equal(bad.code, -32602);
  });
});
