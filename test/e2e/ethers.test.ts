// ethers v6 against the node: deploy an OpenZeppelin ERC-20 with a Wallet (signed locally), transfer,
// read balances and events; a JsonRpcSigner (node-held account, eth_sendTransaction) transfers too.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Contract, ContractFactory, JsonRpcProvider, parseEther, Wallet } from "ethers";
import { CHAIN_ID, DEV, startTarget, type Target } from "./harness.js";
import { TOKEN_ABI, tokenBytecode } from "./token.js";

const SUPPLY = 1_000_000n * 10n ** 18n;

let node: Target;
let provider: JsonRpcProvider;

before(async () => {
  node = await startTarget();
  provider = new JsonRpcProvider(node.url, CHAIN_ID, { staticNetwork: true, pollingInterval: 50, cacheTimeout: -1 });
});
after(async () => {
  provider?.destroy();
  await node?.stop();
});

test("ethers: deploy an ERC-20, transfer, read balances and Transfer events", async () => {
  const wallet = new Wallet(DEV[0].key, provider);
  const factory = new ContractFactory([...TOKEN_ABI], await tokenBytecode(), wallet);
  const deployed = await factory.deploy(SUPPLY);
  await deployed.waitForDeployment();
  const address = await deployed.getAddress();
  const token = new Contract(address, [...TOKEN_ABI], wallet);
  assert.equal(await token.name(), "Bench Token");
  assert.equal(await token.balanceOf(DEV[0].address), SUPPLY);

  const amount = 77n * 10n ** 18n;
  const tx = await token.transfer(DEV[1].address, amount);
  const receipt = await tx.wait();
  assert.equal(receipt.status, 1);
  assert.equal(receipt.logs.length, 1);
  assert.equal(await token.balanceOf(DEV[1].address), amount);
  assert.equal(await token.balanceOf(DEV[0].address), SUPPLY - amount);

  const events = await token.queryFilter(token.filters.Transfer(DEV[0].address), 0);
  assert.equal(events.length, 1);
  assert.equal(events[0].transactionHash, tx.hash);
  const parsed = token.interface.parseLog(events[0]);
  assert.equal(parsed?.args.to, DEV[1].address);
  assert.equal(parsed?.args.value, amount);

  // A node-held account signs through eth_sendTransaction.
  const signer = await provider.getSigner(DEV[1].address);
  const back = await (token.connect(signer) as Contract).transfer(DEV[2].address, 7n);
  assert.equal((await back.wait()).status, 1);
  assert.equal(await token.balanceOf(DEV[2].address), 7n);
});

test("ethers: plain value transfer and nonce accounting", async () => {
  const wallet = new Wallet(DEV[3].key, provider);
  const nonce = await provider.getTransactionCount(DEV[3].address);
  const to = Wallet.createRandom().address;
  const tx = await wallet.sendTransaction({ to, value: parseEther("0.25") });
  assert.equal(tx.nonce, nonce);
  const receipt = await tx.wait();
  assert.equal(receipt?.status, 1);
  assert.equal(await provider.getBalance(to), parseEther("0.25"));
  assert.equal(await provider.getTransactionCount(DEV[3].address), nonce + 1);
  const block = await provider.getBlock(receipt!.blockNumber);
  assert.equal(block?.hash, receipt!.blockHash);
  assert.ok(block!.baseFeePerGas !== null && block!.baseFeePerGas > 0n);
});
