import assert from "node:assert/strict";
import { after, test } from "node:test";
import { type AccountWrite, deletedAccountWrite, type StateWrites } from "../evm/host.js";
import { EMPTY_CODE_HASH } from "../primitives/keccak.js";
import { LmdbState } from "../state/lmdb-state.js";
import { TempDirs } from "./chain-testkit.js";
import { CommittingState } from "./committing-state.js";

const temp = new TempDirs();
after(() => temp.cleanup());

function write(storage: [bigint, bigint][], storageCleared = false): AccountWrite {
  return {
    deleted: false,
    nonce: 1n,
    balance: 2n,
    codeHash: EMPTY_CODE_HASH,
    storageCleared,
    storage: new Map(storage),
  };
}

test("the state after a block in flight: its writes over LMDB, its storage entries merged, its block hash", async () => {
  const lmdb = LmdbState.open(temp.make());
  const parent: StateWrites = new Map([
    [
      1n,
      write([
        [1n, 10n],
        [2n, 20n],
      ]),
    ],
    [2n, write([[1n, 10n]])],
    [3n, write([[1n, 10n]])],
  ]);
  await lmdb.commit(parent, { number: 4n, hash: 44n });
  const block: StateWrites = new Map([
    [
      1n,
      write([
        [2n, 0n],
        [3n, 30n],
      ]),
    ],
    [2n, write([[5n, 50n]], true)],
    [3n, deletedAccountWrite()],
  ]);
  const state = new CommittingState(lmdb, block, 5n, 55n);
  const storageEntriesAfterBlock = () => {
    assert.deepEqual(
      state.storageEntries(1n),
      new Map([
        [1n, 10n],
        [3n, 30n],
      ]),
    );
    assert.deepEqual(state.storageEntries(2n), new Map([[5n, 50n]]));
  };
  storageEntriesAfterBlock();
  assert.deepEqual(state.storageEntries(3n), new Map());
  assert.equal(state.storage(1n, 1n), 10n);
  assert.equal(state.storage(2n, 1n), 0n, "cleared by the block");
  assert.equal(state.account(3n), undefined);
  assert.equal(state.blockHash(5n), 55n);
  assert.equal(state.blockHash(4n), 44n, "earlier hashes from LMDB");
  // Once the block lands in LMDB the answers stay the same.
  await lmdb.commit(block, { number: 5n, hash: 55n });
  storageEntriesAfterBlock();
  await lmdb.close();
});
