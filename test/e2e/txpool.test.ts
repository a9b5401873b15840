// Every transaction-pool rejection comes back as a JSON-RPC error with its geth-like message (the
// patterns also accept anvil's wording where it differs), and a rejected transaction changes nothing.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type Hex, serializeTransaction, type TransactionSerializableEIP1559 } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { DEV, devTransfer, rpc, rpcRaw, startTarget, TARGET, type Target, waitFor } from "./harness.js";

let node: Target;

before(async () => {
  node = await startTarget();
});
after(() => node?.stop());

const sender = privateKeyToAccount(DEV[0].key);

async function nonceOf(address: Hex, tag = "latest"): Promise<number> {
  return Number(await rpc<Hex>(node.url, "eth_getTransactionCount", [address, tag]));
}

async function tx(fields: Partial<TransactionSerializableEIP1559> = {}): Promise<TransactionSerializableEIP1559> {
  return devTransfer(await nonceOf(sender.address), fields);
}

/** Sends a raw transaction and returns the JSON-RPC error (asserting there is one). */
async function rejected(raw: Hex): Promise<{ code: number; message: string }> {
  const r = await rpcRaw(node.url, "eth_sendRawTransaction", [raw]);
  assert.ok(r.error, `expected a rejection, got ${JSON.stringify(r.result)}`);
  assert.equal(typeof r.error.code, "number");
  return r.error;
}

/** Asserts `raw` is rejected with a message matching `pattern` and that the sender's nonce did not move. */
async function expectRejection(raw: Hex, pattern: RegExp): Promise<void> {
  const before = await nonceOf(sender.address);
  const err = await rejected(raw);
  assert.match(err.message, pattern);
  assert.equal(await nonceOf(sender.address), before, "a rejected transaction changes nothing");
}

test("a valid transaction is accepted and mined (the baseline for the rejections below)", async () => {
  const hash = await rpc<Hex>(node.url, "eth_sendRawTransaction", [await sender.signTransaction(await tx())]);
  const receipt = await waitFor("receipt", () =>
    rpc<{ status: Hex } | null>(node.url, "eth_getTransactionReceipt", [hash]).then((r) => r ?? undefined),
  );
  assert.equal(receipt.status, "0x1");
});

test("invalid signature", async () => {
  // r = 0 recovers no key at all (a merely altered signature would recover some other address).
  const raw = serializeTransaction(await tx(), { r: "0x0", s: "0x1", yParity: 0 });
  await expectRejection(raw, /invalid (sender|signature)|recover the signer/i);
  // High s (EIP-2) is refused too.
  const highS = serializeTransaction(await tx(), {
    r: `0x${"11".repeat(32)}`,
    s: "0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140",
    yParity: 0,
  });
  await expectRejection(highS, /invalid (sender|signature)|recover the signer/i);
});

test("wrong chain id", async () => {
  await expectRejection(await sender.signTransaction(await tx({ chainId: 1 })), /invalid chain id/i);
});

test("nonce too low", async () => {
  const nonce = await nonceOf(sender.address);
  assert.ok(nonce > 0);
  await expectRejection(await sender.signTransaction(await tx({ nonce: nonce - 1, value: 999n })), /nonce too low/i);
});

test("insufficient funds: value beyond the balance, and an empty account paying for gas", async () => {
  await expectRejection(
    await sender.signTransaction(await tx({ value: 10n ** 30n })),
    /insufficient funds for gas \* price \+ value/i,
  );
  const poor = privateKeyToAccount(generatePrivateKey());
  const err = await rejected(await poor.signTransaction({ ...(await tx()), nonce: 0 }));
  assert.match(err.message, /insufficient funds for gas \* price \+ value/i);
});

test("intrinsic gas too low", async () => {
  await expectRejection(await sender.signTransaction(await tx({ gas: 20_999n })), /intrinsic gas too low/i);
  // Calldata costs intrinsic gas too: 21,000 is not enough with data (anvil's pool only checks the
  // 21,000 base, and drops such a transaction when mining).
  if (TARGET !== "anvil")
    await expectRejection(await sender.signTransaction(await tx({ data: "0x0102030405" })), /intrinsic gas too low/i);
});

test("max fee per gas below the block base fee", async () => {
  await expectRejection(
    await sender.signTransaction(await tx({ maxFeePerGas: 1n, maxPriorityFeePerGas: 1n })),
    /max fee per gas less than block base fee/i,
  );
});

test("gas limit above the block gas limit", async () => {
  await expectRejection(
    await sender.signTransaction(await tx({ gas: 30_000_001n })),
    /exceeds block gas limit|gas_limit > env\.block\.gas_limit/i,
  );
});

test("undecodable bytes", async () => {
  const err = await rejected("0x02deadbeef");
  assert.match(err.message, /decode|rlp|invalid/i);
});

test("already known, and an underpriced replacement (nonce gap keeps them queued)", async () => {
  // A future nonce waits in the pool, so the same bytes can be sent again.
  const gapNonce = (await nonceOf(sender.address)) + 1;
  const first = await sender.signTransaction(await tx({ nonce: gapNonce }));
  await rpc(node.url, "eth_sendRawTransaction", [first]);
  const again = await rejected(first);
  assert.match(again.message, /already (known|imported)/i);
  // A replacement must raise both fees by at least 10 %.
  const cheap = await sender.signTransaction(await tx({ nonce: gapNonce, maxPriorityFeePerGas: 1_000_000_001n }));
  assert.match((await rejected(cheap)).message, /replacement transaction underpriced/i);

  // Filling the gap mines both (queued promoted to pending).
  const fill = await rpc<Hex>(node.url, "eth_sendRawTransaction", [await sender.signTransaction(await tx())]);
  await waitFor("the queued transaction to be mined", async () =>
    (await nonceOf(sender.address)) === gapNonce + 1 ? true : undefined,
  );
  const receipt = await rpc<{ status: Hex }>(node.url, "eth_getTransactionReceipt", [fill]);
  assert.equal(receipt.status, "0x1");
});
