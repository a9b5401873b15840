import assert from "node:assert/strict";
import { test } from "node:test";
import { BlockStmWorker } from "./block-stm-worker.js";
import { createMVBuffers, MVMemory, resetMVBuffers } from "./mv-memory.js";
import { controlInts, Scheduler, TxStatus } from "./scheduler.js";
import { randomBlock } from "./testkit.js";

test("the main thread's step executes the transaction it claims in the same call; a plain step only claims it", () => {
  const rb = randomBlock(3, { txs: 4 });
  const table = { length: rb.txs.length, get: (i: number) => rb.txs[i]! };
  const run = (stepOnce: (w: BlockStmWorker) => boolean): TxStatus => {
    const buffers = createMVBuffers({
      tableEntries: 1 << 12,
      records: 1 << 10,
      nodes: 1 << 12,
      valueWords: 1 << 16,
      setInts: 1 << 14,
      txs: rb.txs.length,
    });
    resetMVBuffers(buffers, rb.txs.length);
    const memory = new MVMemory(buffers);
    memory.startBlock(rb.state, rb.block.coinbase);
    const scheduler = new Scheduler(
      new Int32Array(new SharedArrayBuffer(4 * controlInts(rb.txs.length))),
      rb.txs.length,
    );
    const worker = new BlockStmWorker(memory, scheduler, table, rb.block, true);
    assert.equal(stepOnce(worker), true);
    return scheduler.status(0);
  };
  assert.equal(
    run((w) => w.step()),
    TxStatus.Executing,
  );
  // Executed and, being first, committed by its own executor.
  assert.equal(
    run((w) => w.stepNow()),
    TxStatus.Committed,
  );
});
