// Every rejection the pool makes: code, and a message that starts with geth's phrase (which viem and
// ethers match on). Raw-path rejections go through addRaw, so the decoder's errors are covered too.
import assert from "node:assert/strict";
import { test } from "node:test";
import { SECP256K1_N } from "../chain/sign.js";
import { encodeTransaction, impersonatedTransaction } from "../chain/transaction.js";
import type { SignedTransaction } from "../chain/types.js";
import { TX_POOL_MESSAGES, TxPoolError, type TxPoolErrorCode } from "./errors.js";
import { applyBlock, ETHER, GWEI, signed, testHead, testKey, testPool } from "./testkit.js";
import { heldBytes } from "./tx-pool.js";

const alice = testKey(0);

function rejects(fn: () => unknown, code: TxPoolErrorCode, phrase: string): void {
  assert.equal(TX_POOL_MESSAGES[code], phrase);
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof TxPoolError, `expected a TxPoolError, got ${e}`);
    assert.equal(e.code, code);
    assert.ok(e.message.startsWith(phrase), `"${e.message}" does not start with "${phrase}"`);
    return true;
  });
}

async function rejectsRaw(promise: Promise<unknown>, code: TxPoolErrorCode, phrase: string): Promise<void> {
  assert.equal(TX_POOL_MESSAGES[code], phrase);
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof TxPoolError, `expected a TxPoolError, got ${e}`);
    assert.equal(e.code, code);
    assert.ok(e.message.startsWith(phrase), `"${e.message}" does not start with "${phrase}"`);
    return true;
  });
}

/** A 1-wei transfer from `from` at `nonce`, unsigned (impersonated): cheap to make by the thousand. */
function impersonatedTransfer(from: bigint, nonce: bigint): SignedTransaction {
  return impersonatedTransaction(
    {
      type: 2,
      chainId: 31337n,
      nonce,
      gasLimit: 21_000n,
      maxFeePerGas: 2n * GWEI,
      maxPriorityFeePerGas: GWEI,
      to: 0x1234n,
      value: 1n,
      data: new Uint8Array(0),
      accessList: [],
    },
    from,
  );
}

/** The same transaction with another signature, re-encoded (a tampered raw transaction). */
function resigned(tx: SignedTransaction, change: Partial<Pick<SignedTransaction, "v" | "r" | "s">>): Uint8Array {
  return encodeTransaction({ ...tx, ...change });
}

test("a valid transaction is accepted, by add and by addRaw", async () => {
  const head = testHead();
  const pool = testPool(head);
  const a = signed(alice);
  assert.equal(pool.add(a), a.hash);
  const b = signed(alice, { nonce: 1n, type: 0 });
  assert.equal(await pool.addRaw(b.raw), b.hash);
  assert.deepEqual(pool.get(b.hash), b);
  assert.deepEqual(pool.status(), { pending: 2, queued: 0 });
});

test("already known", async () => {
  const pool = testPool(testHead());
  const tx = signed(alice);
  pool.add(tx);
  rejects(() => pool.add(tx), "ALREADY_KNOWN", "already known");
  await rejectsRaw(pool.addRaw(tx.raw), "ALREADY_KNOWN", "already known");
});

test("nonce too low", () => {
  const head = testHead();
  head.state.setAccount(alice.address, { nonce: 5n, balance: ETHER });
  const pool = testPool(head);
  rejects(() => pool.add(signed(alice, { nonce: 4n })), "NONCE_TOO_LOW", "nonce too low");
  assert.match(
    (() => {
      try {
        pool.add(signed(alice, { nonce: 3n }));
      } catch (e) {
        return (e as Error).message;
      }
    })()!,
    /^nonce too low: next nonce 5, tx nonce 3$/,
  );
  pool.add(signed(alice, { nonce: 5n }));
});

test("nonce has max value", () => {
  const pool = testPool(testHead());
  rejects(() => pool.add(signed(alice, { nonce: 2n ** 64n - 1n })), "NONCE_MAX", "nonce has max value");
});

