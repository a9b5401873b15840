// Block-STM on the worker pool against the sequential executor: random blocks (testkit.ts) with 2 and
// 4 threads, each run several times to catch races, plus a hot-slot block and a conflict-free one.
// Receipts, gas, net writes and the post-state root must be identical.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { initPrecompiles } from "../../../evm/precompiles/index.js";
import type { TxInput } from "../../types.js";
import { executeBlock } from "../execute-block.js";
import { assertSameBlock, contractAddress, hotCounterTxs, incData, randomBlock } from "../testkit.js";
import { snapshotState } from "./base-state.js";
import { BlockStmPool, terminateSharedPools } from "./pool.js";

const pools = new Map<number, BlockStmPool>();
before(async () => {
  await initPrecompiles();
  for (const threads of [2, 4]) pools.set(threads, new BlockStmPool(threads));
});
after(async () => {
  for (const pool of pools.values()) await pool.terminate();
  await terminateSharedPools();
});

const BLOCKS = 60;
const RUNS = 3;

for (const threads of [2, 4]) {
  test(`pool of ${threads} threads equals sequential on ${BLOCKS} random blocks, ${RUNS} runs each`, () => {
    const pool = pools.get(threads)!;
    let reexecutions = 0;
    for (let seed = 1; seed <= BLOCKS; seed++) {
      const rb = randomBlock(seed);
      const sequential = executeBlock(rb.txs, rb.block, rb.state, { mode: "sequential" });
      // One snapshot per block, reused by every run: what a node does per base-state version.
      const base = snapshotState(rb.state);
      for (let run = 0; run < RUNS; run++) {
        try {
          const parallel = executeBlock(rb.txs, rb.block, rb.state, { mode: "parallel", pool, base });
          assert.equal(parallel.mode, "parallel");
          assertSameBlock(rb, parallel, sequential);
          reexecutions += parallel.reexecutions;
        } catch (error) {
          throw new Error(`seed ${seed} (${rb.shape}), run ${run}: ${(error as Error).message}`, { cause: error });
        }
      }
    }
    assert.ok(reexecutions >= 0);
  });
}

test("one hot slot: every transaction increments the same counter, on threads", () => {
  const rb = randomBlock(424242, { txs: 60, invalidChance: 0 });
  const txs = hotCounterTxs(rb);
  const sequential = executeBlock(txs, rb.block, rb.state, { mode: "sequential" });
  assert.ok(sequential.valid);
  for (const threads of [2, 4]) {
    for (let run = 0; run < 4; run++) {
      const parallel = executeBlock(txs, rb.block, rb.state, { mode: "parallel", pool: pools.get(threads)! });
      assertSameBlock(rb, parallel, sequential);
    }
  }
});

test("no conflicts: distinct senders writing their own slots, through the shared pool (threads option)", () => {
  const rb = randomBlock(777, { txs: 1, invalidChance: 0 });
  const senders = [...rb.state.addresses()].filter((a) => a >> 152n === 0xa1n);
  const txs: TxInput[] = senders.map((sender) => ({
    type: 2,
    chainId: 1n,
    sender,
    nonce: rb.state.account(sender)!.nonce,
    gasLimit: 100_000n,
    maxFeePerGas: 10n,
    maxPriorityFeePerGas: 0n,
    to: contractAddress("write"),
    value: 0n,
    // SSTORE(sender, 7): a slot of its own.
    data: incData(sender, 7n),
    accessList: [],
  }));
  const sequential = executeBlock(txs, rb.block, rb.state, { mode: "sequential" });
  assert.ok(sequential.valid);
  for (let run = 0; run < 3; run++) {
    const parallel = executeBlock(txs, rb.block, rb.state, { mode: "parallel", threads: 2 });
    assertSameBlock(rb, parallel, sequential);
    assert.equal(parallel.mode, "parallel");
  }
});

test("an invalid transaction rejects the block on threads as it does sequentially", () => {
  const rb = randomBlock(12, { txs: 30, invalidChance: 0 });
  rb.txs[17]!.nonce += 5n;
  const result = executeBlock(rb.txs, rb.block, rb.state, { mode: "parallel", pool: pools.get(2)! });
  assert.ok(!result.valid);
  assert.equal(result.txIndex, 17);
  assert.equal(result.error.reason, "NONCE_TOO_HIGH");
  assert.equal(result.mode, "parallel");
});

test("an overflowing op log falls back to single-thread Block-STM with the same result", async () => {
  const pool = new BlockStmPool(2, { logBytes: 64 });
  try {
    const rb = randomBlock(3, { txs: 20, invalidChance: 0 });
    const sequential = executeBlock(rb.txs, rb.block, rb.state, { mode: "sequential" });
    assertSameBlock(rb, executeBlock(rb.txs, rb.block, rb.state, { mode: "parallel", pool }), sequential);
  } finally {
    await pool.terminate();
  }
});
