// The pool's bookkeeping: replacement, pending vs queued and gap promotion, block order, what a new
// block does (onBlock), events, removal and the read views.
import assert from "node:assert/strict";
import { test } from "node:test";
import { impersonatedTransaction } from "../chain/transaction.js";
import type { SignedTransaction } from "../chain/types.js";
import { EMPTY_CODE_HASH } from "../primitives/keccak.js";
import type { MemoryState } from "../state/memory-state.js";
import { TxPoolError } from "./errors.js";
import { applyBlock, ETHER, GWEI, signed, testHead, testKey, testPool } from "./testkit.js";

const [alice, bob, carol] = [testKey(0), testKey(1), testKey(2)];

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof TxPoolError) return e.code;
    throw e;
  }
  return undefined;
}

function nonces(txs: readonly SignedTransaction[]): bigint[] {
  return txs.map((t) => t.nonce);
}

/** `state`, telling `read` each account the pool reads. */
function countingReads(state: MemoryState, read: bigint[]): MemoryState {
  return new Proxy(state, {
    get(target, property) {
      if (property === "account")
        return (address: bigint) => {
          read.push(address);
          return target.account(address);
        };
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function fees(maxFee: bigint, tip: bigint) {
  return { maxFeePerGas: maxFee, maxPriorityFeePerGas: tip };
}

// --- replacement ---------------------------------------------------------------------------------

test("by default, anvil's rule: any higher fee cap replaces, whatever the tip; the old transaction leaves the pool", () => {
  const pool = testPool(testHead());
  const old = signed(alice, fees(100n * GWEI, 10n * GWEI));
  pool.add(old);
  // An equal fee cap is underpriced, even with a higher tip or other data.
  assert.throws(
    () => pool.add(signed(alice, fees(100n * GWEI, 20n * GWEI))),
    /^TxPoolError: replacement transaction underpriced: nonce 0 is taken; a replacement needs maxFeePerGas >= 100000000001$/,
  );
  assert.equal(
    code(() => pool.add(signed(alice, { ...fees(100n * GWEI, 10n * GWEI), value: 1n }))),
    "REPLACEMENT_UNDERPRICED",
  );
  // One wei more on the fee cap is enough, with a lower tip too.
  const replacement = signed(alice, fees(100n * GWEI + 1n, GWEI));
  pool.add(replacement);
  assert.equal(pool.get(old.hash), undefined);
  assert.deepEqual(pool.pending(), [replacement]);
  // Legacy: gasPrice is the fee cap; queued transactions follow the same rule.
  pool.add(signed(bob, { type: 0, gasPrice: 10n * GWEI }));
  assert.equal(
    code(() => pool.add(signed(bob, { type: 0, gasPrice: 10n * GWEI, value: 1n }))),
    "REPLACEMENT_UNDERPRICED",
  );
  pool.add(signed(bob, { type: 0, gasPrice: 10n * GWEI + 1n }));
  pool.add(signed(bob, { nonce: 5n }));
  assert.equal(
    code(() => pool.add(signed(bob, { nonce: 5n, value: 1n }))),
    "REPLACEMENT_UNDERPRICED",
  );
  pool.add(signed(bob, { nonce: 5n, ...fees(2n * GWEI + 1n, 1n) }));
  assert.deepEqual(pool.status(), { pending: 2, queued: 1 });
});

test("with a price bump (geth's rule), a replacement needs both caps that much higher; the old transaction leaves the pool", () => {
  const pool = testPool(testHead(), { priceBump: 10 });
  const old = signed(alice, fees(100n * GWEI, 10n * GWEI));
  pool.add(old);
  // 9% more on both, 10% on only one of them, and equal caps with other data: all underpriced.
  assert.equal(
    code(() => pool.add(signed(alice, fees(109n * GWEI, 11n * GWEI)))),
    "REPLACEMENT_UNDERPRICED",
  );
  assert.equal(
    code(() => pool.add(signed(alice, fees(110n * GWEI, 10n * GWEI)))),
    "REPLACEMENT_UNDERPRICED",
  );
  assert.equal(
    code(() => pool.add(signed(alice, fees(200n * GWEI, 10n * GWEI + 1n)))),
    "REPLACEMENT_UNDERPRICED",
  );
  assert.equal(
    code(() => pool.add(signed(alice, { ...fees(100n * GWEI, 10n * GWEI), value: 1n }))),
    "REPLACEMENT_UNDERPRICED",
  );
  assert.throws(
    () => pool.add(signed(alice, fees(109n * GWEI, 11n * GWEI))),
    /^TxPoolError: replacement transaction underpriced: nonce 0 is taken; a replacement needs maxFeePerGas >= 110000000000 and maxPriorityFeePerGas >= 11000000000$/,
  );
  assert.equal(pool.get(old.hash), old);

  const replacement = signed(alice, fees(110n * GWEI, 11n * GWEI));
  pool.add(replacement);
  assert.equal(pool.get(old.hash), undefined);
  assert.equal(pool.get(replacement.hash), replacement);
  assert.deepEqual(pool.pending(), [replacement]);
  assert.deepEqual(pool.status(), { pending: 1, queued: 0 });
  // The old one may come back only as a new, better-priced transaction; as itself it is underpriced.
  assert.equal(
    code(() => pool.add(old)),
    "REPLACEMENT_UNDERPRICED",
  );
});

test("replacement of legacy and queued transactions; a custom price bump", () => {
  const pool = testPool(testHead(), { priceBump: 50 });
  pool.add(signed(alice, { type: 0, gasPrice: 10n * GWEI }));
  assert.equal(
    code(() => pool.add(signed(alice, { type: 0, gasPrice: 14n * GWEI }))),
    "REPLACEMENT_UNDERPRICED",
  );
  pool.add(signed(alice, { type: 0, gasPrice: 15n * GWEI }));
  // A dynamic-fee replacement of a legacy one compares gasPrice as both caps.
  assert.equal(
    code(() => pool.add(signed(alice, fees(30n * GWEI, 22n * GWEI)))),
    "REPLACEMENT_UNDERPRICED",
  );
  pool.add(signed(alice, fees(30n * GWEI, 23n * GWEI)));

  const queued = signed(alice, { nonce: 3n });
  pool.add(queued);
  assert.equal(
    code(() => pool.add(signed(alice, { nonce: 3n, ...fees(3n * GWEI, GWEI) }))),
    "REPLACEMENT_UNDERPRICED",
  );
  const better = signed(alice, { nonce: 3n, ...fees(3n * GWEI, (3n * GWEI) / 2n) });
  pool.add(better);
  assert.deepEqual(pool.content().queued.get(alice.address), [better]);
  assert.deepEqual(pool.status(), { pending: 1, queued: 1 });
});

test("with no price bump a replacement still must be strictly higher", () => {
  const head = testHead();
  head.baseFee = 1n;
  const pool = testPool(head, { priceBump: 0 });
  pool.add(signed(alice, fees(10n, 5n)));
  assert.equal(
    code(() => pool.add(signed(alice, { ...fees(10n, 5n), value: 1n }))),
    "REPLACEMENT_UNDERPRICED",
  );
  pool.add(signed(alice, fees(11n, 6n)));
});

test("a replacement must still be affordable", () => {
  const head = testHead();
  head.state.setAccount(alice.address, { nonce: 0n, balance: 21_000n * 3n * GWEI });
  const pool = testPool(head);
  pool.add(signed(alice));
  assert.equal(
    code(() => pool.add(signed(alice, fees(4n * GWEI, 2n * GWEI)))),
    "INSUFFICIENT_FUNDS",
  );
});

// --- pending and queued ----------------------------------------------------------------------------

test("a nonce gap queues; filling it promotes the run behind it, in order, with events", () => {
  const pool = testPool(testHead());
  const seen: bigint[] = [];
  pool.onPending((tx) => seen.push(tx.nonce));
  const txs = [0n, 1n, 2n, 3n, 4n, 6n].map((nonce) => signed(alice, { nonce }));
  pool.add(txs[0]!);
  pool.add(txs[3]!);
  pool.add(txs[2]!);
  pool.add(txs[5]!);
  assert.deepEqual(pool.status(), { pending: 1, queued: 3 });
  assert.deepEqual(nonces(pool.pending()), [0n]);
  assert.deepEqual(nonces(pool.content().queued.get(alice.address)!), [2n, 3n, 6n]);
  assert.equal(pool.pendingNonce(alice.address), 1n);
  assert.deepEqual(seen, [0n]);

  pool.add(txs[1]!);
  assert.deepEqual(seen, [0n, 1n, 2n, 3n]);
  assert.deepEqual(nonces(pool.pending()), [0n, 1n, 2n, 3n]);
  assert.deepEqual(nonces(pool.content().pending.get(alice.address)!), [0n, 1n, 2n, 3n]);
  assert.deepEqual(nonces(pool.content().queued.get(alice.address)!), [6n]);
  assert.equal(pool.pendingNonce(alice.address), 4n);

  pool.add(txs[4]!);
  assert.deepEqual(seen, [0n, 1n, 2n, 3n, 4n]);
  assert.deepEqual(pool.status(), { pending: 5, queued: 1 });
  assert.equal(pool.pendingNonce(alice.address), 5n);
  assert.equal(pool.pendingNonce(bob.address), 0n);
});

test("a sender whose account nonce is ahead starts its pending run there", () => {
  const head = testHead();
  head.state.setAccount(alice.address, { nonce: 7n, balance: ETHER });
  const pool = testPool(head);
  pool.add(signed(alice, { nonce: 8n }));
  assert.deepEqual(pool.status(), { pending: 0, queued: 1 });
  pool.add(signed(alice, { nonce: 7n }));
  assert.deepEqual(pool.status(), { pending: 2, queued: 0 });
  assert.equal(pool.pendingNonce(alice.address), 9n);
});

test("remove: the sender's later transactions fall back to the queue", () => {
  const pool = testPool(testHead());
  const txs = [0n, 1n, 2n].map((nonce) => signed(alice, { nonce }));
  for (const tx of txs) pool.add(tx);
  assert.equal(pool.remove(txs[1]!.hash), true);
  assert.equal(pool.remove(txs[1]!.hash), false);
  assert.deepEqual(pool.status(), { pending: 1, queued: 1 });
  assert.deepEqual(nonces(pool.pending()), [0n]);
  assert.equal(pool.has(txs[1]!.hash), false);
  assert.equal(pool.remove(txs[0]!.hash), true);
  assert.equal(pool.remove(txs[2]!.hash), true);
  assert.equal(pool.size, 0);
  assert.deepEqual(pool.content(), { pending: new Map(), queued: new Map() });
  // The sender is gone entirely: a fresh start works.
  pool.add(txs[0]!);
  assert.deepEqual(pool.status(), { pending: 1, queued: 0 });
  pool.clear();
  assert.equal(pool.size, 0);
  assert.deepEqual(pool.pending(), []);
});

// --- block order -----------------------------------------------------------------------------------

test("pending(): best effective tip first, each sender in nonce order, ties by arrival", () => {
  const head = testHead();
  const pool = testPool(head);
  // alice: 1 gwei then 5 gwei tips (the better second one must wait for the first);
  // bob: 3 gwei; carol: 1 gwei, arriving after alice's first.
  const a0 = signed(alice, { nonce: 0n, ...fees(10n * GWEI, 1n * GWEI) });
  const a1 = signed(alice, { nonce: 1n, ...fees(10n * GWEI, 5n * GWEI) });
  const b0 = signed(bob, { nonce: 0n, ...fees(10n * GWEI, 3n * GWEI) });
  const c0 = signed(carol, { nonce: 0n, ...fees(10n * GWEI, 1n * GWEI) });
  for (const tx of [a1, c0, b0, a0]) pool.add(tx);
  // carol's arrived before alice's nonce 0, so carol goes first among the 1 gwei tips.
  assert.deepEqual(pool.pending(), [b0, c0, a0, a1]);
  // At a base fee of 8 gwei a1's tip is capped at 2 gwei, b0's too (b0 still first: 2 > 1).
  assert.deepEqual(pool.pending(8n * GWEI), [b0, c0, a0, a1]);
  // At 9.5 gwei every tip is capped at 0.5 gwei: the heads tie, so arrival decides.
  assert.deepEqual(pool.pending((19n * GWEI) / 2n), [c0, b0, a0, a1]);
});

test("pending(): legacy transactions tip gasPrice minus base fee; a run stops below the base fee", () => {
  const head = testHead();
  const pool = testPool(head);
  const legacy = signed(alice, { type: 0, gasPrice: 3n * GWEI }); // tip 2 gwei at base fee 1
  const dynamic = signed(bob, fees(10n * GWEI, 3n * GWEI)); // tip 3 gwei
  const cheapNext = signed(bob, { nonce: 1n, ...fees(2n * GWEI, 2n * GWEI) });
  const afterCheap = signed(bob, { nonce: 2n, ...fees(50n * GWEI, 40n * GWEI) });
  for (const tx of [legacy, dynamic, cheapNext, afterCheap]) pool.add(tx);
  // bob's nonce 2 pays 40 gwei but comes after his 1 gwei nonce 1.
  assert.deepEqual(pool.pending(), [dynamic, legacy, cheapNext, afterCheap]);
  // Base fee 2.5 gwei: bob's nonce 1 is not executable, so neither is his nonce 2.
  assert.deepEqual(pool.pending((5n * GWEI) / 2n), [dynamic, legacy]);
  assert.deepEqual(pool.pending(4n * GWEI), [dynamic]);
  assert.deepEqual(pool.pending(11n * GWEI), []);
});

test("pending(): follows the account nonce even before onBlock", () => {
  const head = testHead();
  const pool = testPool(head);
  const txs = [0n, 1n, 2n].map((nonce) => signed(alice, { nonce }));
  for (const tx of txs) pool.add(tx);
  applyBlock(head, txs.slice(0, 2));
  assert.deepEqual(pool.pending(), [txs[2]]);
  assert.equal(pool.pendingNonce(alice.address), 3n);
});

test("candidates(): a block's worth in block order, found with a block's worth of account reads", () => {
  const head = testHead(12);
  head.gasLimit = 5n * 21_000n; // room for five transactions at most
  const read: bigint[] = [];
  const state = countingReads(head.state, read);
  const pool = testPool(head, { state: () => state });
  // Equal tips: arrival order. One sender (the last) pays more and goes first.
  const txs = Array.from({ length: 12 }, (_, i) => signed(testKey(i), i === 11 ? fees(3n * GWEI, 2n * GWEI) : {}));
  for (const tx of txs) pool.add(tx);
  const whole = pool.pending();
  assert.deepEqual(whole, [txs[11], ...txs.slice(0, 11)]);
  read.length = 0;
  assert.deepEqual(pool.candidates(), whole.slice(0, 5));
  assert.equal(read.length, 5, "one account read per transaction taken, none for the senders after");
  // A block in flight holds the first two: the next five after them, not counting them.
  const inFlight = new Set([whole[0]!.hash, whole[1]!.hash]);
  assert.deepEqual(
    pool.candidates((hash) => inFlight.has(hash)),
    whole.slice(2, 7),
  );
});

test("isExecutable(): what pending() offers, gaps, fee caps and the account nonce included", () => {
  const head = testHead();
  const pool = testPool(head);
  const alices = [0n, 1n, 2n, 4n].map((nonce) => signed(alice, { nonce, ...fees(10n * GWEI, GWEI) }));
  const cheap = signed(bob, fees(2n * GWEI, GWEI));
  const afterCheap = signed(bob, { nonce: 1n, ...fees(50n * GWEI, GWEI) });
  const all = [...alices, cheap, afterCheap];
  for (const tx of [alices[1]!, alices[0]!, alices[2]!, alices[3]!, cheap, afterCheap]) pool.add(tx);
  const matchesPending = (baseFee: bigint) => {
    const offered = new Set(pool.pending(baseFee).map((tx) => tx.hash));
    for (const tx of all) assert.equal(pool.isExecutable(tx.hash, baseFee), offered.has(tx.hash), `nonce ${tx.nonce}`);
  };
  assert.deepEqual(
    all.map((tx) => pool.isExecutable(tx.hash)),
    [true, true, true, false, true, true],
  );
  matchesPending(GWEI);
  // bob's 2 gwei cap stops his run at 3 gwei, his nonce 1 behind it too.
  assert.equal(pool.isExecutable(afterCheap.hash, 3n * GWEI), false);
  matchesPending(3n * GWEI);

  // Removing and re-adding one changes the answer for the ones behind it.
  pool.remove(alices[1]!.hash);
  assert.equal(pool.isExecutable(alices[2]!.hash), false);
  matchesPending(GWEI);
  pool.add(alices[1]!);
  assert.equal(pool.isExecutable(alices[2]!.hash), true);

  // The account nonce moved before the pool heard of the block.
  applyBlock(head, alices.slice(0, 2));
  assert.equal(pool.isExecutable(alices[0]!.hash), false);
  assert.equal(pool.isExecutable(alices[2]!.hash), true);
  matchesPending(GWEI);
  assert.equal(pool.isExecutable(12345n), false);
});

test("isExecutable() through a burst of one sender's sends, each checked as it arrives (the run extended, not walked again)", () => {
  const head = testHead();
  const pool = testPool(head);
  const burst = Array.from({ length: 300 }, (_, i) => signed(alice, { nonce: BigInt(i), ...fees(10n * GWEI, GWEI) }));
  const late = signed(alice, { nonce: 301n, ...fees(10n * GWEI, GWEI) });
  const cheap = signed(alice, { nonce: 300n, ...fees(GWEI, GWEI) });
  for (const tx of burst) {
    pool.add(tx);
    assert.equal(pool.isExecutable(tx.hash), true, `nonce ${tx.nonce}`);
  }
  // Past a gap: queued until the gap fills, then executable with it.
  pool.add(late);
  assert.equal(pool.isExecutable(late.hash), false);
  // A fee cap under the next base fee (here 1 gwei against the test head's) ends the run at it.
  pool.add(cheap);
  const offered = new Set(pool.pending().map((tx) => tx.hash));
  for (const tx of [...burst, cheap, late])
    assert.equal(pool.isExecutable(tx.hash), offered.has(tx.hash), `nonce ${tx.nonce}`);
  assert.equal(offered.has(burst[299]!.hash), true);
});

// --- onBlock ---------------------------------------------------------------------------------------

test("onBlock removes included transactions and promotes those whose gap the block closed", () => {
  const head = testHead();
  const pool = testPool(head);
  const seen: SignedTransaction[] = [];
  pool.onPending((tx) => seen.push(tx));
  const a = [0n, 1n, 3n, 4n].map((nonce) => signed(alice, { nonce }));
  const b0 = signed(bob);
  for (const tx of [...a, b0]) pool.add(tx);
  assert.deepEqual(pool.status(), { pending: 3, queued: 2 });
  seen.length = 0;

  // The block took alice's 0 and 1 and a nonce-2 transaction that never was in the pool.
  const outside = impersonatedTransaction(
    {
      type: 2,
      chainId: 31337n,
      nonce: 2n,
      gasLimit: 21_000n,
      maxFeePerGas: GWEI,
      maxPriorityFeePerGas: 0n,
      to: 1n,
      value: 0n,
      data: new Uint8Array(0),
      accessList: [],
    },
    alice.address,
  );
  const block = [a[0]!, a[1]!, outside];
  applyBlock(head, block);
  pool.onBlock(block);
  assert.equal(pool.get(a[0]!.hash), undefined);
  assert.equal(pool.get(a[1]!.hash), undefined);
  assert.deepEqual(pool.status(), { pending: 3, queued: 0 });
  assert.deepEqual(nonces(seen), [3n, 4n]);
  // Equal tips: alice's arrived first.
  assert.deepEqual(pool.pending(), [a[2], a[3], b0]);
});

test("onBlock drops stale nonces, unaffordable and over-limit transactions; later ones queue", () => {
  const head = testHead();
  const pool = testPool(head);
  const a = [0n, 1n, 2n].map((nonce) => signed(alice, { nonce }));
  const b = [0n, 1n, 2n].map((nonce) => signed(bob, { nonce, value: nonce === 1n ? 50n * ETHER : 0n }));
  const c = [0n, 1n].map((nonce) => signed(carol, { nonce, gasLimit: nonce === 0n ? 25_000n : 21_000n }));
  for (const tx of [...a, ...b, ...c]) pool.add(tx);
  assert.deepEqual(pool.status(), { pending: 8, queued: 0 });

  // Alice's nonce moved to 2 outside the pool (a block the pool did not see, e.g. another node's);
  // bob can no longer pay for his nonce 1; the gas limit fell under carol's nonce 0.
  head.state.setAccount(alice.address, { nonce: 2n, balance: ETHER });
  head.state.setAccount(bob.address, { nonce: 0n, balance: 10n * ETHER });
  head.gasLimit = 24_000n;
  pool.onBlock([]);
  assert.equal(pool.get(a[0]!.hash), undefined);
  assert.equal(pool.get(a[1]!.hash), undefined);
  assert.equal(pool.get(b[1]!.hash), undefined);
  assert.equal(pool.get(c[0]!.hash), undefined);
  const content = pool.content();
  assert.deepEqual(content.pending.get(alice.address), [a[2]]);
  assert.deepEqual(content.pending.get(bob.address), [b[0]]);
  assert.deepEqual(content.queued.get(bob.address), [b[2]]);
  assert.deepEqual(content.queued.get(carol.address), [c[1]]);
  assert.equal(content.pending.has(carol.address), false);
  assert.deepEqual(pool.status(), { pending: 2, queued: 2 });
});

test("onBlock given the block's changed accounts reads only those senders again; all when the gas limit moved", () => {
  const head = testHead();
  const read: bigint[] = [];
  const state = countingReads(head.state, read);
  const pool = testPool(head, { state: () => state });
  const [a0, a1] = [0n, 1n].map((nonce) => signed(alice, { nonce }));
  const [b0, c0] = [signed(bob), signed(carol)];
  for (const tx of [a0!, a1!, b0, c0]) pool.add(tx);
  pool.onBlock([]);

  // The block mined a0 and emptied carol's balance; bob's balance went to 0 in a way no block says.
  applyBlock(head, [a0!]);
  head.state.setAccount(carol.address, { nonce: 0n, balance: 0n });
  head.state.setAccount(bob.address, { nonce: 0n, balance: 0n });
  read.length = 0;
  pool.onBlock([a0!], new Map([alice.address, 0x1234n, carol.address].map((address) => [address, undefined])));
  assert.deepEqual(read, [alice.address, carol.address]);
  assert.deepEqual(pool.pending(), [a1, b0]);
  assert.equal(pool.get(c0.hash), undefined);

  // A new gas limit re-checks every sender, the block's or not: bob's transaction goes now.
  head.gasLimit = 25_000_000n;
  read.length = 0;
  pool.onBlock([], new Map());
  assert.deepEqual(read.sort(), [alice.address, bob.address].sort());
  assert.equal(pool.get(b0.hash), undefined);
});

test("onBlock after a revert: a nonce that went back leaves the pool's transactions queued", () => {
  const head = testHead();
  const pool = testPool(head);
  const a0 = signed(alice, { nonce: 0n });
  const a1 = signed(alice, { nonce: 1n });
  pool.add(a0);
  applyBlock(head, [a0]);
  pool.onBlock([a0]);
  pool.add(a1);
  assert.deepEqual(pool.status(), { pending: 1, queued: 0 });
  head.state.setAccount(alice.address, { nonce: 0n, balance: 100n * ETHER });
  pool.revalidate();
  assert.deepEqual(pool.status(), { pending: 0, queued: 1 });
  assert.deepEqual(pool.pending(), []);
  // Sending nonce 0 again fills the gap.
  pool.add(a0);
  assert.deepEqual(pool.pending(), [a0, a1]);
});

test("add catches a sender up when the head moved without onBlock", () => {
  const head = testHead();
  const pool = testPool(head);
  const seen: bigint[] = [];
  pool.onPending((tx) => seen.push(tx.nonce));
  const a = [0n, 2n].map((nonce) => signed(alice, { nonce }));
  for (const tx of a) pool.add(tx);
  head.state.setAccount(alice.address, { nonce: 2n, balance: ETHER });
  // The add of nonce 3 first drops 0 and promotes 2.
  pool.add(signed(alice, { nonce: 3n }));
  assert.deepEqual(seen, [0n, 2n, 3n]);
  assert.equal(pool.get(a[0]!.hash), undefined);
  assert.deepEqual(pool.status(), { pending: 2, queued: 0 });
  // An add rejected after the catch-up (here: an underpriced replacement) keeps the catch-up.
  head.state.setAccount(alice.address, { nonce: 3n, balance: ETHER });
  assert.equal(
    code(() => pool.add(signed(alice, { nonce: 3n, value: 1n }))),
    "REPLACEMENT_UNDERPRICED",
  );
  assert.equal(pool.get(a[1]!.hash), undefined);
  assert.equal(pool.size, 1);
});

test("a sender with code is left to execution (impersonated contracts may send)", () => {
  const head = testHead();
  head.state.setAccount(alice.address, { nonce: 0n, balance: ETHER, code: new Uint8Array([0x00]) });
  assert.notEqual(head.state.account(alice.address)!.codeHash, EMPTY_CODE_HASH);
  const pool = testPool(head);
  pool.add(signed(alice));
  assert.equal(pool.size, 1);
});

test("impersonated transactions (no real signature) are added as decoded", () => {
  const pool = testPool(testHead());
  const tx = impersonatedTransaction(
    {
      type: 2,
      chainId: 31337n,
      nonce: 0n,
      gasLimit: 21_000n,
      maxFeePerGas: 2n * GWEI,
      maxPriorityFeePerGas: GWEI,
      to: 1n,
      value: 0n,
      data: new Uint8Array(0),
      accessList: [],
    },
    bob.address,
  );
  assert.equal(pool.add(tx), tx.hash);
  assert.deepEqual(pool.pending(), [tx]);
});

// --- events ----------------------------------------------------------------------------------------

test("onPending: unsubscribe, and a throwing listener fails neither the add nor other listeners", () => {
  const errors: unknown[] = [];
  const pool = testPool(testHead(), { onListenerError: (e) => errors.push(e) });
  const a: bigint[] = [];
  const b: bigint[] = [];
  const stopA = pool.onPending((tx) => a.push(tx.nonce));
  pool.onPending(() => {
    throw new Error("listener bug");
  });
  pool.onPending((tx) => b.push(tx.nonce));
  pool.add(signed(alice, { nonce: 0n }));
  assert.deepEqual(
    errors.map((e) => (e as Error).message),
    ["listener bug"],
  );
  stopA();
  pool.add(signed(alice, { nonce: 1n }));
  // Queued transactions are not announced until promoted.
  pool.add(signed(alice, { nonce: 3n }));
  assert.deepEqual(a, [0n]);
  assert.deepEqual(b, [0n, 1n]);
  assert.equal(pool.size, 3);
});
