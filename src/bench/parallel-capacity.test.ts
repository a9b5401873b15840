import assert from "node:assert/strict";
import { test } from "node:test";
import { parallelCapacity } from "./parallel-capacity.js";

test("parallelCapacity: one thread is the unit; two threads measure a positive capacity of about 2 at most", async () => {
  assert.equal(await parallelCapacity(1), 1);
  const two = await parallelCapacity(2, 1);
  // Noise can push it a little past 2 (the solo run slowed by other load); a broken measure gives NaN or 0.
  assert.ok(two > 0.2 && two < 2.5, String(two));
});
