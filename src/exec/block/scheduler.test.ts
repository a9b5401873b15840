import assert from "node:assert/strict";
import { test } from "node:test";
import { type CommitChecks, Ctl, controlInts, Scheduler, type Task, TxStatus } from "./scheduler.js";

const scheduler = (size: number): Scheduler =>
  new Scheduler(new Int32Array(new SharedArrayBuffer(4 * controlInts(size))), size);

/** Commit checks that record what they were asked and answer `final(k)`. */
function checks(final: (k: number) => boolean): CommitChecks & { asked: number[]; estimated: number[] } {
  const asked: number[] = [];
  const estimated: number[] = [];
  return {
    asked,
    estimated,
    isFinal: (k) => {
      asked.push(k);
      return final(k);
    },
    markEstimates: (k) => void estimated.push(k),
  };
}

test("without conflicts every transaction executes once, is validated once at commit, in order, and the block ends", () => {
  const s = scheduler(5);
  const c = checks(() => true);
  const executed: number[] = [];
  for (let guard = 0; !s.done() && guard < 100; guard++) {
    const task = s.nextTask();
    if (task === undefined) continue;
    executed.push(task.txIndex);
    s.finishExecution(task.txIndex, task.incarnation);
    assert.equal(s.tryCommit(c), undefined);
  }
  assert.equal(s.done(), true);
  assert.deepStrictEqual(executed, [0, 1, 2, 3, 4]);
  assert.deepStrictEqual(c.asked, [0, 1, 2, 3, 4]);
  assert.equal(s.committed(), 5);
  assert.equal(s.status(4), TxStatus.Committed);
  assert.equal(s.read(Ctl.VALIDATIONS), 5);
});

test("commits wait for the lowest transaction: one executed out of order commits with it", () => {
  const s = scheduler(3);
  const [t0, t1] = [s.nextTask()!, s.nextTask()!];
  const c = checks(() => true);
  s.finishExecution(t1.txIndex, t1.incarnation);
  s.tryCommit(c);
  assert.equal(s.committed(), 0, "transaction 0 is still executing");
  s.finishExecution(t0.txIndex, t0.incarnation);
  s.tryCommit(c);
  assert.equal(s.committed(), 2);
  assert.deepStrictEqual(c.asked, [0, 1]);
});

test("a transaction executed above one still executing leaves its commit to that one", () => {
  const s = scheduler(3);
  const [t0, t1, t2] = [s.nextTask()!, s.nextTask()!, s.nextTask()!];
  const c = checks(() => true);
  s.finishExecution(t2.txIndex, t2.incarnation);
  s.tryCommit(c, t2.txIndex);
  s.finishExecution(t1.txIndex, t1.incarnation);
  s.tryCommit(c, t1.txIndex);
  assert.deepStrictEqual(c.asked, [], "transaction 0 is executing: nothing to validate yet");
  assert.equal(s.read(Ctl.COMMIT_REQUESTS), 0, "the commit words were not touched");
  s.finishExecution(t0.txIndex, t0.incarnation);
  s.tryCommit(c, t0.txIndex);
  assert.equal(s.committed(), 3);
  assert.deepStrictEqual(c.asked, [0, 1, 2]);
});

test("a failed validation at commit aborts: its writes become ESTIMATEs and the committer re-executes it", () => {
  const s = scheduler(2);
  const t0 = s.nextTask()!;
  const t1 = s.nextTask()!;
  s.finishExecution(t0.txIndex, 0);
  s.finishExecution(t1.txIndex, 0);
  const c = checks((k) => k !== 1);
  const retry = s.tryCommit(c);
  assert.deepStrictEqual(retry, { txIndex: 1, incarnation: 1 } satisfies Task);
  assert.equal(s.committed(), 1);
  assert.deepStrictEqual(c.estimated, [1]);
  assert.equal(s.status(1), TxStatus.Executing);
  s.finishExecution(1, 1);
  assert.equal(s.tryCommit(checks(() => true)), undefined);
  assert.equal(s.done(), true);
});

test("a dependency parks a transaction until its blocker executes", () => {
  const s = scheduler(3);
  const t0 = s.nextTask()!;
  const t1 = s.nextTask()!;
  assert.deepStrictEqual([t0.txIndex, t1.txIndex], [0, 1]);
  assert.equal(s.addDependency(1, 0), true);
  assert.equal(s.status(1), TxStatus.Aborting);
  s.finishExecution(0, 0);
  assert.equal(s.status(1), TxStatus.ReadyToExecute);
  assert.equal(s.incarnation(1), 1);
  // Tx 0 executed: a dependency on it is refused (re-execute at once instead).
  assert.equal(s.addDependency(2, 0), false);
  // The execution index went back to 1: it is handed out again.
  assert.deepStrictEqual(s.nextTask(), { txIndex: 1, incarnation: 1 });
});

test("a stop or a failure ends the block for every worker", () => {
  const s = scheduler(4);
  assert.equal(s.done(), false);
  s.stop();
  assert.equal(s.done(), true);
  const f = scheduler(4);
  f.fail(2);
  f.fail(1);
  assert.equal(f.read(Ctl.ERROR), 2, "the first reason stays");
  assert.equal(f.done(), true);
});
