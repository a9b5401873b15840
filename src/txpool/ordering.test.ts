import assert from "node:assert/strict";
import { test } from "node:test";
import type { SignedTransaction } from "../chain/types.js";
import { orderByPriceAndNonce, type RunSteps, tipNumber } from "./ordering.js";
import { effectiveTip } from "./price.js";
import { type PoolEntry, poolEntry } from "./sender-txs.js";

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

/** The order of whole runs given as arrays (each run's entries in nonce order). */
function order(
  runs: PoolEntry[][],
  baseFee: bigint,
  limit?: number,
  more: Partial<RunSteps> = {},
): SignedTransaction[] {
  const after = new Map<PoolEntry, PoolEntry>();
  for (const run of runs) for (let i = 0; i + 1 < run.length; i++) after.set(run[i]!, run[i + 1]!);
  const firsts = runs.flatMap((run) => (run.length > 0 ? [run[0]!] : []));
  return orderByPriceAndNonce(firsts, baseFee, { next: (e) => after.get(e), ...more }, limit);
}

/** 30 random pools of up to 8 senders, each with a run of up to 6 transactions. */
function randomPools(): { runs: PoolEntry[][]; baseFee: bigint }[] {
  const next = random(42);
  const pools: { runs: PoolEntry[][]; baseFee: bigint }[] = [];
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
        run.push({ ...poolEntry(tx, Math.floor(next() * 1000) * 100 + seq++), pending: true });
      }
      runs.push(run);
    }
    pools.push({ runs, baseFee });
  }
  return pools;
}

test("random pools: nonce order per sender, and each pick the best head (ties by arrival)", () => {
  for (const { runs, baseFee } of randomPools()) {
    const out = order(runs, baseFee);
    assert.ok(out.length > 0 || runs.every((run) => effectiveTip(run[0]!.tx, baseFee) < 0n));

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
  assert.deepEqual(order([], 1n), []);
  assert.deepEqual(order([[]], 1n), []);
});

test("a limit takes the order's first transactions; a skipped one is passed over and not counted", () => {
  for (const { runs, baseFee } of randomPools()) {
    const whole = order(runs, baseFee);
    for (const limit of [0, 1, 3, whole.length - 1, whole.length + 5]) {
      assert.deepEqual(order(runs, baseFee, limit), whole.slice(0, Math.max(limit, 0)));
    }
    // Skip every other transaction of the whole order: the rest keep their order, `limit` of them.
    const skipped = new Set(whole.filter((_, i) => i % 2 === 0));
    const kept = whole.filter((tx) => !skipped.has(tx));
    const skip = (e: PoolEntry) => skipped.has(e.tx);
    assert.deepEqual(order(runs, baseFee, undefined, { skip }), kept);
    assert.deepEqual(order(runs, baseFee, 2, { skip }), kept.slice(0, 2));
  }
});

test("a run is confirmed once, when it first reaches the top: it may start later, or not at all", () => {
  for (const { runs, baseFee } of randomPools()) {
    // The sender's nonce moved on by one since the runs were found: each run starts at its second
    // entry (sender 1's run has none to run now).
    const asked: PoolEntry[] = [];
    const confirm = (first: PoolEntry): PoolEntry | undefined => {
      asked.push(first);
      const run = runs.find((r) => r[0] === first)!;
      return first.tx.sender === 1n ? undefined : run[1];
    };
    // Runs whose first transaction is priced out never run, confirmed or not.
    const moved = runs.map((run) =>
      effectiveTip(run[0]!.tx, baseFee) < 0n ? run : run[0]!.tx.sender === 1n ? [] : run.slice(1),
    );
    const out = order(runs, baseFee, undefined, { confirm });
    // A moved run is placed by its new first transaction once confirmed, not before: the same
    // transactions, each sender's in nonce order from where it starts now.
    const expected = order(moved, baseFee);
    assert.deepEqual(new Set(out), new Set(expected));
    assert.equal(out.length, expected.length);
    for (const run of moved) {
      const sender = out.filter((tx) => run.some((e) => e.tx === tx));
      assert.deepEqual(
        sender,
        run.slice(0, sender.length).map((e) => e.tx),
      );
    }
    assert.equal(new Set(asked).size, asked.length, "each run confirmed at most once");
  }
});

test("tips of 2^53 wei and more that a Number rounds together still order exactly", () => {
  const big = 1n << 60n;
  // Equal fee caps, so each tip is its own; the lower tip arrived first.
  const [low, high] = [big, big + 1n].map((tip, i): PoolEntry[] => [
    { ...poolEntry(fakeTx(BigInt(i + 1), 0n, big + 10n, tip, false), i), pending: true },
  ]);
  assert.equal(Number(big), Number(big + 1n), "the two tips are one Number");
  assert.deepEqual(order([low!, high!], 0n), [high![0]!.tx, low![0]!.tx]);
});

test("tipNumber: the BigInt tip's Number, its sign exact, for caps and base fees on either side of 2^53 and 2^54", () => {
  const next = random(7);
  const around = [0n, 1n, 2n ** 52n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 54n - 1n, 2n ** 54n, 10n ** 30n];
  const pick = () => around[Math.floor(next() * around.length)]! + BigInt(Math.floor(next() * 3)) - 1n;
  for (let i = 0; i < 3000; i++) {
    const [cap, tip, baseFee] = [pick(), pick(), pick()].map((v) => (v < 0n ? 0n : v));
    const entry = poolEntry(fakeTx(1n, 0n, cap!, tip!, next() < 0.3), i);
    const exact = effectiveTip(entry.tx, baseFee!);
    const number = tipNumber(entry, baseFee!, Number(baseFee!));
    assert.equal(number, Number(exact), `cap ${cap} tip ${tip} base fee ${baseFee}`);
    assert.equal(number < 0, exact < 0n);
  }
});
