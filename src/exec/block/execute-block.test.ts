// Differential property tests: random blocks executed by the reference (each transaction applied to a
// MemoryState in turn, as BenchChain does), by the sequential executor and by Block-STM under several
// random schedules must agree on every receipt, the gas, the net writes and the post-state root.
// Every failure names its seed: `randomBlock(seed)` rebuilds the block.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { initPrecompiles } from "../../evm/precompiles/index.js";
import { processTransaction } from "../process-transaction.js";
import {
  autoChoice,
  CHEAP_DRIFT,
  executeBlock,
  PARALLEL_MIN_TXS,
  PARALLEL_PAYS,
  PARALLEL_RETRY_BLOCKS,
  paceChoice,
} from "./execute-block.js";
import { prng } from "./prng.js";
import { assertSameBlock, COINBASE, hotCounterTxs, type RandomBlock, randomBlock, rootAfter } from "./testkit.js";
import type { BlockResult, Receipt } from "./types.js";

before(async () => {
  await initPrecompiles();
});

type Truth =
  | { valid: true; receipts: Receipt[]; gasUsed: bigint; root: bigint }
  | { valid: false; txIndex: number; reason: string };

/** The plainest execution there is: one transaction at a time on a MemoryState. */
function reference(rb: RandomBlock): Truth {
  const state = rb.state.clone();
  const receipts: Receipt[] = [];
  let gasUsed = 0n;
  for (let i = 0; i < rb.txs.length; i++) {
    const tx = rb.txs[i]!;
    if (tx.gasLimit > rb.block.gasLimit - gasUsed)
      return { valid: false, txIndex: i, reason: "GAS_LIMIT_EXCEEDS_BLOCK" };
    const out = processTransaction(tx, rb.block, state);
    if (!out.valid) return { valid: false, txIndex: i, reason: out.error.reason };
    state.applyWrites(out.writes);
    gasUsed += out.gasUsed;
    const receipt: Receipt = { status: out.status, gasUsed: out.gasUsed, cumulativeGasUsed: gasUsed, logs: out.logs };
    if (out.createdAddress !== undefined) receipt.createdAddress = out.createdAddress;
    receipts.push(receipt);
  }
  return { valid: true, receipts, gasUsed, root: state.stateRoot() };
}

function assertMatchesReference(rb: RandomBlock, truth: Truth, result: BlockResult): void {
  if (!truth.valid) {
    assert.equal(result.valid, false, "the block should be rejected");
    assert.ok(!result.valid);
    assert.equal(result.txIndex, truth.txIndex);
    assert.equal(result.error.reason, truth.reason);
    return;
  }
  assert.ok(result.valid, result.valid ? "" : `rejected at ${result.txIndex}: ${result.error.message}`);
  assert.deepStrictEqual(result.receipts, truth.receipts);
  assert.equal(result.gasUsed, truth.gasUsed);
  assert.equal(rootAfter(rb, result), truth.root, "post-state root");
}

const BLOCKS = 400;
const SCHEDULES = 4;

test(`Block-STM equals sequential execution on ${BLOCKS} random blocks, ${SCHEDULES} schedules each`, () => {
  let reexecutions = 0;
  let parallelRuns = 0;
  for (let seed = 1; seed <= BLOCKS; seed++) {
    const rb = randomBlock(seed);
    const where = (what: string) => `seed ${seed} (${rb.shape}), ${what}`;
    const truth = reference(rb);
    const sequential = executeBlock(rb.txs, rb.block, rb.state, { mode: "sequential" });
    try {
      assert.equal(sequential.mode, "sequential");
      assertMatchesReference(rb, truth, sequential);
    } catch (error) {
      throw new Error(`${where("sequential")}: ${(error as Error).message}`, { cause: error });
    }
    const schedules = prng(seed * 7919);
    for (let s = 0; s < SCHEDULES; s++) {
      const workers = schedules.pick([1, 2, 3, 4, 8, 16]);
      const scheduleSeed = schedules.int(2 ** 31);
      try {
        const parallel = executeBlock(rb.txs, rb.block, rb.state, { mode: "parallel", workers, seed: scheduleSeed });
        assert.equal(parallel.mode, "parallel");
        assertSameBlock(rb, parallel, sequential);
        reexecutions += parallel.reexecutions;
        parallelRuns++;
      } catch (error) {
        throw new Error(`${where(`workers ${workers}, schedule seed ${scheduleSeed}`)}: ${(error as Error).message}`, {
          cause: error,
        });
      }
    }
  }
  // The blocks must actually conflict, or nothing above tested Block-STM's aborts.
  assert.ok(reexecutions > parallelRuns, `only ${reexecutions} re-executions in ${parallelRuns} runs`);
});

test("every transaction on one hot counter: many aborts, same result", () => {
  const rb = randomBlock(424242, { txs: 40, invalidChance: 0 });
  // Nonces stay valid: each sender's transactions keep their order and count, only the calls change.
  const txs = hotCounterTxs(rb);
  const sequential = executeBlock(txs, rb.block, rb.state, { mode: "sequential" });
  assert.ok(sequential.valid);
  let reexecutions = 0;
  for (const workers of [2, 4, 8]) {
    const parallel = executeBlock(txs, rb.block, rb.state, { mode: "parallel", workers, seed: workers });
    assertSameBlock(rb, parallel, sequential);
    reexecutions += parallel.reexecutions;
  }
  assert.ok(reexecutions > 0);
});