test("insufficient funds: gas at the fee cap plus value, and blob gas for type 3", () => {
  const head = testHead();
  const cost = 21_000n * 2n * GWEI;
  head.state.setAccount(alice.address, { nonce: 0n, balance: cost + 5n });
  const pool = testPool(head);
  rejects(
    () => pool.add(signed(alice, { value: 6n })),
    "INSUFFICIENT_FUNDS",
    "insufficient funds for gas * price + value",
  );
  // The fee cap counts, not the price paid at today's base fee.
  rejects(
    () => pool.add(signed(alice, { maxFeePerGas: 3n * GWEI })),
    "INSUFFICIENT_FUNDS",
    "insufficient funds for gas * price + value",
  );
  pool.add(signed(alice, { value: 5n }));
  // One blob: 131072 blob gas at a cap of 1 wei each.
  const bob = testKey(1);
  head.state.setAccount(bob.address, { nonce: 0n, balance: cost + 131071n });
  rejects(() => pool.add(signed(bob, { type: 3 })), "INSUFFICIENT_FUNDS", "insufficient funds for gas * price + value");
  head.state.setAccount(bob.address, { nonce: 0n, balance: cost + 131072n });
  pool.add(signed(bob, { type: 3 }));
  // An account that does not exist has nothing.
  rejects(() => pool.add(signed(testKey(9))), "INSUFFICIENT_FUNDS", "insufficient funds for gas * price + value");
});

test("intrinsic gas too low: base, calldata, creation, access list", () => {
  const pool = testPool(testHead());
  rejects(() => pool.add(signed(alice, { gasLimit: 20_999n })), "INTRINSIC_GAS_TOO_LOW", "intrinsic gas too low");
  const data = new Uint8Array([0, 1, 2]); // 4 + 16 + 16
  rejects(() => pool.add(signed(alice, { gasLimit: 21_035n, data })), "INTRINSIC_GAS_TOO_LOW", "intrinsic gas too low");
  rejects(
    () => pool.add(signed(alice, { gasLimit: 53_000n, to: null, data: new Uint8Array([0]) })),
    "INTRINSIC_GAS_TOO_LOW",
    "intrinsic gas too low",
  );
  const accessList = [{ address: 1n, storageKeys: [1n] }]; // 2400 + 1900
  rejects(
    () => pool.add(signed(alice, { gasLimit: 25_299n, accessList })),
    "INTRINSIC_GAS_TOO_LOW",
    "intrinsic gas too low",
  );
  pool.add(signed(alice, { gasLimit: 21_036n, data }));
  pool.add(signed(alice, { nonce: 1n, gasLimit: 25_300n, accessList }));
});

test("max fee per gas less than block base fee, for dynamic-fee and legacy transactions", () => {
  const head = testHead();
  const pool = testPool(head);
  head.baseFee = 3n * GWEI;
  const phrase = "max fee per gas less than block base fee";
  rejects(() => pool.add(signed(alice)), "FEE_CAP_BELOW_BASE_FEE", phrase);
  rejects(() => pool.add(signed(alice, { type: 0 })), "FEE_CAP_BELOW_BASE_FEE", phrase);
  rejects(() => pool.add(signed(alice, { type: 1 })), "FEE_CAP_BELOW_BASE_FEE", phrase);
  pool.add(signed(alice, { maxFeePerGas: 3n * GWEI }));
});

test("max priority fee above max fee", () => {
  const pool = testPool(testHead());
  rejects(
    () => pool.add(signed(alice, { maxPriorityFeePerGas: 3n * GWEI })),
    "TIP_ABOVE_FEE_CAP",
    "max priority fee per gas higher than max fee per gas",
  );
});

test("exceeds block gas limit", () => {
  const head = testHead();
  head.gasLimit = 100_000n;
  const pool = testPool(head);
  rejects(() => pool.add(signed(alice, { gasLimit: 100_001n })), "GAS_LIMIT_EXCEEDS_BLOCK", "exceeds block gas limit");
  pool.add(signed(alice, { gasLimit: 100_000n }));
});

test("oversized data: by add (the encoding's size) and by addRaw (before decoding)", async () => {
  const pool = testPool(testHead(), { maxTxBytes: 1000 });
  const big = signed(alice, { gasLimit: 1_000_000n, data: new Uint8Array(1000) });
  rejects(() => pool.add(big), "OVERSIZED_DATA", "oversized data");
  await rejectsRaw(pool.addRaw(big.raw), "OVERSIZED_DATA", "oversized data");
  // Not even decodable: still "oversized", never a decode error.
  await rejectsRaw(pool.addRaw(new Uint8Array(1001)), "OVERSIZED_DATA", "oversized data");
  // By default there is no limit, as anvil's: a transaction above geth's 128 KiB is taken.
  const byDefault = testPool(testHead());
  const calldata = new Uint8Array(200 * 1024).fill(1);
  const large = signed(alice, { gasLimit: 21_000n + 16n * BigInt(calldata.length), data: calldata });
  assert.equal(await byDefault.addRaw(large.raw), large.hash);
  await byDefault.close();
});

