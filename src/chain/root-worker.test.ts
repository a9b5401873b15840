// The state root on its own thread (ChainOptions.stateRootWorker, the node's default) against the
// same chain with the trie on the main thread: every block hash, proof and root equal, through
// pipelined mining, dev edits, a revert, the log's moves to its tables, and a restart.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { bigintToBytes } from "../primitives/hex.js";
import { Chain } from "./chain.js";
import {
  ALICE,
  BOB,
  CAROL,
  DAVE,
  ETHER,
  GENESIS_TIME,
  storeAndLogInitcode,
  TempDirs,
  testGenesis,
  tx,
} from "./chain-testkit.js";
import type { SignedTransaction } from "./types.js";

const temp = new TempDirs();
after(() => temp.cleanup());

/** Block `n`'s transactions: transfers among the four accounts and, from block 1, a write to the contract's storage. */
function blockTxs(n: number, contract: bigint | undefined, nonces: Map<bigint, bigint>): SignedTransaction[] {
  const next = (from: bigint) => {
    const nonce = nonces.get(from) ?? 0n;
    nonces.set(from, nonce + 1n);
    return nonce;
  };
  if (contract === undefined) {
    return [tx(ALICE, { nonce: next(ALICE), to: null, data: storeAndLogInitcode(), gasLimit: 200_000n })];
  }
  const people = [ALICE, BOB, CAROL, DAVE];
  const from = people[n % 4]!;
  const to = people[(n + 1) % 4]!;
  return [
    tx(from, { nonce: next(from), to, value: BigInt(n) * 1000n }),
    tx(to, { nonce: next(to), to: contract, data: bigintToBytes(BigInt(n * 7 + 1), 32), gasLimit: 100_000n }),
  ];
}

/** Mines 40 blocks (each started on the one in flight), with a dev edit and a revert among them. */
async function run(chain: Chain): Promise<{ hashes: bigint[]; contract: bigint }> {
  const nonces = new Map<bigint, bigint>();
  const first = await chain.mine(blockTxs(0, undefined, nonces), { timestamp: GENESIS_TIME + 1n });
  const contract = first.receipts[0]!.contractAddress!;
  const hashes = [first.block.hash];
  let snapshot: bigint | undefined;
  let inFlight: Promise<unknown>[] = [];
  for (let n = 1; n < 40; n++) {
    if (n === 12) await chain.setAccount(CAROL, { balance: 77n * ETHER, storage: new Map([[5n, 9n]]) });
    if (n === 20) snapshot = chain.snapshot();
    if (n === 26) {
      await Promise.all(inFlight);
      assert.equal(await chain.revert(snapshot!), true);
      hashes.splice(20);
      for (const [from, nonce] of [...nonces]) nonces.set(from, chain.state().account(from)?.nonce ?? nonce);
    }
    const started = await chain.startMining(blockTxs(n, contract, nonces), {
      timestamp: GENESIS_TIME + 1n + BigInt(n),
    });
    inFlight.push(started.mined);
    hashes.push(started.block.hash);
    if (inFlight.length > 2) inFlight = inFlight.slice(-2);
  }
  await Promise.all(inFlight);
  return { hashes, contract };
}

test("roots on their own thread: the same blocks, proofs and restart as on the main thread", async () => {
  const local = await Chain.open({ datadir: temp.make(), genesis: testGenesis() });
  const expected = await run(local);
  const datadir = temp.make();
  let chain = await Chain.open({ datadir, genesis: testGenesis(), stateRootWorker: true });
  const got = await run(chain);
  assert.deepEqual(got.hashes, expected.hashes, "every block hash (so every state root)");
  for (const address of [ALICE, CAROL, got.contract, 0xdeadn]) {
    assert.deepEqual(
      await chain.proveLatest(address, [0n, 1n, 5n, 99n]),
      await local.proveLatest(address, [0n, 1n, 5n, 99n]),
      `proof of ${address}`,
    );
  }
  const stats = await chain.stateCacheStats();
  assert.ok(stats.logCommits < 16, `the log was moved to the tables as it grew (${stats.logCommits} commits logged)`);
  assert.ok(stats.logCommits > 0, "the latest commits are logged");
  await chain.close();
  await local.close();
  chain = await Chain.open({ datadir, genesis: testGenesis(), stateRootWorker: true });
  assert.equal(chain.head().hash, got.hashes.at(-1));
  assert.equal((await chain.stateCacheStats()).logCommits, 0, "closing moved the whole log to the tables");
  const more = await chain.mine(
    blockTxs(
      41,
      got.contract,
      new Map([
        [BOB, chain.state().account(BOB)!.nonce],
        [CAROL, chain.state().account(CAROL)!.nonce],
      ]),
    ),
    {
      timestamp: GENESIS_TIME + 100n,
    },
  );
  assert.equal(more.block.transactions.length, 2);
  await chain.close();
});
