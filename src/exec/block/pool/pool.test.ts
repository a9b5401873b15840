// Block-STM on the worker pool against the sequential executor: random blocks (testkit.ts) on pools of
// 2, 4 and 8 threads (more threads than cores is allowed), each run several times to catch races, and
// again with workers pausing at random (stress); plus a hot-slot block, a conflict-free one, and the
// mid-block fallback. Receipts, gas, net writes and the post-state root must be identical.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { AccountWrite, StateWrites } from "../../../evm/host.js";
import { initPrecompiles } from "../../../evm/precompiles/index.js";
import { EMPTY_CODE_HASH } from "../../../primitives/keccak.js";
import { LmdbState } from "../../../state/lmdb-state.js";
import { MemoryState } from "../../../state/memory-state.js";
import type { TxInput } from "../../types.js";
import { executeBlock, executeBlockInSlices, forgetPace, MAX_WARMING_RUNS } from "../execute-block.js";
import { BlockOverlay } from "../overlay.js";
import { prng } from "../prng.js";
import { assertSameBlock, contractAddress, hotCounterTxs, incData, randomBlock } from "../testkit.js";
import { lmdbBase, snapshotState } from "./base-state.js";
import { BlockStmPool, terminateSharedPools } from "./pool.js";

const pools = new Map<number, BlockStmPool>();
before(async () => {
  await initPrecompiles();
  for (const threads of [2, 4, 8]) pools.set(threads, new BlockStmPool(threads));
  pools.set(STRESS, new BlockStmPool(4, { stressMicros: 200 }));
});
const dirs: string[] = [];
after(async () => {
  for (const pool of pools.values()) await pool.terminate();
  await terminateSharedPools();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const BLOCKS = 60;
const RUNS = 3;
/** The key of the stress pool: 4 threads that pause up to 200 µs at random before each step. */
const STRESS = -4;

for (const threads of [2, 4, 8, STRESS]) {
  const name = threads === STRESS ? "pool of 4 threads with random pauses (stress)" : `pool of ${threads} threads`;
  test(`${name} equals sequential on ${BLOCKS} random blocks, ${RUNS} runs each`, () => {
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
    // Random blocks conflict: the runs must have exercised aborts, or they proved little.
    assert.ok(reexecutions > 0, `no re-executions in ${BLOCKS * RUNS} runs`);
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

test("auto mode on a hot slot: the workers stop mid-block and the rest runs sequentially, same result", () => {
  // Large enough for "auto" to start Block-STM whatever rate earlier blocks taught it.
  const rb = randomBlock(99, { txs: 1500, invalidChance: 0 });
  const txs = hotCounterTxs(rb);
  const sequential = executeBlock(txs, rb.block, rb.state, { mode: "sequential" });
  // Whether a run falls back depends on timing (a worker may race through alone); over ten runs one does.
  const reasons: string[] = [];
  for (let run = 0; run < 10; run++) {
    // Each run starts Block-STM: no pace learnt that would run the block sequentially from the start.
    forgetPace();
    const auto = executeBlock(txs, rb.block, rb.state, { mode: "auto", pool: pools.get(2)!, stats: true });
    assertSameBlock(rb, auto, sequential);
    reasons.push(auto.modeReason);
  }
  assert.ok(
    reasons.some((r) => /then sequential from transaction \d+: .* (too dependent|too cheap) to pay/.test(r)),
    reasons.join("\n"),
  );
});

test("auto with no pace learnt: Block-STM on a trial of the block's first transactions, the rest sequential, until the workers are warm; then decided", () => {
  // Enough work for "auto" to start Block-STM whatever rate the blocks teach it (30M gas holds some 800 of them).
  const rb = randomBlock(31, { txs: 1500, invalidChance: 0 });
  rb.block.gasLimit = 10n ** 10n;
  const sequential = executeBlock(rb.txs, rb.block, rb.state, { mode: "sequential" });
  // A trial below the mid-block fallback's first check (16 commits) always runs to its end.
  const trialTxs = 12;
  forgetPace();
  const reasons: string[] = [];
  for (let block = 0; block < MAX_WARMING_RUNS + 2; block++) {
    const auto = executeBlock(rb.txs, rb.block, rb.state, { mode: "auto", pool: pools.get(2)!, stats: true, trialTxs });
    assertSameBlock(rb, auto, sequential);
    reasons.push(auto.modeReason);
    if (!/a trial/.test(auto.modeReason)) break;
    assert.match(auto.modeReason, /then sequential from transaction 12: a trial of Block-STM on the first 12/);
    assert.equal(auto.stats!.committedInParallel, trialTxs);
  }
  // The first trial warms the workers up (not learnt); a later one is learnt once their rate stops
  // improving, or after MAX_WARMING_RUNS runs whatever it does: the block after it is decided.
  assert.ok(reasons.length >= 3 && reasons.length <= MAX_WARMING_RUNS + 2, reasons.join("\n"));
  assert.doesNotMatch(reasons.at(-1)!, /a trial/, reasons.join("\n"));
});

test("in slices on threads: the caller's event loop turns while the workers run, and the block is the same", async () => {
  const rb = randomBlock(99, { txs: 1500, invalidChance: 0 });
  const txs = hotCounterTxs(rb);
  const sequential = executeBlock(txs, rb.block, rb.state, { mode: "sequential" });
  let pauses = 0;
  const slices = { ms: 0, pause: () => new Promise<void>((resolve) => setImmediate(() => resolve(void pauses++))) };
  for (const mode of ["parallel", "auto"] as const) {
    forgetPace();
    const before = pauses;
    const result = await executeBlockInSlices(txs, rb.block, rb.state, { mode, pool: pools.get(2)! }, slices);
    assertSameBlock(rb, result, sequential);
    assert.match(result.modeReason, /Block-STM/);
    assert.ok(pauses - before > 10, `${mode}: ${pauses - before} pauses over ${txs.length} transactions`);
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

test("a block that overflows the shared memory finishes sequentially with the same result", async () => {
  const capacity = {
    tableEntries: 1 << 12,
    records: 1 << 12,
    nodes: 16,
    valueWords: 1 << 12,
    setInts: 1 << 12,
    txs: 64,
  };
  const pool = new BlockStmPool(2, { capacity });
  try {
    const rb = randomBlock(3, { txs: 20, invalidChance: 0 });
    const sequential = executeBlock(rb.txs, rb.block, rb.state, { mode: "sequential" });
    const parallel = executeBlock(rb.txs, rb.block, rb.state, { mode: "parallel", pool });
    assertSameBlock(rb, parallel, sequential);
    assert.match(parallel.modeReason, /memory ran out of room/);
  } finally {
    await pool.terminate();
  }
});

test("BLOCKHASH on threads: the 256 hashes before each block as the state gives them, when the chain moves on and when it changes", () => {
  const rb = randomBlock(31, { txs: 1, invalidChance: 0 });
  // SSTORE(0, BLOCKHASH(NUMBER - 1)); SSTORE(1, BLOCKHASH(NUMBER - 256)); STOP
  const code = Uint8Array.from([
    0x60, 0x01, 0x43, 0x03, 0x40, 0x60, 0x00, 0x55, 0x61, 0x01, 0x00, 0x43, 0x03, 0x40, 0x60, 0x01, 0x55, 0x00,
  ]);
  let fork = 0n;
  const state = new MemoryState((n) => (n * 0x1000003n + fork) & ((1n << 256n) - 1n));
  const reader = 0xb10c0000000000000000000000000000000000b1n;
  state.setAccount(reader, { nonce: 1n, balance: 0n, code });
  const senders = Array.from({ length: 40 }, (_, i) => (0xa5n << 152n) | BigInt(i + 1));
  for (const s of senders) state.setAccount(s, { nonce: 0n, balance: 10n ** 20n });
  const txs: TxInput[] = senders.map((sender) => ({
    type: 2,
    chainId: rb.block.chainId,
    sender,
    nonce: 0n,
    gasLimit: 100_000n,
    maxFeePerGas: rb.block.baseFee,
    maxPriorityFeePerGas: 0n,
    to: reader,
    value: 0n,
    data: new Uint8Array(0),
    accessList: [],
  }));
  const pool = pools.get(2)!;
  // Block 300, 301 (the chain moved on), 301 again after the hashes below it changed, then 302.
  for (const [number, changed] of [
    [300n, 0n],
    [301n, 0n],
    [301n, 7n],
    [302n, 7n],
  ] as const) {
    fork = changed;
    const block = { ...rb.block, number };
    const sequential = executeBlock(txs, block, state, { mode: "sequential" });
    const parallel = executeBlock(txs, block, state, { mode: "parallel", pool });
    assert.ok(sequential.valid && parallel.valid);
    assert.equal(parallel.mode, "parallel");
    const written = parallel.writes.get(reader)!.storage;
    assert.equal(written.get(0n), state.blockHash(number - 1n), `block ${number}: BLOCKHASH(number - 1)`);
    assert.equal(written.get(1n), state.blockHash(number - 256n), `block ${number}: BLOCKHASH(number - 256)`);
    assert.deepEqual(parallel.writes.get(reader), sequential.writes.get(reader));
  }
});

test("workers over LMDB with a block in flight: its pending writes layered over what they read, as the main thread's state has them", async () => {
  let differsWithout = 0;
  for (let seed = 1; seed <= 12; seed++) {
    // Blocks large enough that the workers, not only the main thread, execute many of their transactions.
    const rb = randomBlock(seed, { invalidChance: 0, txs: 300 });
    const r = prng(seed);
    // Each account of the block's pre-state is either committed to LMDB or only in the writes of the
    // block in flight; some committed ones also have their balance and slots changed by it.
    const committed: StateWrites = new Map();
    const pending: StateWrites = new Map();
    for (const address of rb.state.addresses()) {
      const info = rb.state.account(address)!;
      const write: AccountWrite = {
        deleted: false,
        nonce: info.nonce,
        balance: info.balance,
        codeHash: info.codeHash,
        storageCleared: false,
        storage: new Map(rb.state.storageEntries(address)),
      };
      if (info.codeHash !== EMPTY_CODE_HASH) write.code = rb.state.code(address);
      if (r.chance(0.5)) {
        pending.set(address, write);
        continue;
      }
      committed.set(address, write);
      if (r.chance(0.5)) {
        const storage = new Map([...write.storage].map(([slot, value]) => [slot, value + 1n]));
        pending.set(address, { ...write, code: undefined, balance: write.balance + 7n, storage });
      }
    }
    const dir = mkdtempSync(join(tmpdir(), "weft-pending-"));
    dirs.push(dir);
    const lmdb = LmdbState.open(dir);
    lmdb.commitSync(committed, { number: 0n });
    const state = new BlockOverlay(lmdb);
    state.apply(pending);
    const sequential = executeBlock(rb.txs, rb.block, state, { mode: "sequential" });
    const pool = pools.get(2)!;
    for (let run = 0; run < 3; run++) {
      const parallel = executeBlock(rb.txs, rb.block, state, { mode: "parallel", pool, base: lmdbBase(dir, pending) });
      assert.equal(parallel.mode, "parallel");
      assertSameBlock(rb, parallel, sequential);
    }
    // Without them the workers read another state: the blocks here depend on it.
    const blind = executeBlock(rb.txs, rb.block, state, { mode: "parallel", pool, base: lmdbBase(dir) });
    if (
      !blind.valid ||
      !sequential.valid ||
      JSON.stringify(blind.receipts, bigints) !== JSON.stringify(sequential.receipts, bigints)
    ) {
      differsWithout++;
    }
    await lmdb.close();
  }
  assert.ok(differsWithout > 0, "no block read what only the pending writes hold");
});

function bigints(_: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}
