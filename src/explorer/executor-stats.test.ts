import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type CounterSource, ExecutorMonitor, executorSample, promCounter } from "./executor-stats.js";

const EXPOSITION = `# HELP weft_block_reexecutions_total Transactions re-executed
# TYPE weft_block_reexecutions_total counter
weft_block_reexecutions_total 42
weft_block_reexecutions_total_other 7
`;

describe("the parallel executor's counters", () => {
  it("reads an unlabelled counter from Prometheus text", () => {
    assert.equal(promCounter(EXPOSITION, "weft_block_reexecutions_total"), 42);
    assert.equal(promCounter(EXPOSITION, "weft_missing_total"), undefined);
  });

  it("turns two readings into rates per second, parallel and sequential blocks apart", () => {
    const before = { blocks: 10, parallelBlocks: 4, reexecutions: 100 };
    const after = { blocks: 16, parallelBlocks: 8, reexecutions: 130 };
    assert.deepEqual(executorSample(before, after, 2000), { parallelBlocks: 2, sequentialBlocks: 1, reexecutions: 15 });
    // A restarted node's counters go down: no negative rates.
    assert.deepEqual(executorSample(after, before, 1000), { parallelBlocks: 0, sequentialBlocks: 0, reexecutions: 0 });
  });

  it("samples the node, and says why when it cannot", async () => {
    let blocks = 0;
    const source: CounterSource = {
      call: async <T>() => ({ blocks: (blocks += 2), parallelBlocks: blocks }) as T,
      metrics: async () => EXPOSITION,
    };
    let clock = 0;
    const monitor = new ExecutorMonitor(source, 2000, 60, () => (clock += 2000));
    await monitor.sample();
    await monitor.sample();
    assert.equal(monitor.samples.length, 1);
    assert.deepEqual(monitor.samples, [{ parallelBlocks: 1, sequentialBlocks: 0, reexecutions: 0 }]);
    const failing = new ExecutorMonitor({ ...source, metrics: () => Promise.reject(new Error("/metrics: HTTP 401")) });
    await failing.sample();
    assert.equal(failing.unavailable, "/metrics: HTTP 401");
  });
});