test("max initcode size exceeded (EIP-3860)", () => {
  const pool = testPool(testHead());
  const data = new Uint8Array(49_153);
  rejects(
    () => pool.add(signed(alice, { to: null, data, gasLimit: 10_000_000n })),
    "INITCODE_TOO_LARGE",
    "max initcode size exceeded",
  );
  pool.add(signed(alice, { to: null, data: data.subarray(1), gasLimit: 10_000_000n }));
});

test("invalid chain id: signed for another chain (raw), or a decoded one naming another chain", async () => {
  const pool = testPool(testHead());
  const other = signed(alice, { chainId: 1n });
  await rejectsRaw(pool.addRaw(other.raw), "INVALID_CHAIN_ID", "invalid chain id");
  await rejectsRaw(pool.addRaw(signed(alice, { type: 0, chainId: 1n }).raw), "INVALID_CHAIN_ID", "invalid chain id");
  rejects(() => pool.add(other), "INVALID_CHAIN_ID", "invalid chain id");
  // A pre-EIP-155 legacy transaction names no chain and is accepted.
  const tx = signed(alice, { type: 0, chainId: undefined });
  assert.equal(tx.chainId, undefined);
  assert.equal(await pool.addRaw(tx.raw), tx.hash);
  assert.equal(pool.get(tx.hash)?.chainId, undefined);
});

test("invalid signature: high s, zero r, a v that is no parity", async () => {
  const pool = testPool(testHead());
  const tx = signed(alice);
  const phrase = "invalid signature";
  await rejectsRaw(pool.addRaw(resigned(tx, { s: SECP256K1_N - tx.s, v: 1n - tx.v })), "INVALID_SIGNATURE", phrase);
  await rejectsRaw(pool.addRaw(resigned(tx, { r: 0n })), "INVALID_SIGNATURE", phrase);
  await rejectsRaw(pool.addRaw(resigned(tx, { v: 2n })), "INVALID_SIGNATURE", phrase);
  const legacy = signed(alice, { type: 0 });
  await rejectsRaw(pool.addRaw(resigned(legacy, { v: 30n })), "INVALID_SIGNATURE", phrase);
  assert.equal(pool.size, 0);
});

test("a tampered signature recovers another sender, who has no funds", async () => {
  const pool = testPool(testHead());
  const tx = signed(alice);
  await rejectsRaw(
    pool.addRaw(resigned(tx, { r: tx.r ^ 1n })),
    "INSUFFICIENT_FUNDS",
    "insufficient funds for gas * price + value",
  );
});

test("malformed encodings and unsupported types", async () => {
  const pool = testPool(testHead());
  await rejectsRaw(pool.addRaw(new Uint8Array(0)), "INVALID_ENCODING", "invalid transaction encoding");
  await rejectsRaw(pool.addRaw(new Uint8Array([0xc3, 0x01])), "INVALID_ENCODING", "invalid transaction encoding");
  await rejectsRaw(pool.addRaw(new Uint8Array([0xc1, 0x80])), "INVALID_ENCODING", "invalid transaction encoding");
  const tx = signed(alice);
  await rejectsRaw(
    pool.addRaw(tx.raw.subarray(0, tx.raw.length - 1)),
    "INVALID_ENCODING",
    "invalid transaction encoding",
  );
  const typed = new Uint8Array(tx.raw);
  typed[0] = 4;
  await rejectsRaw(pool.addRaw(typed), "TX_TYPE_NOT_SUPPORTED", "transaction type not supported");
  typed[0] = 0x7e;
  await rejectsRaw(pool.addRaw(typed), "TX_TYPE_NOT_SUPPORTED", "transaction type not supported");
});

test("blob transactions: structure, and the blob fee cap when the head names a blob base fee", () => {
  const head = testHead();
  const pool = testPool(head, { blobBaseFee: () => 2n });
  rejects(
    () => pool.add(signed(alice, { type: 3, blobVersionedHashes: [] })),
    "BLOB_TX_INVALID",
    "invalid blob transaction",
  );
  rejects(
    () => pool.add(signed(alice, { type: 3, blobVersionedHashes: [2n << 248n] })),
    "BLOB_TX_INVALID",
    "invalid blob transaction",
  );
  rejects(
    () => pool.add(signed(alice, { type: 3, blobVersionedHashes: new Array(7).fill(1n << 248n) })),
    "BLOB_TX_INVALID",
    "invalid blob transaction",
  );
  rejects(
    () => pool.add(signed(alice, { type: 3 })),
    "BLOB_FEE_CAP_TOO_LOW",
    "max fee per blob gas less than blob base fee",
  );
  pool.add(signed(alice, { type: 3, maxFeePerBlobGas: 2n }));
});

