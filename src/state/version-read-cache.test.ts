import assert from "node:assert/strict";
import { test } from "node:test";
import type { AccountInfo } from "../evm/host.js";
import { MemoryState } from "./memory-state.js";
import { VersionReadCache } from "./version-read-cache.js";

const A = 0xaan;
const B = 0xbbn;

/** A MemoryState that counts the reads that reach it. */
function countingState(): { state: MemoryState; reads: () => number } {
  const state = new MemoryState();
  let reads = 0;
  const account = state.account.bind(state);
  const storage = state.storage.bind(state);
  state.account = (address: bigint): AccountInfo | undefined => {
    reads++;
    return account(address);
  };
  state.storage = (address: bigint, slot: bigint): bigint => {
    reads++;
    return storage(address, slot);
  };
  return { state, reads: () => reads };
}

test("reads of one version are answered once from the base, then from the cache, absent ones too", () => {
  const { state, reads } = countingState();
  state.setAccount(A, { nonce: 1n, balance: 5n, storage: new Map([[1n, 7n]]) });
  const cache = new VersionReadCache(100);
  for (let request = 0; request < 3; request++) {
    const host = cache.over(state, 1n);
    assert.equal(host.account(A)?.balance, 5n);
    assert.equal(host.account(B), undefined);
    assert.equal(host.storage(A, 1n), 7n);
    assert.equal(host.storage(A, 2n), 0n);
  }
  assert.equal(reads(), 4);
  assert.deepEqual(cache.stats(), { entries: 4, hits: 8, misses: 4 });
});

test("a new state version drops what was read at the last one", () => {
  const { state, reads } = countingState();
  state.setAccount(A, { nonce: 1n, balance: 5n, storage: new Map([[1n, 7n]]) });
  const cache = new VersionReadCache(100);
  assert.equal(cache.over(state, 1n).storage(A, 1n), 7n);
  state.setAccount(A, { nonce: 1n, balance: 6n, storage: new Map([[1n, 8n]]) });
  const host = cache.over(state, 2n);
  assert.equal(host.storage(A, 1n), 8n);
  assert.equal(host.account(A)?.balance, 6n);
  assert.equal(reads(), 3);
});

test("at its size the cache starts over; with size 0 every read goes to the base", () => {
  const { state, reads } = countingState();
  const small = new VersionReadCache(2);
  const host = small.over(state, 1n);
  for (const slot of [1n, 2n, 3n]) host.storage(A, slot);
  assert.equal(small.stats().entries, 1); // slots 1 and 2 went when slot 3 came
  host.storage(A, 3n);
  host.storage(A, 1n);
  assert.equal(reads(), 4);

  const none = new VersionReadCache(0).over(state, 1n);
  none.storage(A, 1n);
  none.storage(A, 1n);
  assert.equal(reads(), 6);
});

test("code is read from the base once per version, then from the cache", () => {
  const state = new MemoryState();
  state.setAccount(A, { nonce: 1n, balance: 0n, code: Uint8Array.from([0x60, 0x00]) });
  let reads = 0;
  const code = state.code.bind(state);
  state.code = (address: bigint): Uint8Array => {
    reads++;
    return code(address);
  };
  const cache = new VersionReadCache(100);
  for (let i = 0; i < 3; i++) assert.deepEqual(cache.over(state, 1n).code(A), Uint8Array.from([0x60, 0x00]));
  assert.equal(reads, 1);
  state.setAccount(A, { nonce: 1n, balance: 0n, code: Uint8Array.from([0x00]) });
  assert.deepEqual(cache.over(state, 2n).code(A), Uint8Array.from([0x00]));
  assert.equal(reads, 2);
});
