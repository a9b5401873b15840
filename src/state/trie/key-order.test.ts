import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { byteKeyOrder, inOrder, repeatedKey, sortKeys } from "./key-order.js";

/** `count` keys of `width` bytes: random, some sharing their first bytes (a big bucket), some small and sequential. */
function mixedKeys(width: number, count: number): Uint8Array {
  const keys = new Uint8Array(randomBytes(width * count));
  for (let i = 0; i < count; i += 7) keys.fill(0xab, i * width, i * width + 3);
  for (let i = 3; i < count; i += 11) {
    keys.fill(0, i * width, (i + 1) * width);
    keys[(i + 1) * width - 1] = i & 0xff;
    keys[(i + 1) * width - 2] = i >> 8;
  }
  for (let i = 5; i < count; i += 13) keys[i * width + 1] = 0x01; // small buckets of near neighbours
  return keys;
}

test("sortKeys sorts as byteKeyOrder and inOrder, below and above the size where it buckets", () => {
  for (const [width, count] of [
    [32, 1000],
    [32, 20_000],
    [20, 20_000],
  ] as const) {
    const keys = mixedKeys(width, count);
    // Distinct keys (the repeats the mix makes by chance are of small keys: made unique by index).
    for (let i = 0; i < count; i++) {
      keys[i * width + width - 3] = i >> 16;
      keys[i * width + width - 4] = (i >> 8) & 0xff;
    }
    const order = byteKeyOrder(keys, width, count);
    const { sorted, order: got, repeated } = sortKeys(keys, width, count);
    assert.equal(repeated, -1);
    assert.deepEqual(got, order, `order of ${count} keys of ${width} bytes`);
    assert.deepEqual(sorted, inOrder(keys, width, order));
  }
});

test("sortKeys names a repeated key as repeatedKey does: the later index of the first pair in key order", () => {
  const width = 32;
  const count = 10_000;
  const keys = new Uint8Array(randomBytes(width * count));
  // Key 9000 repeats key 10 (a random bucket), key 4000 repeats key 3000, both in bucket 0 among many.
  keys.copyWithin(9000 * width, 10 * width, 11 * width);
  for (let i = 0; i < 100; i++) keys.fill(0, (2000 + i) * width, (2000 + i) * width + 2);
  keys.fill(0, 3000 * width, 3000 * width + 2);
  keys.copyWithin(4000 * width, 3000 * width, 3001 * width);
  const order = byteKeyOrder(keys, width, count);
  const expected = repeatedKey(keys, width, order);
  assert.equal(sortKeys(keys, width, count).repeated, expected);
  assert.equal(expected, 4000, "bucket 0 comes first in key order");
});
