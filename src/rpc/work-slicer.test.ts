import assert from "node:assert/strict";
import { test } from "node:test";
import { RequestCancelled, SLICE_MS, WorkSlicer } from "./work-slicer.js";

test("WorkSlicer yields once a slice is used, counts only its own time, and stops past its budget", async () => {
  let now = 0;
  let yielded = 0;
  const slicer = new WorkSlicer({ budgetMs: 25, overBudget: (ms) => new Error(`over ${ms}`), now: () => now });
  now = SLICE_MS - 1;
  await slicer.checkpoint();
  assert.equal(slicer.workMs, SLICE_MS - 1);
  // The slice is used: the checkpoint yields (a macrotask queued before it runs first).
  now = SLICE_MS;
  setImmediate(() => {
    yielded++;
    now += 1000; // time spent on other requests while yielded does not count
  });
  await slicer.checkpoint();
  assert.equal(yielded, 1);
  assert.equal(slicer.workMs, SLICE_MS);
  now += 16;
  await assert.rejects(slicer.checkpoint(), /over 25/);
});

test("WorkSlicer stops at the next yield once its signal is aborted", async () => {
  const client = new AbortController();
  let now = 0;
  const slicer = new WorkSlicer({ signal: client.signal, now: () => now });
  client.abort();
  now = SLICE_MS;
  await assert.rejects(slicer.checkpoint(), RequestCancelled);
  assert.throws(() => new WorkSlicer({ signal: client.signal }), RequestCancelled);
});