test("auto mode: sequential in one thread and for tiny blocks; Block-STM on threads", () => {
  const tiny = randomBlock(5, { txs: PARALLEL_MIN_TXS - 1, invalidChance: 0 });
  assert.equal(executeBlock(tiny.txs, tiny.block, tiny.state).mode, "sequential");
  const large = randomBlock(6, { txs: PARALLEL_MIN_TXS, invalidChance: 0 });
  const result = executeBlock(large.txs, large.block, large.state);
  assert.equal(result.mode, "sequential", "one thread");
  assertMatchesReference(large, reference(large), result);
  assert.match(result.modeReason, /one thread/);
  assert.equal(autoChoice(large.txs, 2).parallel, true);
  assert.equal(autoChoice(large.txs.slice(0, PARALLEL_MIN_TXS - 1), 2).parallel, false);
  assert.equal(autoChoice(large.txs, 1).parallel, false);
  // Plain value transfers to accounts without code: too cheap to pay.
  const transfers = large.txs.map((tx) => ({ ...tx, to: 0xdead0000n + BigInt(tx.nonce), data: new Uint8Array(0) }));
  assert.match(autoChoice(transfers, 2, large.state).reason, /value transfers/);
  // After a start stopped mid-block as too cheap, transactions about as cheap (sequentially) as then
  // run sequentially from the start, however much work the block holds; dearer ones, or after
  // PARALLEL_RETRY_BLOCKS blocks, start Block-STM again.
  const manyTxs = Array.from({ length: 4000 }, () => large.txs[0]!);
  const stop = { sequentialMicrosAtStop: 14, sequentialMicrosNow: 15, blocksSince: 0 };
  assert.equal(autoChoice(manyTxs, 2, undefined, 30).parallel, true);
  const cheap = autoChoice(manyTxs, 2, undefined, 30, stop);
  assert.equal(cheap.parallel, false);
  assert.match(
    cheap.reason,
    /sequentially in 15\.0 µs, as cheap as when the last start of Block-STM stopped as too cheap \(14\.0\)/,
  );
  const dearer = { ...stop, sequentialMicrosNow: CHEAP_DRIFT * 14 };
  assert.equal(autoChoice(manyTxs, 2, undefined, 30, dearer).parallel, true);
  const later = { ...stop, blocksSince: PARALLEL_RETRY_BLOCKS };
  assert.equal(autoChoice(manyTxs, 2, undefined, 30, later).parallel, true);
});

test("an existing empty coinbase falls back to sequential (a zero fee deletes it)", () => {
  const rb = randomBlock(11, { txs: 20, invalidChance: 0 });
  rb.state.setAccount(COINBASE, { nonce: 0n, balance: 0n, storage: new Map([[1n, 2n]]) });
  const result = executeBlock(rb.txs, rb.block, rb.state, { mode: "parallel", workers: 4 });
  assert.equal(result.mode, "sequential");
  assertMatchesReference(rb, reference(rb), result);
});

test("a block with an invalid transaction is rejected with its index and reason, in both modes", () => {
  const rb = randomBlock(12, { txs: 30, invalidChance: 0 });
  rb.txs[17]!.nonce += 5n;
  for (const mode of ["sequential", "parallel"] as const) {
    const result = executeBlock(rb.txs, rb.block, rb.state, { mode, workers: 4, seed: 3 });
    assert.equal(result.valid, false);
    assert.ok(!result.valid);
    assert.equal(result.txIndex, 17);
    assert.equal(result.error.reason, "NONCE_TOO_HIGH");
    assert.equal(result.mode, mode);
  }
});

test("a transaction beyond the block's gas left rejects the block", () => {
  const rb = randomBlock(13, { txs: 40, invalidChance: 0 });
  rb.block.gasLimit = 1_000_000n;
  const truth = reference(rb);
  assert.equal(truth.valid, false, "the fixture should overflow the block");
  for (const mode of ["sequential", "parallel"] as const) {
    assertMatchesReference(rb, truth, executeBlock(rb.txs, rb.block, rb.state, { mode, workers: 3, seed: 9 }));
  }
});

test("auto runs sequentially while Block-STM is measured slower, and tries it again after a while", () => {
  // Nothing measured yet, or a block that paid: Block-STM.
  assert.equal(paceChoice(undefined, undefined, 0), undefined);
  assert.equal(paceChoice(50, 100, 0), undefined);
  assert.equal(paceChoice(PARALLEL_PAYS * 100, 100, 0), undefined);
  // Block-STM measured, sequential not yet: one sequential block to compare.
  assert.match(paceChoice(40, undefined, 0)!, /one sequential block to compare/);
  // Slower than sequential, or not faster by the margin: sequential, saying both paces.
  assert.match(paceChoice(120, 100, 3)!, /took 120\.0 µs per transaction, sequential ones 100\.0: too slow to pay/);
  assert.notEqual(paceChoice(PARALLEL_PAYS * 100 + 1, 100, 0), undefined);
  // After PARALLEL_RETRY_BLOCKS sequential blocks it is tried again, whatever the last pace said.
  assert.notEqual(paceChoice(120, 100, PARALLEL_RETRY_BLOCKS - 1), undefined);
  assert.equal(paceChoice(120, 100, PARALLEL_RETRY_BLOCKS), undefined);
});
