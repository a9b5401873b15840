import assert from "node:assert/strict";
import { join } from "node:path";
import { after, test } from "node:test";
import { EMPTY_CODE_HASH } from "../primitives/keccak.js";
import { LmdbState } from "../state/lmdb-state.js";
import { StoreDamagedError } from "../state/store-errors.js";
import { Chain } from "./chain.js";
import { checkChainDatadir } from "./chain-check.js";
import { ALICE, BOB, ETHER, GENESIS_TIME, TempDirs, testGenesis, tx } from "./chain-testkit.js";
import { forkMeta } from "./fork.js";

const dirs = new TempDirs();
after(() => dirs.cleanup());

/** A datadir with a chain of three blocks, closed. */
async function threeBlocks(): Promise<string> {
  const datadir = dirs.make();
  const chain = await Chain.open({ datadir, genesis: testGenesis() });
  assert.equal(chain.created, true);
  for (let i = 0n; i < 3n; i++) {
    await chain.mine([tx(ALICE, { nonce: i, to: BOB, value: ETHER })], { timestamp: GENESIS_TIME + 12n * (i + 1n) });
  }
  await chain.close();
  return datadir;
}

const damaged = (what: RegExp) => (e: unknown) => e instanceof StoreDamagedError && what.test(e.message);

test("a sound store opens and passes the full check; dev edits after the head are not damage", async () => {
  const datadir = await threeBlocks();
  const chain = await Chain.open({ datadir, genesis: testGenesis(), resume: true });
  assert.equal(chain.created, false);
  assert.equal(chain.head().header.number, 3n);
  let report = await checkChainDatadir(datadir);
  assert.equal(report.head, 3n);
  assert.equal(report.headHash, chain.head().hash);
  assert.equal(report.stateRoot, chain.head().header.stateRoot);
  assert.equal(report.stateMatchesHead, true);
  await chain.setAccount(BOB, { balance: 1n });
  await chain.close();
  report = await checkChainDatadir(datadir);
  assert.equal(report.stateMatchesHead, false);
  await (await Chain.open({ datadir, genesis: testGenesis() })).close();
});

test("a state another writer changed under the head is refused (two nodes on one datadir)", async () => {
  const datadir = await threeBlocks();
  const lmdb = LmdbState.open(join(datadir, "chain"));
  const write = { deleted: false, nonce: 0n, balance: 7n, codeHash: EMPTY_CODE_HASH, storageCleared: false };
  await lmdb.commit(new Map([[0x1234n, { ...write, storage: new Map() }]]));
  await lmdb.close();
  const mismatch = /the stored state \(root 0x[0-9a-f]{64}\) is not block 3's state/;
  await assert.rejects(Chain.open({ datadir, genesis: testGenesis() }), damaged(mismatch));
  await assert.rejects(checkChainDatadir(datadir), damaged(mismatch));
});

test("a missing header, a broken hash index or a missing body below the head is refused", async () => {
  const cases: [string, (lmdb: LmdbState) => void, RegExp][] = [
    ["header", (l) => l.database("chain/headers").removeSync(key(2n)), /block 2: its header is missing/],
    ["body", (l) => l.database("chain/bodies").removeSync(key(1n)), /block 1: its transactions or receipts/],
    ["blockhash", (l) => l.database("blockhashes").removeSync(key(3n)), /block 3: its BLOCKHASH record/],
  ];
  for (const [name, damage, message] of cases) {
    const datadir = await threeBlocks();
    const lmdb = LmdbState.open(join(datadir, "chain"));
    await lmdb.commit(new Map(), undefined, () => {
      damage(lmdb);
      return undefined;
    });
    await lmdb.close();
    await assert.rejects(Chain.open({ datadir, genesis: testGenesis() }), damaged(message), name);
  }
});

test("a fork record that does not parse is damage, read where the opening reads it", async () => {
  const datadir = await threeBlocks();
  const lmdb = LmdbState.open(join(datadir, "chain"));
  await lmdb.commit(new Map(), undefined, () => {
    forkMeta(lmdb).putSync(Buffer.from("fork"), Buffer.from("{not json"));
    return undefined;
  });
  await lmdb.close();
  await assert.rejects(Chain.open({ datadir, genesis: testGenesis() }), damaged(/a record cannot be read/));
});

test("resume: a missing store beside the chain's genesis is damage, not a new chain", async () => {
  const datadir = dirs.make();
  await assert.rejects(
    Chain.open({ datadir, genesis: testGenesis(), resume: true }),
    damaged(/data\.mdb is missing, but the datadir holds a chain/),
  );
  await assert.rejects(checkChainDatadir(datadir), damaged(/data\.mdb is missing/));
});

function key(n: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(n);
  return b;
}
