// viem against the node: deploy an OpenZeppelin ERC-20, transfer, read balances, receipts, events,
// blocks, both with a local account (eth_sendRawTransaction) and a node-held dev account
// (eth_sendTransaction).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  createPublicClient,
  createWalletClient,
  getAddress,
  http,
  type PublicClient,
  parseAbi,
  parseEther,
  parseGwei,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { CHAIN_ID, DEV, rpc, startTarget, type Target } from "./harness.js";
import { TOKEN_ABI, tokenBytecode } from "./token.js";

const abi = parseAbi(TOKEN_ABI);
const SUPPLY = 1_000_000n * 10n ** 18n;

let node: Target;
let client: PublicClient;

before(async () => {
  node = await startTarget();
  client = createPublicClient({ chain: foundry, transport: http(node.url) });
});
after(() => node?.stop());

test("chain basics: chain id, dev accounts, funded balances, genesis block", async () => {
  assert.equal(await client.getChainId(), CHAIN_ID);
  const accounts = await rpc<`0x${string}`[]>(node.url, "eth_accounts");
  assert.equal(accounts.length, 10);
  assert.equal(getAddress(accounts[0]), DEV[0].address);
  assert.equal(await client.getBalance({ address: DEV[3].address }), parseEther("10000"));
  const genesis = await client.getBlock({ blockNumber: 0n });
  assert.equal(genesis.number, 0n);
  assert.equal(genesis.baseFeePerGas, parseGwei("1"));
  assert.equal(genesis.gasLimit, 30_000_000n);
});

test("deploy an ERC-20 with a local account, transfer, read balances and events", async () => {
  const account = privateKeyToAccount(DEV[0].key);
  const wallet = createWalletClient({ account, chain: foundry, transport: http(node.url) });
  const bytecode = await tokenBytecode();

  const deployHash = await wallet.deployContract({ abi, bytecode, args: [SUPPLY] });
  const deployed = await client.waitForTransactionReceipt({ hash: deployHash, pollingInterval: 50 });
  assert.equal(deployed.status, "success");
  const token = deployed.contractAddress!;
  assert.ok(token, "receipt has the contract address");
  assert.ok((await client.getCode({ address: token }))!.length > 2, "code is deployed");
  assert.equal(await client.readContract({ address: token, abi, functionName: "symbol" }), "BENCH");
  assert.equal(await client.readContract({ address: token, abi, functionName: "totalSupply" }), SUPPLY);

  const amount = 1234n * 10n ** 18n;
  const { request } = await client.simulateContract({
    account,
    address: token,
    abi,
    functionName: "transfer",
    args: [DEV[1].address, amount],
  });
  const hash = await wallet.writeContract(request);
  const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  assert.equal(receipt.status, "success");
  assert.equal(receipt.from.toLowerCase(), DEV[0].address.toLowerCase());
  assert.equal(receipt.to?.toLowerCase(), token.toLowerCase());
  assert.equal(receipt.logs.length, 1);
  assert.ok(receipt.gasUsed > 21_000n && receipt.gasUsed < 100_000n, `gasUsed ${receipt.gasUsed}`);

  assert.equal(
    await client.readContract({ address: token, abi, functionName: "balanceOf", args: [DEV[1].address] }),
    amount,
  );
  assert.equal(
    await client.readContract({ address: token, abi, functionName: "balanceOf", args: [DEV[0].address] }),
    SUPPLY - amount,
  );

  const events = await client.getContractEvents({ address: token, abi, eventName: "Transfer", fromBlock: 0n });
  assert.equal(events.length, 2, "mint and transfer");
  const last = events[1];
  assert.equal(last.args.from, DEV[0].address);
  assert.equal(last.args.to, DEV[1].address);
  assert.equal(last.args.value, amount);
  assert.equal(last.transactionHash, hash);
  assert.equal(last.blockHash, receipt.blockHash);

  // The transaction as served matches what was signed.
  const tx = await client.getTransaction({ hash });
  assert.equal(tx.from.toLowerCase(), DEV[0].address.toLowerCase());
  assert.equal(tx.blockNumber, receipt.blockNumber);
  const block = await client.getBlock({ blockNumber: receipt.blockNumber });
  assert.ok(block.transactions.includes(hash));
  assert.equal(block.hash, receipt.blockHash);
});

test("a node-held dev account sends with eth_sendTransaction; the balance moves by value plus fee", async () => {
  const wallet = createWalletClient({ account: DEV[2].address, chain: foundry, transport: http(node.url) });
  const before = await client.getBalance({ address: DEV[3].address });
  const senderBefore = await client.getBalance({ address: DEV[2].address });
  const hash = await wallet.sendTransaction({ to: DEV[3].address, value: parseEther("1.5") });
  const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  assert.equal(receipt.status, "success");
  assert.equal(receipt.gasUsed, 21_000n);
  assert.equal(await client.getBalance({ address: DEV[3].address }), before + parseEther("1.5"));
  assert.equal(
    await client.getBalance({ address: DEV[2].address }),
    senderBefore - parseEther("1.5") - receipt.gasUsed * receipt.effectiveGasPrice,
  );
  assert.equal(await client.getTransactionCount({ address: DEV[2].address }), 1);
});

test("a reverting call returns the revert data (decoded as the custom error); estimateGas fails too", async () => {
  const account = privateKeyToAccount(DEV[0].key);
  const wallet = createWalletClient({ account, chain: foundry, transport: http(node.url) });
  const hash = await wallet.deployContract({ abi, bytecode: await tokenBytecode(), args: [1000n] });
  const token = (await client.waitForTransactionReceipt({ hash, pollingInterval: 50 })).contractAddress!;
  // OpenZeppelin 5 reverts with the custom error ERC20InsufficientBalance(address,uint256,uint256).
  await assert.rejects(
    client.simulateContract({ account, address: token, abi, functionName: "transfer", args: [DEV[1].address, 1001n] }),
    (err: Error) => /ERC20InsufficientBalance/.test(err.message),
  );
  await assert.rejects(
    client.estimateContractGas({
      account,
      address: token,
      abi,
      functionName: "transfer",
      args: [DEV[1].address, 1001n],
    }),
    (err: Error) => /revert/i.test(err.message),
  );
});
