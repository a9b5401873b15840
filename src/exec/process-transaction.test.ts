import assert from "node:assert/strict";
import { test } from "node:test";
import { ExecutionInterrupted, watchInterrupt } from "../evm/interrupt.js";
import { hexToBytes } from "../primitives/hex.js";
import { MemoryState } from "../state/memory-state.js";
import { processTransaction } from "./process-transaction.js";
import { dynamicFeeTx, TEST_BLOCK } from "./testkit.js";
import type { TxInput } from "./types.js";

const SENDER = 0xa94f5374fce5edbc8e2a8697c15331677e6ebf0bn;
const CONTRACT = 0xc0den;
const COINBASE = TEST_BLOCK.coinbase;

function tx(overrides: Partial<TxInput> = {}): TxInput {
  return dynamicFeeTx({ sender: SENDER, maxPriorityFeePerGas: 2n, to: CONTRACT, ...overrides });
}

function state(code: string): MemoryState {
  const s = new MemoryState();
  s.setAccount(SENDER, { nonce: 0n, balance: 10n ** 18n });
  s.setAccount(CONTRACT, { nonce: 1n, balance: 0n, code: hexToBytes(code) });
  return s;
}

test("a store of 1+1 charges cold SSTORE and pays the coinbase the priority fee", () => {
  // PUSH1 1 PUSH1 1 ADD PUSH1 0 SSTORE STOP
  const out = processTransaction(tx(), TEST_BLOCK, state("0x600160010160005500"));
  assert.ok(out.valid);
  assert.equal(out.status, 1);
  // 21000 + 3*3 (pushes) + 3 (add) + 22100 (cold SSTORE of a zero slot)
  assert.equal(out.gasUsed, 21000n + 12n + 22100n);
  assert.equal(out.writes.get(CONTRACT)?.storage.get(0n), 2n);
  assert.equal(out.writes.get(COINBASE)?.balance, out.gasUsed * 2n);
});

test("REVERT undoes storage and returns its data with status 0", () => {
  // PUSH1 1 PUSH1 0 SSTORE PUSH1 0x2a PUSH1 0 MSTORE PUSH1 32 PUSH1 0 REVERT
  const out = processTransaction(tx(), TEST_BLOCK, state("0x6001600055602a60005260206000fd"));
  assert.ok(out.valid);
  assert.equal(out.status, 0);
  assert.equal(out.output.length, 32);
  assert.equal(out.output[31], 0x2a);
  assert.equal(out.writes.get(CONTRACT), undefined);
});

test("an invalid opcode consumes all gas", () => {
  const out = processTransaction(tx(), TEST_BLOCK, state("0xfe"));
  assert.ok(out.valid);
  assert.equal(out.status, 0);
  assert.equal(out.gasUsed, 100_000n);
});

test("invalid transactions are rejected with a typed reason, never a crash", () => {
  const s = state("0x00");
  const cases: [Partial<TxInput>, string][] = [
    [{ nonce: 1n }, "NONCE_TOO_HIGH"],
    [{ gasLimit: 20_000n }, "INTRINSIC_GAS_TOO_LOW"],
    [{ maxFeePerGas: 5n, maxPriorityFeePerGas: 1n }, "FEE_CAP_BELOW_BASE_FEE"],
    [{ maxPriorityFeePerGas: 30n }, "PRIORITY_FEE_ABOVE_FEE_CAP"],
    [{ value: 10n ** 19n }, "INSUFFICIENT_FUNDS"],
    [{ chainId: 5n }, "WRONG_CHAIN_ID"],
    [{ value: 2n ** 256n }, "VALUE_OVERFLOW"],
    [{ type: 3, blobVersionedHashes: [] }, "BLOB_TX_NO_BLOBS"],
    [{ type: 3, to: null, blobVersionedHashes: [1n << 248n] }, "BLOB_TX_CREATE"],
    [{ type: 3, maxFeePerBlobGas: 1n, blobVersionedHashes: [2n << 248n] }, "BLOB_HASH_VERSION"],
    [{ gasLimit: 40_000_000n }, "GAS_LIMIT_EXCEEDS_BLOCK"],
    [{ to: null, data: new Uint8Array(50_000), gasLimit: 1_000_000n }, "INITCODE_TOO_LARGE"],
  ];
  for (const [overrides, reason] of cases) {
    const out = processTransaction(tx(overrides), TEST_BLOCK, s);
    assert.equal(out.valid, false, reason);
    if (!out.valid) assert.equal(out.error.reason, reason);
  }
});

