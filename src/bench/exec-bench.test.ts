import assert from "node:assert/strict";
import { test } from "node:test";
import { EXEC_BENCH_SCOPE, execRowJson, execTable, project, runExecBench } from "./exec-bench.js";

test("runExecBench: a sequential row, then a parallel row per thread count, all with one state root", async () => {
  const result = await runExecBench({ workload: "erc20-contended", txs: 30, threads: [1, 2], accounts: 4, repeat: 2 });
  assert.deepEqual(
    result.rows.map((r) => [r.executor, r.threads, r.mode]),
    [
      ["sequential", 1, "sequential"],
      ["parallel", 1, "sequential"],
      ["parallel", 2, "sequential"],
    ],
  );
  const [seq, ...par] = result.rows;
  assert.equal(seq!.speedup, 1);
  assert.equal(seq!.reexecutions, 0);
  for (const row of result.rows) {
    assert.equal(row.stateRoot, seq!.stateRoot);
    assert.equal(row.gasUsed, seq!.gasUsed);
    assert.equal(row.accounts, 4);
    assert.ok(row.tps > 0 && row.seconds > 0);
    assert.ok(row.cpuMs > 0 && row.cpuRatio > 0, "CPU time measured");
  }
  assert.match(par[0]!.modeReason, /one thread/);
  assert.match(par[1]!.modeReason, /too few to pay/);
  assert.equal(par[1]!.parallelRuns, 0);
  assert.deepEqual(par[1]!.modeReasons, [par[1]!.modeReason]);

  const json = JSON.parse(execRowJson(par[1]!)) as Record<string, unknown>;
  for (const key of [
    "workload",
    "txs",
    "threads",
    "tps",
    "speedup",
    "capacity",
    "capacityRange",
    "efficiency",
    "cpuMs",
    "cpuRatio",
    "reexecutions",
    "stateRoot",
    "mode",
    "parallelRuns",
    "modeReasons",
    "accounts",
  ]) {
    assert.ok(key in json, key);
  }
  assert.equal(json.scope, EXEC_BENCH_SCOPE);
  assert.match(json.stateRoot as string, /^0x[0-9a-f]{64}$/);

  const table = execTable(result, 2);
  const lines = table.split("\n");
  assert.match(lines[0]!, /erc20-contended \(30 txs, accounts 4\)/);
  assert.match(
    lines[1]!,
    /execution only: no signature recovery \(senders given.*\), no state root in the timing, no disk/,
  );
  assert.match(table, /executor\s+threads\s+mode\s+ms\s+tx\/s\s+speedup\s+capacity\s+eff\s+cpu\s+reexec/);
  // One thread is the unit of capacity; two threads' capacity is measured (positive, at most 2).
  assert.equal(par[0]!.capacity, 1);
  assert.ok(par[1]!.capacity > 0 && par[1]!.capacity <= 2, String(par[1]!.capacity));
  assert.equal(par[1]!.efficiency, par[1]!.speedup / par[1]!.capacity);
});

test("a parallel row on threads reports the run's figures and a labelled projection", async () => {
  // Enough work (about 10 ms) for "auto" to start Block-STM.
  const result = await runExecBench({ workload: "erc20", txs: 400, threads: [2], repeat: 1 });
  const par = result.rows[1]!;
  assert.equal(par.stateRoot, result.rows[0]!.stateRoot);
  // Figures come only from runs that executed the whole block under Block-STM: a start that auto stopped
  // mid-block (too cheap on a loaded machine) reports "parallel" with none.
  if (par.mode === "parallel" && par.parallel !== undefined) {
    const f = par.parallel;
    assert.ok(f.workerBusyMs > 0, "workers were busy");
    assert.ok(f.availableParallelism >= 1);
    assert.deepEqual(
      f.projection.map((p) => p.threads),
      [4, 8, 16, 32],
    );
    const json = JSON.parse(execRowJson(par)) as { projection: unknown[]; overhead: number };
    assert.equal(json.projection.length, 4);
    assert.ok(json.overhead > 0);
    assert.match(execTable(result, 1), /PROJECTION from the 2-thread run \(not a measurement\)/);
  } else {
    assert.match(par.modeReason, /then sequential|to pay/);
    assert.doesNotMatch(execTable(result, 1), /PROJECTION/);
  }
});

test("--mode parallel runs Block-STM on every block, whole, and projects from those runs", async () => {
  // A block "auto" would run sequentially (too few transactions), forced onto Block-STM.
  const result = await runExecBench({ workload: "erc20", txs: 40, threads: [1, 2], repeat: 2, mode: "parallel" });
  assert.equal(result.mode, "parallel");
  const [seq, one, two] = result.rows;
  assert.equal(seq!.mode, "sequential");
  for (const row of [one!, two!]) {
    assert.equal(row.mode, "parallel");
    assert.equal(row.parallelRuns, 2);
    assert.equal(row.stateRoot, seq!.stateRoot);
  }
  assert.match(one!.modeReason, /virtual workers in one thread/);
  assert.equal(two!.parallel!.projection.length, 4);
  assert.match(execTable(result, 2), /Parallel rows run Block-STM on every block \(--mode parallel/);
});

test("project: the serial part bounds the speedup; the critical path and the commit rate floor the time", () => {
  const base = {
    workerBusyMs: 100,
    workerIdleMs: 0,
    serialMs: 2,
    commitMs: 5,
    overhead: 1.25,
    availableParallelism: 10,
  };
  const [four, eight, sixteen, thirtyTwo] = project(base, 80, 80, 8);
  // 4 threads: 2 + max(25, 10, 5) = 27 ms.
  assert.equal(four!.speedup, 80 / 27);
  assert.equal(eight!.speedup, 80 / 14.5);
  // 16 and 32 threads: the critical path (8 ms, scaled by busy/work 1.25 = 10 ms) is the floor.
  assert.equal(sixteen!.speedup, 80 / 12);
  assert.equal(thirtyTwo!.speedup, 80 / 12);
  assert.equal(thirtyTwo!.serialShare, 2 / 12);
});

test("project: figures measured while threads shared the machine are scaled to one thread's speed", () => {
  const base = { workerBusyMs: 100, workerIdleMs: 0, serialMs: 2, commitMs: 5, overhead: 1, availableParallelism: 10 };
  // Each thread ran at 0.6 of its speed alone: 100 ms busy is 60 ms of work alone, the critical path 4.8.
  const [four] = project(base, 80, 80, 8, 0.6);
  assert.equal(four!.speedup, 80 / (2 + 60 / 4));
});
