import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { defaultConfig } from "../../node/config.js";
import { openChain } from "../../node/open-chain.js";
import { LmdbState } from "../../state/lmdb-state.js";
import { StateTrie } from "../../state/trie/state-trie.js";
import { benchStateCommand } from "./command.js";
import { writeBenchGenesisFile, writeStateDatadir } from "./datadir.js";
import { measureRootUpdates } from "./measure.js";

const dir = mkdtempSync(join(tmpdir(), "weft-bench-state-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("the written datadir's root is the full recomputation's, and root updates keep it so", async () => {
  const datadir = join(dir, "small");
  const written = await writeStateDatadir(datadir, 300, new Uint8Array([0x60, 0x00]));
  let lmdb = LmdbState.open(join(datadir, "chain"));
  assert.equal(lmdb.stateRoot(), written.stateRoot);
  assert.equal(lmdb.head()?.stateRoot, written.stateRoot);
  await lmdb.close();
  const updates = measureRootUpdates(datadir, 300, [20, 50]);
  assert.deepEqual(
    updates.map((u) => u.transfers),
    [20, 50],
  );
  lmdb = LmdbState.open(join(datadir, "chain"));
  assert.equal(StateTrie.open(lmdb).root(), lmdb.stateRoot(), "the stored trie's root is the flat state's");
  assert.equal(lmdb.head()?.stateRoot, undefined, "no header describes the updated state (as after a dev edit)");
  await lmdb.close();
  // The kept datadir still opens as a chain.
  const opened = await openChain({ ...defaultConfig(), datadir }, () => 0n);
  await opened.chain.close();
  opened.release();
});

test("bad --accounts values are usage errors", async () => {
  for (const args of [[], ["--accounts", "0"], ["--accounts", "many"], ["--frob"]]) {
    assert.equal(await benchStateCommand(args), 2, args.join(" "));
  }
});

test("--vs-anvil's genesis.json, started with --genesis, has the root of the datadir written directly", async () => {
  const code = new Uint8Array([0x60, 0x00]);
  const written = await writeStateDatadir(join(dir, "direct"), 200, code);
  const file = join(dir, "vs-anvil.json");
  writeBenchGenesisFile(file, 200, code);
  const opened = await openChain({ ...defaultConfig(), datadir: join(dir, "from-file"), genesisFile: file }, () => 0n);
  try {
    assert.equal(opened.chain.head().header.stateRoot, written.stateRoot);
  } finally {
    await opened.chain.close();
    opened.release();
  }
});
