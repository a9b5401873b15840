import assert from "node:assert/strict";
import { test } from "node:test";
import { EMPTY_CODE_HASH } from "../primitives/keccak.js";
import type { AccountInfo, Host } from "./host.js";
import { Journal } from "./journal.js";

const A = 0xaaaan;
const B = 0xbbbbn;

/** A host with accounts A and B (balance 10 each) and slot 1 of A set to 7; it counts account reads. */
function host(): Host & { accountReads: number } {
  const accounts = new Map<bigint, AccountInfo>([
    [A, { nonce: 0n, balance: 10n, codeHash: EMPTY_CODE_HASH }],
    [B, { nonce: 0n, balance: 10n, codeHash: EMPTY_CODE_HASH }],
  ]);
  return {
    accountReads: 0,
    account(address) {
      this.accountReads++;
      return accounts.get(address);
    },
    code: () => new Uint8Array(0),
    storage: (address, slot) => (address === A && slot === 1n ? 7n : 0n),
    hasStorage: (address) => address === A,
    blockHash: () => 0n,
  };
}

test("an address warmed before its account is loaded stays warm once loaded, and reverts cold", () => {
  const h = host();
  const journal = new Journal(h);
  const outer = journal.checkpoint(0);
  assert.equal(journal.warmAddress(A), true);
  // Warming loads nothing (an executor's read set sees only what execution read).
  assert.equal(h.accountReads, 0);
  assert.equal(journal.account(A).warm, true);
  assert.equal(journal.isWarmAddress(A), true);
  assert.equal(journal.warmAddress(A), false);
  journal.revert(outer);
  assert.equal(journal.isWarmAddress(A), false);
  assert.equal(journal.account(A).warm, false);
  assert.equal(journal.warmAddress(A), true);
});

test("an address warmed after its account is loaded reverts cold at its own checkpoint only", () => {
  const journal = new Journal(host());
  journal.account(B);
  const outer = journal.checkpoint(0);
  journal.account(A);
  assert.equal(journal.isWarmAddress(A), false);
  const inner = journal.checkpoint(1);
  assert.equal(journal.warmAddress(A), true);
  // The lookup cache holds B now: A's flag is read through the map.
  journal.account(B);
  assert.equal(journal.isWarmAddress(A), true);
  assert.equal(journal.warmAddress(B), true);
  journal.revert(inner);
  assert.equal(journal.isWarmAddress(A), false);
  assert.equal(journal.isWarmAddress(B), false);
  // Precompiles are always warm, loaded or not.
  journal.account(1n);
  assert.equal(journal.warmAddress(1n), false);
  assert.equal(journal.isWarmAddress(2n), true);
  journal.revert(outer);
});

test("nested checkpoints revert balances, nonces, storage, transient slots, logs and the refund in order", () => {
  const journal = new Journal(host());
  const a = journal.account(A);
  const b = journal.account(B);
  const outer = journal.checkpoint(0);
  journal.transfer(a, b, 3n);
  journal.setStorage(a, 1n, 8n);
  journal.setTransient(A, 5n, 9n);
  journal.refund = 4;
  journal.addLog({ address: A, topics: [], data: new Uint8Array(0) });
  const inner = journal.checkpoint(1);
  journal.transfer(b, a, 1n);
  journal.incrementNonce(a);
  journal.setStorage(a, 1n, 0n);
  journal.setTransient(A, 5n, 10n);
  journal.refund = 9;
  journal.addLog({ address: B, topics: [], data: new Uint8Array(0) });
  journal.revert(inner);
  assert.deepEqual([a.balance, b.balance, a.nonce], [7n, 13n, 0n]);
  assert.equal(journal.slot(a, 1n).current, 8n);
  assert.equal(journal.getTransient(A, 5n), 9n);
  assert.equal(journal.refund, 4);
  assert.equal(journal.logs.length, 1);
  // The same depth's checkpoint taken again starts from the journal as it is now.
  const again = journal.checkpoint(1);
  journal.setStorage(a, 1n, 2n);
  journal.revert(again);
  assert.equal(journal.slot(a, 1n).current, 8n);
  journal.revert(outer);
  assert.deepEqual([a.balance, b.balance], [10n, 10n]);
  assert.equal(journal.slot(a, 1n).current, 7n);
  assert.equal(journal.getTransient(A, 5n), 0n);
  assert.equal(journal.refund, 0);
  assert.equal(journal.logs.length, 0);
});

test("a reverted creation restores the account, and its code's analysis is dropped with the code", () => {
  const journal = new Journal(host());
  const b = journal.account(B);
  const checkpoint = journal.checkpoint(0);
  journal.markCreated(b);
  journal.setCode(b, new Uint8Array([0x00]), 0x1234n);
  assert.equal(b.analyzed, undefined);
  b.analyzed = { length: 1 } as never;
  journal.revert(checkpoint);
  assert.equal(b.analyzed, undefined);
  assert.equal(b.codeHash, EMPTY_CODE_HASH);
  assert.equal(b.created, false);
  assert.equal(b.storageCleared, false);
});
