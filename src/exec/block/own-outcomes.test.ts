import assert from "node:assert/strict";
import { test } from "node:test";
import type { ValidTxOutcome } from "../types.js";
import { OwnOutcomes } from "./own-outcomes.js";
import { controlInts, Scheduler } from "./scheduler.js";

const outcome = (gasUsed: bigint): ValidTxOutcome => ({
  valid: true,
  status: 1,
  gasUsed,
  logs: [],
  output: new Uint8Array(0),
  writes: new Map(),
});

test("a kept outcome is taken once, and only if its incarnation is the one committed", () => {
  const s = new Scheduler(new Int32Array(new SharedArrayBuffer(4 * controlInts(2))), 2);
  const own = new OwnOutcomes(s);
  const t0 = s.nextTask()!;
  const first = outcome(1n);
  own.keep(0, t0.incarnation, first);
  s.finishExecution(0, t0.incarnation);
  s.tryCommit({ isFinal: () => true, markEstimates: () => {} });
  assert.equal(own.take(0), first);
  assert.equal(own.take(0), undefined, "taken once");

  // Transaction 1: this thread kept incarnation 0, which failed its validation; another thread's
  // incarnation 1 is the one committed, so the kept outcome does not count.
  const t1 = s.nextTask()!;
  own.keep(1, t1.incarnation, outcome(2n));
  s.finishExecution(1, t1.incarnation);
  const retry = s.tryCommit({ isFinal: () => false, markEstimates: () => {} })!;
  assert.equal(retry.incarnation, 1);
  s.finishExecution(1, retry.incarnation);
  s.tryCommit({ isFinal: () => true, markEstimates: () => {} });
  assert.equal(s.committed(), 2);
  assert.equal(own.take(1), undefined);
});