test("contract creation deploys the returned code at the sender-and-nonce address", () => {
  // initcode: return the 1-byte runtime 0x00 -> PUSH1 0 PUSH1 0 MSTORE8 PUSH1 1 PUSH1 0 RETURN
  const out = processTransaction(
    tx({ to: null, data: hexToBytes("0x6000600053600160 00f3".replace(" ", "")) }),
    TEST_BLOCK,
    state("0x00"),
  );
  assert.ok(out.valid);
  assert.equal(out.status, 1);
  assert.equal(out.createdAddress, 0x6295ee1b4f6dd65047762f924ecd367c17eabf8fn);
  assert.equal(out.writes.get(out.createdAddress!)?.code?.length, 1);
});

test("gas is charged per basic block, yet GAS and a halt midway through a block see it opcode by opcode", () => {
  // PUSH1 1 POP GAS PUSH1 0 SSTORE STOP: GAS pushes what is left after PUSH1, POP and itself.
  const stored = processTransaction(tx(), TEST_BLOCK, state("0x6001505a60005500"));
  assert.ok(stored.valid);
  assert.equal(stored.writes.get(CONTRACT)?.storage.get(0n), 100_000n - 21_000n - 3n - 2n - 2n);
  const halt = (code: string, gasLimit = 100_000n) => {
    const out = processTransaction(tx({ gasLimit }), TEST_BLOCK, state(code));
    assert.ok(out.valid);
    return out.halt;
  };
  // PUSH1 1 PUSH1 2 ADD ADD STOP: the second ADD underflows, after three opcodes of the block ran.
  assert.equal(halt("0x600160020101"), "stack underflow (1 <=> 2)");
  // Five PUSH1s cost 15 gas; with 21,012 the block cannot be charged whole, and the fifth runs out.
  assert.equal(halt("0x60016001600160016001", 21_012n), "out of gas");
});

test("a top-frame exceptional halt comes out as geth's message; a revert or a sub-call's halt does not", () => {
  const halt = (code: string) => {
    const out = processTransaction(tx(), TEST_BLOCK, state(code));
    assert.ok(out.valid);
    return out.halt;
  };
  assert.equal(halt("0xfe"), "invalid opcode: INVALID");
  assert.equal(halt("0x01"), "stack underflow (0 <=> 2)");
  assert.equal(halt("0x5b600056"), "out of gas");
  assert.equal(halt("0x600056"), "invalid jump destination");
  assert.equal(halt("0x60006000fd"), undefined);
  // CALL(gas, 0xbad, ...) where 0xbad's code is INVALID, then STOP: the transaction succeeds.
  const s = state("0x60006000600060006000610bad5af15000");
  s.setAccount(0xbadn, { nonce: 1n, balance: 0n, code: hexToBytes("0xfe") });
  const out = processTransaction(tx(), TEST_BLOCK, s);
  assert.ok(out.valid);
  assert.equal(out.status, 1);
  assert.equal(out.halt, undefined);
  // A precompile called directly: bn254 mul of a point not on the curve.
  const bad = processTransaction(tx({ to: 7n, data: new Uint8Array(96).fill(1) }), TEST_BLOCK, s);
  assert.ok(bad.valid);
  assert.equal(bad.halt, "precompile failed");
});

test("a set interrupt word stops a running transaction with ExecutionInterrupted", () => {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  watchInterrupt(flag);
  try {
    const loop = state("0x5b600056");
    Atomics.store(flag, 0, 1);
    assert.throws(() => processTransaction(tx(), TEST_BLOCK, loop), ExecutionInterrupted);
    Atomics.store(flag, 0, 0);
    const out = processTransaction(tx(), TEST_BLOCK, loop);
    assert.ok(out.valid);
    assert.equal(out.halt, "out of gas");
  } finally {
    watchInterrupt(new Int32Array(1));
  }
});
