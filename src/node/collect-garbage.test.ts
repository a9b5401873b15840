import assert from "node:assert/strict";
import { test } from "node:test";
import { setImmediate as nextTurn } from "node:timers/promises";
import { collectGarbage } from "./collect-garbage.js";

test("collectGarbage frees what nothing references any more, at once (the process runs without --expose-gc)", async () => {
  assert.equal(typeof (globalThis as { gc?: unknown }).gc, "undefined", "the test runner exposes no gc");
  const ref = (() => new WeakRef(new Uint8Array(1 << 20)))();
  // A WeakRef's target stays alive until the job that made it ends.
  await nextTurn();
  collectGarbage();
  assert.equal(ref.deref(), undefined);
  collectGarbage(); // again: the flag is set once
});
