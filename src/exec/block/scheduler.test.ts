import assert from "node:assert/strict";
import { test } from "node:test";
import { Scheduler, type Task, TaskKind, TxStatus } from "./scheduler.js";

/** Runs every task as soon as it is handed out, with no conflicts: each tx once, each validated. */
test("without conflicts every transaction executes once, validates, and the scheduler finishes", () => {
  const s = new Scheduler(5);
  const executed: number[] = [];
  const validated: number[] = [];
  let task: Task | undefined;
  for (let guard = 0; !s.done() && guard < 100; guard++) {
    task ??= s.nextTask();
    if (task === undefined) continue;
    if (task.kind === TaskKind.Execute) {
      executed.push(task.txIndex);
      task = s.finishExecution(task.txIndex, task.incarnation, true);
    } else {
      validated.push(task.txIndex);
      task = s.finishValidation(task.txIndex, false);
    }
  }
  assert.equal(s.done(), true);
  assert.deepStrictEqual(executed, [0, 1, 2, 3, 4]);
  assert.deepStrictEqual([...new Set(validated)].sort(), [0, 1, 2, 3, 4]);
});

test("a dependency parks a transaction until its blocker executes; an abort re-incarnates", () => {
  const s = new Scheduler(3);
  const next = (): Task => {
    for (;;) {
      const task = s.nextTask();
      if (task !== undefined) return task;
    }
  };
  const t0 = next();
  // The validation index lags: the first try validates tx 0, still executing, and hands out nothing.
  assert.equal(s.nextTask(), undefined);
  const t1 = next();
  assert.deepStrictEqual([t0.txIndex, t1.txIndex], [0, 1]);
  assert.equal(s.addDependency(1, 0), true);
  assert.equal(s.status(1), TxStatus.Aborting);
  s.finishExecution(0, 0, true);
  assert.equal(s.status(1), TxStatus.ReadyToExecute);
  assert.equal(s.incarnation(1), 1);
  // Tx 0 executed: a dependency on it is refused (re-execute at once instead).
  assert.equal(s.addDependency(2, 0), false);

  const v = next();
  assert.deepStrictEqual(v, { kind: TaskKind.Validate, txIndex: 0, incarnation: 0 });
  assert.equal(s.tryValidationAbort(0, 0), true);
  assert.equal(s.tryValidationAbort(0, 0), false, "only one validation aborts an incarnation");
  const again = s.finishValidation(0, true);
  assert.deepStrictEqual(again, { kind: TaskKind.Execute, txIndex: 0, incarnation: 1 });
});
