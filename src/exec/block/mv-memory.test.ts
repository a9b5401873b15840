import assert from "node:assert/strict";
import { test } from "node:test";
import type { AccountWrite, StateWrites } from "../../evm/host.js";
import { EMPTY_CODE_HASH } from "../../primitives/keccak.js";
import { MemoryState } from "../../state/memory-state.js";
import { MVMemory, ReadBlocked } from "./mv-memory.js";
import { VersionedHost } from "./versioned-host.js";

const A = 0xan;
const COINBASE = 0xcbn;

function write(balance: bigint, storage: [bigint, bigint][] = [], cleared = false): AccountWrite {
  return {
    deleted: false,
    nonce: 1n,
    balance,
    codeHash: EMPTY_CODE_HASH,
    storageCleared: cleared,
    storage: new Map(storage),
  };
}

const one = (address: bigint, w: AccountWrite): StateWrites => new Map([[address, w]]);

function base(): MemoryState {
  const s = new MemoryState();
  s.setAccount(A, {
    nonce: 1n,
    balance: 100n,
    storage: new Map([
      [1n, 11n],
      [2n, 22n],
    ]),
  });
  s.setAccount(COINBASE, { nonce: 0n, balance: 1000n });
  return s;
}

test("a read sees the highest version below the reader, else the base state", () => {
  const mv = new MVMemory(5, base(), COINBASE);
  mv.record(1, 0, [], one(A, write(7n, [[1n, 5n]])), undefined);
  mv.record(3, 0, [], one(A, write(9n, [[1n, 0n]])), undefined);
  assert.equal(new VersionedHost(mv, 0).account(A)?.balance, 100n);
  assert.equal(new VersionedHost(mv, 1).account(A)?.balance, 100n);
  assert.equal(new VersionedHost(mv, 2).account(A)?.balance, 7n);
  assert.equal(new VersionedHost(mv, 4).account(A)?.balance, 9n);
  assert.equal(new VersionedHost(mv, 2).storage(A, 1n), 5n);
  assert.equal(new VersionedHost(mv, 4).storage(A, 1n), 0n, "0 deletes the slot");
  assert.equal(new VersionedHost(mv, 4).storage(A, 2n), 22n);
});

test("a storage clear zeroes every slot from its transaction on, except slots it wrote itself", () => {
  const mv = new MVMemory(4, base(), COINBASE);
  mv.record(1, 0, [], one(A, write(1n, [[2n, 8n]], true)), undefined);
  const host = new VersionedHost(mv, 2);
  assert.equal(host.storage(A, 1n), 0n);
  assert.equal(host.storage(A, 2n), 8n);
  assert.equal(host.hasStorage(A), true);
  assert.equal(new VersionedHost(mv, 1).storage(A, 1n), 11n);
  mv.record(1, 1, [], one(A, write(1n, [], true)), undefined);
  assert.equal(new VersionedHost(mv, 2).hasStorage(A), false);
  assert.equal(new VersionedHost(mv, 2).storage(A, 2n), 0n, "the slot the old incarnation wrote is gone");
});

test("deferred fees add up at the coinbase, and only a coinbase read depends on them", () => {
  const mv = new MVMemory(5, base(), COINBASE);
  mv.record(0, 0, [], one(A, write(1n)), 3n);
  mv.record(1, 0, [], one(COINBASE, write(50n)), undefined);
  mv.record(2, 0, [], new Map(), 4n);
  mv.record(3, 0, [], new Map(), 5n);
  assert.equal(new VersionedHost(mv, 1).account(COINBASE)?.balance, 1003n);
  const host = new VersionedHost(mv, 4);
  assert.equal(host.account(COINBASE)?.balance, 59n);
  assert.deepStrictEqual(host.reads[0], { kind: 0, address: COINBASE, versions: [3, 0, 2, 0, 1, 0] });
  assert.equal(new VersionedHost(mv, 4).account(A)?.balance, 1n);
});

test("an ESTIMATE blocks readers; validation fails on a changed or blocked read", () => {
  const mv = new MVMemory(3, base(), COINBASE);
  mv.record(0, 0, [], one(A, write(7n)), undefined);
  const reader = new VersionedHost(mv, 2);
  assert.equal(reader.account(A)?.balance, 7n);
  assert.equal(mv.record(2, 0, reader.reads, new Map(), undefined), false);
  assert.equal(mv.validateReadSet(2), true);

  mv.convertWritesToEstimates(0);
  assert.throws(
    () => new VersionedHost(mv, 1).account(A),
    (e) => e instanceof ReadBlocked && e.txIndex === 0,
  );
  assert.equal(mv.validateReadSet(2), false);

  // Re-executed with the same value: a new incarnation is still a different version.
  assert.equal(mv.record(0, 1, [], one(A, write(7n)), undefined), false, "same location, not new");
  assert.equal(mv.validateReadSet(2), false);
  assert.equal(mv.record(0, 2, [], one(A, write(7n, [[3n, 1n]])), undefined), true, "a new slot is new");
});
