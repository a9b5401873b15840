// Chain.prepareMining: the next block executed ahead of its request, taken by the startMining that
// matches it and dropped otherwise; either way the chain is the one mined without it.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { Chain } from "./chain.js";
import { ALICE, BOB, CAROL, DAVE, ETHER, GENESIS_TIME, TempDirs, testGenesis, tx } from "./chain-testkit.js";
import type { Block, SignedTransaction } from "./types.js";

const temp = new TempDirs();
after(() => temp.cleanup());

const first = [tx(ALICE, { nonce: 0n, to: CAROL, value: ETHER }), tx(BOB, { nonce: 0n, to: CAROL, value: 2n * ETHER })];
const second = [tx(CAROL, { nonce: 0n, to: DAVE, value: 3n * ETHER }), tx(ALICE, { nonce: 1n, to: BOB, value: 1n })];

/** Blocks 1 and 2 mined one at a time, nothing prepared; `between` runs after block 1. */
async function reference(between?: (chain: Chain) => Promise<void>): Promise<Block[]> {
  const chain = await Chain.open({ datadir: temp.make(), genesis: testGenesis() });
  const one = await chain.mine(first, { timestamp: GENESIS_TIME + 1n });
  await between?.(chain);
  const two = await chain.mine(second, { timestamp: GENESIS_TIME + 2n });
  await chain.close();
  return [one.block, two.block];
}

/**
 * Block 1 started, block 2 prepared from `prepared` at `preparedTime` while block 1 is written,
 * `between` run, then block 2 mined from `second`: the blocks and the chain's counters.
 */
async function withPrepared(
  prepared: readonly SignedTransaction[],
  preparedTime: bigint,
  between?: (chain: Chain) => Promise<void>,
): Promise<{ blocks: Block[]; preparedBlocks: number; preparedDropped: number; datadir: string }> {
  const datadir = temp.make();
  const chain = await Chain.open({ datadir, genesis: testGenesis() });
  const started = await chain.startMining(first, { timestamp: GENESIS_TIME + 1n });
  const preparing = chain.prepareMining(prepared, { timestamp: preparedTime });
  const one = await started.mined;
  await preparing;
  await between?.(chain);
  const two = await chain.mine(second, { timestamp: GENESIS_TIME + 2n });
  const { preparedBlocks, preparedDropped } = chain.metrics;
  await chain.close();
  return { blocks: [one.block, two.block], preparedBlocks, preparedDropped, datadir };
}

test("a block prepared while its parent is written is the block mined, and taken (not executed again)", async () => {
  const expected = await reference();
  const r = await withPrepared(second, GENESIS_TIME + 2n);
  assert.deepEqual(
    r.blocks.map((b) => b.hash),
    expected.map((b) => b.hash),
  );
  assert.equal(r.preparedBlocks, 1);
  assert.equal(r.preparedDropped, 0);
  // The store's check on open recomputes the head's root from the trie: the prepared root was written.
  const reopened = await Chain.open({ datadir: r.datadir, genesis: testGenesis(), resume: true });
  assert.equal(reopened.head().hash, expected[1]!.hash);
  assert.equal(reopened.state().account(CAROL)?.nonce, 1n);
  await reopened.close();
});

test("a prepared block of other transactions, or another timestamp, is dropped and the block mined afresh", async () => {
  const expected = await reference();
  for (const [txs, time] of [
    [second.slice(0, 1), GENESIS_TIME + 2n],
    [[...second].reverse(), GENESIS_TIME + 2n],
    [second, GENESIS_TIME + 3n],
  ] as const) {
    const r = await withPrepared(txs, time);
    assert.deepEqual(
      r.blocks.map((b) => b.hash),
      expected.map((b) => b.hash),
    );
    assert.equal(r.preparedBlocks, 0);
    assert.equal(r.preparedDropped, 1);
  }
});

test("a write between (a dev edit) drops the prepared block: the next block sees the edit", async () => {
  const edit = (chain: Chain) => chain.setAccount(CAROL, { balance: 100n * ETHER });
  const expected = await reference(edit);
  const r = await withPrepared(second, GENESIS_TIME + 2n, edit);
  assert.deepEqual(
    r.blocks.map((b) => b.hash),
    expected.map((b) => b.hash),
  );
  assert.equal(r.preparedBlocks, 0);
  assert.equal(r.preparedDropped, 1);
  // Without the edit the blocks differ: the test sees the edit's effect, not two equal chains by chance.
  assert.notEqual(expected[1]!.hash, (await reference())[1]!.hash);
});

test("a chain closed with a block prepared reopens at its head, the prepared block's root never written", async () => {
  const datadir = temp.make();
  const chain = await Chain.open({ datadir, genesis: testGenesis() });
  const started = await chain.startMining(first, { timestamp: GENESIS_TIME + 1n });
  const preparing = chain.prepareMining(second, { timestamp: GENESIS_TIME + 2n });
  const one = await started.mined;
  await preparing;
  await chain.close();
  assert.equal(chain.metrics.preparedDropped, 1);
  const reopened = await Chain.open({ datadir, genesis: testGenesis(), resume: true });
  assert.equal(reopened.head().hash, one.block.hash);
  const two = await reopened.mine(second, { timestamp: GENESIS_TIME + 2n });
  assert.equal(two.block.hash, (await reference())[1]!.hash);
  await reopened.close();
});

test("a block prepared on a block whose commit fails is dropped: the chain goes on from the durable head", async () => {
  const expected = await reference();
  const chain = await Chain.open({ datadir: temp.make(), genesis: testGenesis() });
  // Block 1's batch, staged, fails in LMDB's hands once block 2 is prepared (nothing of it is written).
  type Staging = { commitStaged: (staged: unknown) => Promise<void> };
  const lmdb = (chain as unknown as { core: { lmdb: Staging } }).core.lmdb;
  const commitStaged = lmdb.commitStaged;
  let fail!: () => void;
  const failed = new Promise<void>((resolve) => (fail = resolve));
  lmdb.commitStaged = async () => {
    lmdb.commitStaged = commitStaged;
    await failed;
    throw new Error("disk gone");
  };
  const started = await chain.startMining(first, { timestamp: GENESIS_TIME + 1n });
  await chain.prepareMining(second, { timestamp: GENESIS_TIME + 2n });
  const prepared = (chain as unknown as { core: { prepared: unknown } }).core.prepared;
  assert.notEqual(prepared, undefined, "block 2 prepared on block 1 in flight");
  fail();
  await assert.rejects(started.mined, /disk gone/);
  assert.equal(chain.head().header.number, 0n);
  // Block 1 again, then block 2: the blocks mined without any of it.
  const one = await chain.mine(first, { timestamp: GENESIS_TIME + 1n });
  const two = await chain.mine(second, { timestamp: GENESIS_TIME + 2n });
  assert.deepEqual(
    [one.block.hash, two.block.hash],
    expected.map((b) => b.hash),
  );
  assert.equal(chain.metrics.preparedBlocks, 0);
  assert.equal(chain.metrics.preparedDropped, 1);
  await chain.close();
});
