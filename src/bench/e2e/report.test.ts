import assert from "node:assert/strict";
import { test } from "node:test";
import { metricsLine, TABLE_ROWS, type TargetResult } from "./report.js";

function result(over: Partial<TargetResult>): TargetResult {
  return {
    target: "weft",
    committed: 2000,
    committedSeconds: 2,
    nodeCpuSeconds: 1,
    metrics: null,
    ...over,
  } as TargetResult;
}

test("the stage line: weft_metrics' stages in a transaction's order, then any other counter in ms", () => {
  const line = metricsLine(
    result({
      metrics: {
        commitMs: 30,
        executeMs: 20,
        mainIdleMs: 500,
        callMs: 7,
        ingestMs: 5,
        recoverMs: 10,
        admitMs: 2,
        stateRootMs: 3,
        mainActiveMs: 1500,
        txs: 2000,
      },
    }),
  );
  assert.equal(
    line,
    "weft node time (weft_metrics, during the run): ingest 5 ms, recover (wait) 10 ms, admit 2 ms, execute 20 ms, " +
      "state root 3 ms, commit 30 ms, main thread busy 1,500 ms, main thread idle 500 ms, call 7 ms of 2,000 ms wall",
  );
  assert.equal(metricsLine(result({ metrics: null })), undefined);
  assert.match(
    metricsLine(result({ metrics: { executeMs: 20, preparedBlocks: 85, preparedDropped: 1 } }))!,
    /ms wall; blocks executed ahead of their evm_mine: 85 taken, 1 dropped$/,
  );
});

test("node CPU per transaction: the node's CPU over the transactions committed", () => {
  const row = TABLE_ROWS.find((r) => r.label === "node CPU µs/tx")!;
  assert.equal(row.value(result({})), 500);
  assert.equal(row.value(result({ nodeCpuSeconds: null })), null);
  assert.equal(row.value(result({ committed: 0 })), null);
});
