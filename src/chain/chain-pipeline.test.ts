// The chain's one-block pipeline: a block executes on the block whose commit is in flight, which
// becomes the head only once durable; other writes wait for it.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { bigintToBytes } from "../primitives/hex.js";
import { Chain, type MinedBlock, TipMovedError } from "./chain.js";
import {
  ALICE,
  BOB,
  CAROL,
  ETHER,
  GENESIS_TIME,
  STORE_AND_LOG_RUNTIME,
  storeAndLogInitcode,
  TempDirs,
  testGenesis,
  tx,
} from "./chain-testkit.js";
import type { SignedTransaction } from "./types.js";

const temp = new TempDirs();
after(() => temp.cleanup());

/** Block 1 deploys the contract and moves ether; block 2 calls it and spends what block 1 moved. */
function blocks(contract: bigint): SignedTransaction[][] {
  return [
    [
      tx(ALICE, { nonce: 0n, to: null, data: storeAndLogInitcode(), gasLimit: 200_000n }),
      tx(BOB, { nonce: 0n, to: CAROL, value: 5n * ETHER }),
    ],
    [
      tx(ALICE, { nonce: 1n, to: contract, data: bigintToBytes(7n, 32), gasLimit: 100_000n }),
      tx(CAROL, { nonce: 0n, to: BOB, value: 10_003n * ETHER }),
    ],
  ];
}

/** The reference: the two blocks mined one at a time, each awaited, and block 1's contract. */
async function minedOneAtATime(): Promise<{ first: MinedBlock; second: MinedBlock; contract: bigint }> {
  const chain = await Chain.open({ datadir: temp.make(), genesis: testGenesis() });
  const first = await chain.mine(blocks(0n)[0]!, { timestamp: GENESIS_TIME + 1n });
  const contract = first.receipts[0]!.contractAddress!;
  const second = await chain.mine(blocks(contract)[1]!, { timestamp: GENESIS_TIME + 2n });
  await chain.close();
  return { first, second, contract };
}

test("a block mined on the block being committed: reported once durable, the same blocks as mined one at a time", async () => {
  const { first, second, contract } = await minedOneAtATime();
  assert.equal(second.block.transactions.length, 2, "block 2 needs block 1's state");

  const datadir = temp.make();
  const chain = await Chain.open({ datadir, genesis: testGenesis() });
  const [one, two] = blocks(contract);
  const started = await chain.startMining(one!, { timestamp: GENESIS_TIME + 1n });
  // Its writes are in LMDB's transaction, not yet durable: the tip, not the head.
  assert.equal(chain.tip().hash, started.block.hash);
  assert.equal(chain.head().header.number, 0n);
  assert.equal(chain.receipt(one![0]!.hash), undefined, "not reported before it is durable");
  assert.equal(chain.state().account(ALICE)?.nonce, 0n, "the head's state, whether or not LMDB holds block 1 yet");
  const next = await chain.startMining(two!, { timestamp: GENESIS_TIME + 2n, parent: started.block.hash });
  const [mined1, mined2] = await Promise.all([started.mined, next.mined]);
  assert.equal(mined1.block.hash, first.block.hash);
  assert.equal(mined2.block.hash, second.block.hash, "same state root, receipts and transactions");
  assert.equal(chain.head().hash, mined2.block.hash);
  assert.equal(chain.state().storage(contract, 0n), 7n);
  assert.deepEqual(new Uint8Array(chain.state().code(contract)), STORE_AND_LOG_RUNTIME);
  await chain.close();
  // The store's check on open recomputes nothing wrong: head 2, its root the stored trie's.
  const reopened = await Chain.open({ datadir, genesis: testGenesis(), resume: true });
  assert.equal(reopened.head().hash, mined2.block.hash);
  await reopened.close();
});

test("Block-STM on workers over the block in flight (its writes layered over LMDB) mines the same blocks", async () => {
  const { first, second, contract } = await minedOneAtATime();

  // "parallel": Block-STM on every block; block 2 starts while block 1's commit is in flight, so its
  // workers read block 1's contract, storage and balances from the pending writes, not from LMDB.
  const chain = await Chain.open({
    datadir: temp.make(),
    genesis: testGenesis(),
    threads: 2,
    executorMode: "parallel",
  });
  const [one, two] = blocks(contract);
  const started = await chain.startMining(one!, { timestamp: GENESIS_TIME + 1n });
  assert.equal(chain.head().header.number, 0n, "block 2 starts before block 1 is durable");
  const next = await chain.startMining(two!, { timestamp: GENESIS_TIME + 2n, parent: started.block.hash });
  const [mined1, mined2] = await Promise.all([started.mined, next.mined]);
  assert.equal(mined1.block.hash, first.block.hash);
  assert.equal(mined2.block.hash, second.block.hash, "same state root, receipts and transactions");
  assert.equal(chain.metrics.parallelBlocks, 2);
  await chain.close();
});

test("a dev edit waits for the block in flight; a block told to build on a gone parent refuses", async () => {
  const chain = await Chain.open({ datadir: temp.make(), genesis: testGenesis() });
  const started = await chain.startMining([tx(ALICE, { nonce: 0n, value: 1n })], { timestamp: GENESIS_TIME + 1n });
  assert.equal(chain.head().header.number, 0n);
  await chain.setAccount(BOB, { balance: 3n });
  assert.equal(chain.head().hash, started.block.hash, "the edit ran once the block was the head");
  assert.equal(chain.state().account(BOB)?.balance, 3n);
  await assert.rejects(
    chain.startMining([], { timestamp: GENESIS_TIME + 2n, parent: 123n }),
    (e: Error) => e instanceof TipMovedError && /intended parent is gone/.test(e.message),
  );
  await chain.close();
});

test("a mined block's execution and root run in slices: the event loop turns while it is built, and the block is the same", async () => {
  // 200 transfers to 200 new accounts: many slices of execution and of trie updates.
  const transfers = Array.from({ length: 200 }, (_, i) =>
    tx(ALICE, { nonce: BigInt(i), to: 0xbeef0000n + BigInt(i), value: BigInt(i + 1) }),
  );
  const mineWith = async (miningSliceMs: number) => {
    const chain = await Chain.open({ datadir: temp.make(), genesis: testGenesis(), miningSliceMs });
    let turns = 0;
    let counting = true;
    const count = () => {
      if (!counting) return;
      turns++;
      setImmediate(count);
    };
    setImmediate(count);
    const started = await chain.startMining(transfers, { timestamp: GENESIS_TIME + 1n });
    counting = false;
    const mined = await started.mined;
    await chain.close();
    return { mined, turns };
  };
  const whole = await mineWith(Number.POSITIVE_INFINITY);
  const sliced = await mineWith(0);
  assert.equal(sliced.mined.block.transactions.length, 200);
  assert.equal(sliced.mined.block.hash, whole.mined.block.hash, "same transactions, receipts and state root");
  // Execution yields every 8 transactions and the trie every 32 updates: a slice of 0 ms pauses at each.
  assert.ok(sliced.turns >= 200 / 8, `the event loop turned ${sliced.turns} times while the block was built`);
  assert.ok(sliced.turns > whole.turns + 200 / 8, `whole: ${whole.turns} turns, sliced: ${sliced.turns}`);
});
