import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import type { StateWrites } from "../evm/host.js";
import { EMPTY_CODE_HASH } from "../primitives/keccak.js";
import { LmdbState } from "../state/lmdb-state.js";
import { Chain } from "./chain.js";
import { TempDirs, testGenesis } from "./chain-testkit.js";
import { genesisStateRoot } from "./genesis.js";
import { beginGenesisLoad } from "./genesis-load.js";

const dirs = new TempDirs();
after(() => dirs.cleanup());

test("a genesis load cut short (state written, no block 0) is discarded and loaded again", async () => {
  const datadir = dirs.make();
  const store = join(datadir, "chain");
  mkdirSync(store, { recursive: true });
  // What a kill halfway through a load leaves: the marker, some state, no chain.
  beginGenesisLoad(store);
  const lmdb = LmdbState.open(store);
  const half: StateWrites = new Map([
    [
      0xabcn,
      { deleted: false, nonce: 0n, balance: 5n, codeHash: EMPTY_CODE_HASH, storageCleared: false, storage: new Map() },
    ],
  ]);
  await lmdb.commit(half);
  await lmdb.close();

  const genesis = testGenesis();
  for (const resume of [false, true]) {
    if (resume) beginGenesisLoad(store); // as if killed again, this time after genesis.json was stored
    const chain = await Chain.open({ datadir, genesis, resume });
    try {
      assert.equal(chain.head().header.stateRoot, genesisStateRoot(genesis));
      assert.equal(chain.state().account(0xabcn), undefined);
    } finally {
      await chain.close();
    }
    assert.equal(existsSync(join(store, "genesis-loading")), false);
  }
});