test("account limit and pool size", () => {
  const pool = testPool(testHead(), { maxPerSender: 2, maxTotal: 3 });
  pool.add(signed(alice, { nonce: 0n }));
  pool.add(signed(alice, { nonce: 5n }));
  rejects(() => pool.add(signed(alice, { nonce: 1n })), "ACCOUNT_LIMIT_EXCEEDED", "account limit exceeded");
  assert.throws(
    () => pool.add(signed(alice, { nonce: 1n })),
    /^TxPoolError: account limit exceeded: 2 transactions from this sender, limit 2$/,
  );
  // A replacement is not an extra transaction.
  pool.add(signed(alice, { nonce: 5n, maxFeePerGas: 3n * GWEI, maxPriorityFeePerGas: 2n * GWEI }));
  pool.add(signed(testKey(1)));
  // Full: a queued transaction is refused; an executable one pushes the queued nonce 5 out.
  rejects(() => pool.add(signed(testKey(2), { nonce: 3n })), "POOL_FULL", "txpool is full");
  const executable = signed(testKey(2));
  pool.add(executable);
  assert.equal(pool.size, 3);
  assert.equal(pool.content().queued.size, 0);
  // Nothing queued is left to push out.
  rejects(() => pool.add(signed(testKey(3))), "POOL_FULL", "txpool is full");
  assert.throws(() => pool.add(signed(testKey(3))), /^TxPoolError: txpool is full: 3 transactions, limit 3$/);
});

test("by default, as anvil's pool: no cap per sender (5,000 from one account, past the 4,096 the pool once had)", () => {
  const pool = testPool(testHead());
  const from = testKey(0).address;
  for (let nonce = 0n; nonce < 5000n; nonce++) pool.add(impersonatedTransfer(from, nonce));
  // Queued behind a gap, too.
  for (let nonce = 6000n; nonce < 11_000n; nonce++) pool.add(impersonatedTransfer(from, nonce));
  assert.deepEqual(pool.status(), { pending: 5000, queued: 5000 });
});

test("byte cap: counts what transactions hold (encoded and decoded calldata); past it queued transactions are refused, executable ones push out the farthest queued", () => {
  const data = (bytes: number) => ({ data: new Uint8Array(bytes).fill(1), gasLimit: 1_000_000n });
  const first = [0n, 4n, 9n].map((nonce) => signed(alice, { ...data(10_000), nonce }));
  const cap = first.reduce((sum, tx) => sum + heldBytes(tx), 0);
  assert.ok(cap > 2 * 30_000, "the calldata copies count");
  const head = testHead();
  const pool = testPool(head, { maxBytes: cap });
  for (const tx of first) pool.add(tx);
  assert.equal(pool.bytes, cap);
  assert.throws(
    () => pool.add(signed(testKey(1), { ...data(10_000), nonce: 2n })),
    new RegExp(`^TxPoolError: txpool is full: ${cap} bytes of transactions, limit ${cap}$`),
  );
  // Executable (and smaller): nonce 9 (farthest from alice's next nonce, 1) goes first, then nonce 4.
  pool.add(signed(testKey(1), data(9_000)));
  assert.deepEqual(
    pool
      .content()
      .queued.get(alice.address)
      ?.map((t) => t.nonce),
    [4n],
  );
  pool.add(signed(testKey(2), data(9_000)));
  assert.equal(pool.content().queued.size, 0);
  rejects(() => pool.add(signed(testKey(3), data(9_000))), "POOL_FULL", "txpool is full");
  // Leaving the pool gives the bytes back: removed, mined (or made stale by the head), cleared.
  const before = pool.bytes;
  const [gone, mined] = pool.pending() as [SignedTransaction, SignedTransaction];
  pool.remove(gone.hash);
  assert.equal(pool.bytes, before - heldBytes(gone));
  applyBlock(head, [mined]);
  pool.revalidate();
  assert.equal(pool.bytes, before - heldBytes(gone) - heldBytes(mined));
  pool.clear();
  assert.equal(pool.bytes, 0);
});
