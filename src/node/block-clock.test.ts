import assert from "node:assert/strict";
import { test } from "node:test";
import { BlockClock } from "./block-clock.js";

test("the clock: wall time plus an offset, strictly after the parent; a set timestamp for one block", () => {
  let now = 1000n;
  const clock = new BlockClock(() => now);
  assert.equal(clock.nextTimestamp(500n), 1000n);
  assert.equal(clock.nextTimestamp(1000n), 1001n, "never at or before the parent");
  assert.equal(clock.increase(60n, 500n), 60n);
  assert.equal(clock.take(500n), 1060n);
  clock.setNext(5000n, 1060n);
  assert.equal(clock.hasNext, true);
  assert.equal(clock.take(1060n), 5000n);
  assert.equal(clock.hasNext, false);
  now = 1001n;
  assert.equal(clock.nextTimestamp(5000n), 5001n, "time runs on from the set timestamp");
  assert.throws(
    () => clock.setNext(5000n, 5000n),
    /timestamp error: 5000 is not above the previous block's timestamp 5000/,
  );
  assert.throws(() => clock.increase(-1n, 0n), /cannot move time backwards/);
  clock.setInterval(12n);
  assert.equal(clock.nextTimestamp(7000n), 7012n);
  assert.throws(() => clock.setInterval(0n), /at least 1 second/);
});

test("a snapshot keeps the clock, a revert to it restores it and uses up it and every later one", () => {
  const clock = new BlockClock(() => 1000n);
  clock.save(1n);
  clock.increase(100n, 0n);
  clock.save(2n);
  clock.increase(100n, 0n);
  assert.equal(clock.nextTimestamp(0n), 1200n);
  clock.restore(1n);
  assert.equal(clock.nextTimestamp(0n), 1000n);
  clock.restore(2n); // used up with 1: nothing changes
  assert.equal(clock.nextTimestamp(0n), 1000n);
});
