import assert from "node:assert/strict";
import { test } from "node:test";
import type { SignedTransaction } from "../chain/types.js";
import { type PoolEntry, poolEntry, SenderTxs } from "./sender-txs.js";

let seq = 0;
function entry(nonce: bigint): PoolEntry {
  const tx = { nonce, hash: BigInt(++seq) } as SignedTransaction;
  return poolEntry(tx, seq);
}

const nonces = (entries: PoolEntry[]) => entries.map((e) => e.tx.nonce);

test("put: a gap queues, closing it promotes the run behind it; a replacement keeps its place", () => {
  const s = new SenderTxs(5n);
  assert.deepEqual(nonces(s.put(entry(7n))), []);
  assert.deepEqual(nonces(s.put(entry(8n))), []);
  assert.deepEqual(nonces(s.put(entry(5n))), [5n]);
  assert.equal(s.pendingCount, 1);
  assert.deepEqual(nonces(s.put(entry(6n))), [6n, 7n, 8n]);
  assert.equal(s.pendingCount, 4);
  assert.deepEqual(nonces(s.put(entry(10n))), []);
  const replacement = entry(6n);
  assert.deepEqual(s.put(replacement), [replacement]);
  assert.equal(s.byNonce.get(6n), replacement);
  assert.deepEqual(s.put(entry(10n)), []);
  assert.deepEqual(nonces(s.pendingRun()), [5n, 6n, 7n, 8n]);
  assert.deepEqual(nonces(s.queuedRun()), [10n]);
});

test("delete: the pending run ends before the removed nonce", () => {
  const s = new SenderTxs(0n);
  for (const n of [0n, 1n, 2n, 3n]) s.put(entry(n));
  assert.equal(s.delete(9n), undefined);
  assert.equal(s.delete(2n)?.tx.nonce, 2n);
  assert.equal(s.pendingCount, 2);
  assert.deepEqual(nonces(s.queuedRun()), [3n]);
  assert.equal(s.byNonce.get(3n)!.pending, false);
  s.delete(3n);
  assert.equal(s.pendingCount, 2);
  assert.equal(s.size, 2);
});

test("rebase: forward drops the used nonces and promotes; backward queues", () => {
  const s = new SenderTxs(0n);
  for (const n of [0n, 1n, 3n, 4n]) s.put(entry(n));
  const forward = s.rebase(3n);
  assert.deepEqual(nonces(forward.stale).sort(), [0n, 1n]);
  assert.deepEqual(nonces(forward.promoted), [3n, 4n]);
  assert.deepEqual(nonces(s.pendingRun()), [3n, 4n]);
  const backward = s.rebase(2n);
  assert.deepEqual(backward, { stale: [], promoted: [] });
  assert.equal(s.pendingCount, 0);
  assert.deepEqual(nonces(s.queuedRun()), [3n, 4n]);
  assert.deepEqual(nonces(s.put(entry(2n))), [2n, 3n, 4n]);
});

test("first: always the entry at the base, through random puts, replacements, deletes and rebases", () => {
  let seed = 11;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const s = new SenderTxs(3n);
  for (let step = 0; step < 2000; step++) {
    const nonce = BigInt(Math.floor(next() * 12));
    const op = next();
    if (op < 0.55) s.put(entry(nonce));
    else if (op < 0.9) s.delete(nonce);
    else s.rebase(nonce);
    assert.equal(s.first, s.byNonce.get(s.base), `step ${step}`);
  }
});
