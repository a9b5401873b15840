import assert from "node:assert/strict";
import { test } from "node:test";
import { PackedSlots } from "./packed-slots.js";

test("packed slots are kept in key order without zeros, whether the keys' leading bits differ or tie", () => {
  const entries: [bigint, bigint][] = [];
  let seed = 99n;
  for (let i = 0n; i < 500n; i++) {
    seed = (seed * 6364136223846793005n + 1442695040888963407n) % (1n << 256n);
    entries.push([seed, i]); // slot 0's value is 0: left out
  }
  for (let i = 300n; i > 0n; i--) entries.push([i, i << 200n]);
  const slots = PackedSlots.fromEntries(entries);
  const expected = entries.filter(([, v]) => v !== 0n).sort(([a], [b]) => (a < b ? -1 : 1));
  assert.equal(slots.size, expected.length);
  assert.deepEqual([...slots], expected);
  // Slot 1 (first in key order) holds 1 << 200: 0x01 and 25 zero bytes, no leading zeros.
  assert.deepEqual([...slots.minimalValue(0)], [1, ...new Array(25).fill(0)]);
});

test("a slot appended twice makes sortByKey false and leaves the slots as they were; removeLast forgets the last", () => {
  const slots = new PackedSlots();
  for (const key of [7, 3, 7, 9]) {
    const at = slots.append() * 32;
    slots.keys[at + 31] = key;
    slots.values[at + 31] = 1;
  }
  assert.equal(slots.sortByKey(), false);
  assert.deepEqual(
    [...slots].map(([k]) => k),
    [7n, 3n, 7n, 9n],
  );
  slots.removeLast();
  slots.removeLast();
  assert.equal(slots.sortByKey(), true);
  assert.deepEqual(
    [...slots],
    [
      [3n, 1n],
      [7n, 1n],
    ],
  );
  assert.throws(
    () =>
      PackedSlots.fromEntries([
        [1n, 2n],
        [1n, 3n],
      ]),
    /storage names a slot twice/,
  );
});
