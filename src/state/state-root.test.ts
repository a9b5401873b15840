import assert from "node:assert/strict";
import { test } from "node:test";
import { MemoryState } from "./memory-state.js";
import { RandomWrites } from "./random-writes.js";
import { StateRootTracker } from "./state-root.js";

test("the tracked root equals a full recomputation after every block of random writes", () => {
  for (const seed of [1, 2, 3]) {
    const blocks = new RandomWrites(seed, { addresses: 40, accountsPerBlock: 10, slotsPerAccount: 8, slots: 30 });
    const state = new MemoryState();
    const tracker = new StateRootTracker();
    assert.equal(tracker.root(), state.stateRoot());
    for (let n = 0; n < 60; n++) {
      const writes = blocks.next();
      state.applyWrites(writes);
      tracker.apply(writes);
      assert.equal(tracker.root(), state.stateRoot(), `seed ${seed}, block ${n}`);
    }
  }
});

test("a tracker loaded from a state starts at that state's root", () => {
  const blocks = new RandomWrites(9);
  const state = new MemoryState();
  for (let n = 0; n < 20; n++) state.applyWrites(blocks.next());
  const tracker = new StateRootTracker();
  for (const address of state.addresses())
    tracker.load(address, state.account(address)!, state.storageEntries(address));
  assert.equal(tracker.root(), state.stateRoot());
  const writes = blocks.next();
  state.applyWrites(writes);
  tracker.apply(writes);
  assert.equal(tracker.root(), state.stateRoot());
});
