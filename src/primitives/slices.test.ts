import assert from "node:assert/strict";
import { test } from "node:test";
import { counting, runInSlices, runWhole } from "./slices.js";

function* steps(count: number, log: string[]): Generator<void, number, undefined> {
  for (let i = 0; i < count; i++) {
    log.push(`step ${i}`);
    yield;
  }
  return count;
}

test("runWhole runs every step at once and returns the result", () => {
  const log: string[] = [];
  assert.equal(runWhole(steps(3, log)), 3);
  assert.deepEqual(log, ["step 0", "step 1", "step 2"]);
});

test("runInSlices pauses once a slice's time is spent, never mid-step; counting leaves the pauses out of the work's time", async () => {
  const log: string[] = [];
  const pause = async () => {
    log.push("pause");
    await new Promise((resolve) => setTimeout(resolve, 20));
  };
  const clock = { suspendedMs: 0 };
  const start = performance.now();
  const value = await runInSlices(counting(steps(3, log), clock), { ms: 0, pause });
  const busyMs = performance.now() - start - clock.suspendedMs;
  assert.equal(value, 3);
  assert.deepEqual(log, ["step 0", "pause", "step 1", "pause", "step 2", "pause"]);
  assert.ok(busyMs < 20, `busy ${busyMs} ms: the three 20 ms pauses are not work`);

  const whole: string[] = [];
  await runInSlices(steps(3, whole), { ms: 60_000, pause });
  assert.deepEqual(whole, ["step 0", "step 1", "step 2"], "no pause within a slice");
});
