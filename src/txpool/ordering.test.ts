import assert from "node:assert/strict";
import { test } from "node:test";
import type { SignedTransaction } from "../chain/types.js";
import { orderByPriceAndNonce } from "./ordering.js";
import { effectiveTip } from "./price.js";
import type { PoolEntry } from "./sender-txs.js";

/** A deterministic PRNG (mulberry32), so a failure repeats. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fakeTx(sender: bigint, nonce: bigint, maxFee: bigint, tip: bigint, legacy: boolean): SignedTransaction {
  const base = { sender, nonce, gasLimit: 21_000n, to: 1n, value: 0n, data: new Uint8Array(0), accessList: [] };
  const sig = { hash: (sender << 64n) | nonce, raw: new Uint8Array(0), v: 0n, r: 1n, s: 1n };
  return legacy
    ? { ...base, ...sig, type: 0, gasPrice: maxFee }
    : { ...base, ...sig, type: 2, chainId: 1n, maxFeePerGas: maxFee, maxPriorityFeePerGas: tip };
}

test("random pools: nonce order per sender, and each pick the best head (ties by arrival)", () => {
  const next = random(42);
  for (let round = 0; round < 30; round++) {
    const baseFee = BigInt(Math.floor(next() * 20));
    const runs: PoolEntry[][] = [];
    let seq = 0;
    const senders = 1 + Math.floor(next() * 8);
    for (let s = 0; s < senders; s++) {
      const run: PoolEntry[] = [];
      const length = 1 + Math.floor(next() * 6);
      for (let n = 0; n < length; n++) {
        const maxFee = BigInt(Math.floor(next() * 40));
        const tip = BigInt(Math.floor(next() * Number(maxFee + 1n)));
        const tx = fakeTx(BigInt(s + 1), BigInt(n), maxFee, tip, next() < 0.3);
        run.push({ tx, seq: Math.floor(next() * 1000) * 100 + seq++, pending: true });
      }
      runs.push(run);
    }
    const out = orderByPriceAndNonce(runs, baseFee);

    // Replay: keep each sender's position; every pick must be the best head at that moment.
    const position = new Map<bigint, number>();
    const head = (run: PoolEntry[]) => run[position.get(run[0]!.tx.sender) ?? 0];
    const executable = (e: PoolEntry | undefined) => e !== undefined && effectiveTip(e.tx, baseFee) >= 0n;
    for (const tx of out) {
      const run = runs.find((r) => r[0]!.tx.sender === tx.sender)!;
      const picked = head(run)!;
      assert.equal(picked.tx, tx, "a sender's transactions come in nonce order");
      const tip = effectiveTip(tx, baseFee);
      assert.ok(tip >= 0n);
      for (const other of runs) {
        const h = head(other);
        if (other === run || !executable(h)) continue;
        const otherTip = effectiveTip(h!.tx, baseFee);
        assert.ok(otherTip < tip || (otherTip === tip && h!.seq > picked.seq), "the best head is picked");
      }
      position.set(tx.sender, (position.get(tx.sender) ?? 0) + 1);
    }
    // Nothing executable is left behind: every run stopped at its end or at a fee cap below the base fee.
    for (const run of runs) assert.ok(!executable(head(run)));
  }
});

test("no runs, empty runs", () => {
  assert.deepEqual(orderByPriceAndNonce([], 1n), []);
  assert.deepEqual(orderByPriceAndNonce([[]], 1n), []);
});
