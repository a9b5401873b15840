import assert from "node:assert/strict";
import { test } from "node:test";
import { parallelCapacity } from "./parallel-capacity.js";

test("parallelCapacity: one thread is the unit; two threads measure a positive capacity of at most 2", async () => {
  assert.equal(await parallelCapacity(1), 1);
  const two = await parallelCapacity(2, 1);
  // A broken measure gives NaN or 0; a loaded machine anything from near 0 up (clamped at 2).
  assert.ok(two > 0 && two <= 2, String(two));
});
