// processTransaction's deferCoinbaseFee: the fee leaves the writes only while the transaction never
// loads the coinbase; crediting it afterwards gives exactly the default outcome.
import assert from "node:assert/strict";
import { test } from "node:test";
import { hexToBytes } from "../../primitives/hex.js";
import { EMPTY_CODE_HASH } from "../../primitives/keccak.js";
import { MemoryState } from "../../state/memory-state.js";
import { processTransaction } from "../process-transaction.js";
import { dynamicFeeTx, TEST_BLOCK } from "../testkit.js";
import type { TxInput } from "../types.js";
import { canDeferFees, creditFee } from "./coinbase.js";
import { BlockOverlay } from "./overlay.js";

const SENDER = 0xa1n;
const COINBASE = TEST_BLOCK.coinbase;
const STORE = 0xc1n; // SSTORE(0, 1)
const READ_COINBASE = 0xc2n; // SSTORE(0, BALANCE(COINBASE))

function state(coinbaseBalance: bigint | undefined): MemoryState {
  const s = new MemoryState();
  s.setAccount(SENDER, { nonce: 0n, balance: 10n ** 18n });
  s.setAccount(STORE, { nonce: 1n, balance: 0n, code: hexToBytes("0x6001600055") });
  s.setAccount(READ_COINBASE, { nonce: 1n, balance: 0n, code: hexToBytes("0x413160005500") });
  if (coinbaseBalance !== undefined) s.setAccount(COINBASE, { nonce: 0n, balance: coinbaseBalance });
  return s;
}

function tx(to: bigint, value = 0n): TxInput {
  return dynamicFeeTx({ sender: SENDER, maxPriorityFeePerGas: 3n, to, value });
}

test("a transaction that never loads the coinbase defers its fee; crediting it restores the default", () => {
  for (const coinbaseBalance of [undefined, 0n, 5n]) {
    const s = state(coinbaseBalance);
    if (coinbaseBalance === 0n) s.setAccount(COINBASE, { nonce: 1n, balance: 0n }); // exists, not empty
    const plain = processTransaction(tx(STORE), TEST_BLOCK, s);
    const deferred = processTransaction(tx(STORE), TEST_BLOCK, s, { deferCoinbaseFee: true });
    assert.ok(plain.valid && deferred.valid);
    assert.equal(plain.coinbaseFee, undefined, "the default never defers");
    assert.equal(deferred.coinbaseFee, plain.gasUsed * 3n);
    assert.equal(deferred.writes.has(COINBASE), false);
    const a = new BlockOverlay(s);
    a.apply(plain.writes);
    const b = new BlockOverlay(s);
    b.apply(deferred.writes);
    b.creditCoinbase(COINBASE, deferred.coinbaseFee!);
    assert.deepStrictEqual(b.writes, a.writes);
  }
});

test("a transaction that reads or pays the coinbase gets the default outcome, fee included", () => {
  for (const t of [tx(READ_COINBASE), tx(COINBASE, 1000n)]) {
    const s = state(50n);
    const plain = processTransaction(t, TEST_BLOCK, s);
    const deferred = processTransaction(t, TEST_BLOCK, s, { deferCoinbaseFee: true });
    assert.deepStrictEqual(deferred, plain);
  }
  // Loading it through the access list counts too.
  const s = state(50n);
  const listed = { ...tx(STORE), accessList: [{ address: COINBASE, storageKeys: [1n] }] };
  assert.deepStrictEqual(
    processTransaction(listed, TEST_BLOCK, s, { deferCoinbaseFee: true }),
    processTransaction(listed, TEST_BLOCK, s),
  );
});

test("creditFee and canDeferFees", () => {
  assert.deepStrictEqual(creditFee(undefined, 4n), { nonce: 0n, balance: 4n, codeHash: EMPTY_CODE_HASH });
  assert.equal(creditFee(undefined, 0n), undefined);
  assert.deepStrictEqual(creditFee({ nonce: 2n, balance: 1n, codeHash: 9n }, 4n), {
    nonce: 2n,
    balance: 5n,
    codeHash: 9n,
  });
  assert.equal(canDeferFees(state(undefined), COINBASE), true);
  assert.equal(canDeferFees(state(1n), COINBASE), true);
  assert.equal(canDeferFees(state(0n), COINBASE), false, "an existing empty coinbase");
});
