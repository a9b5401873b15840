import assert from "node:assert/strict";
import { test } from "node:test";
import { runInSlices, runWhole } from "./slices.js";

function* counting(steps: number, log: string[]): Generator<void, number, undefined> {
  for (let i = 0; i < steps; i++) {
    log.push(`step ${i}`);
    yield;
  }
  return steps;
}

test("runWhole runs every step at once and returns the result", () => {
  const log: string[] = [];
  assert.equal(runWhole(counting(3, log)), 3);
  assert.deepEqual(log, ["step 0", "step 1", "step 2"]);
});

test("runInSlices pauses once a slice's time is spent, never mid-step, and leaves the pauses out of its time", async () => {
  const log: string[] = [];
  const pause = async () => {
    log.push("pause");
    await new Promise((resolve) => setTimeout(resolve, 20));
  };
  const { value, busyMs } = await runInSlices(counting(3, log), { ms: 0, pause });
  assert.equal(value, 3);
  assert.deepEqual(log, ["step 0", "pause", "step 1", "pause", "step 2", "pause"]);
  assert.ok(busyMs < 20, `busy ${busyMs} ms: the three 20 ms pauses are not work`);

  const whole: string[] = [];
  await runInSlices(counting(3, whole), { ms: 60_000, pause });
  assert.deepEqual(whole, ["step 0", "step 1", "step 2"], "no pause within a slice");
});
