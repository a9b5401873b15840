import assert from "node:assert/strict";
import { test } from "node:test";
import { EXEC_BENCH_SCOPE, execRowJson, execTable, OS_THREADS, runExecBench } from "./exec-bench.js";

test("runExecBench: a sequential row, then a parallel row per thread count, all with one state root", async () => {
  const result = await runExecBench({ workload: "erc20-contended", txs: 30, threads: [1, 2], accounts: 4, repeat: 2 });
  assert.deepEqual(
    result.rows.map((r) => [r.executor, r.threads, r.mode]),
    [
      ["sequential", 1, "sequential"],
      ["parallel", 1, "parallel"],
      ["parallel", 2, "parallel"],
    ],
  );
  const [seq, ...par] = result.rows;
  assert.equal(seq!.speedup, 1);
  assert.equal(seq!.reexecutions, 0);
  assert.equal(seq!.threadKind, undefined);
  for (const row of result.rows) {
    assert.equal(row.stateRoot, seq!.stateRoot);
    assert.equal(row.gasUsed, seq!.gasUsed);
    assert.equal(row.accounts, 4);
    assert.ok(row.tps > 0 && row.seconds > 0);
  }
  for (const row of par) assert.equal(row.threadKind, OS_THREADS ? "os" : "virtual");

  const json = JSON.parse(execRowJson(par[1]!)) as Record<string, unknown>;
  for (const key of ["workload", "txs", "threads", "tps", "speedup", "reexecutions", "stateRoot", "mode", "accounts"]) {
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
  assert.match(table, /executor\s+threads\s+mode\s+ms\s+tx\/s\s+speedup\s+reexec/);
  if (!OS_THREADS) assert.match(table, /Threads are VIRTUAL/);
});
