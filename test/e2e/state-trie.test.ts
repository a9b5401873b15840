// The state trie kept on disk: a datadir from before it was kept gets its tables built once, a kept
// chain with a genesis allocation restarts from its store (genesis.json's alloc is not read), and
// the cache flag and metrics are there.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { LmdbState } from "../../src/state/lmdb-state.js";
import { CHAIN_ID, DEV, ROOT, rpc, runCommand, startTarget, TARGET } from "./harness.js";

const weft = (args: string[]) => runCommand(process.execPath, [join(ROOT, "bin", "weft.js"), ...args]);

const work = mkdtempSync(join(tmpdir(), "weft-e2e-state-trie-"));
after(() => rmSync(work, { recursive: true, force: true }));

const ALICE = "0x00000000000000000000000000000000000a11ce";

test("a datadir without state trie tables opens, builds them once (and says so), and mines on the same roots", async (t) => {
  if (TARGET === "anvil") return t.skip("anvil keeps no chain on disk");
  const datadir = join(work, "legacy");
  let node = await startTarget({ datadir });
  await rpc(node.url, "eth_sendTransaction", [{ from: DEV[0]!.address, to: ALICE, value: "0x2a" }]);
  await node.stop();
  // As a datadir written before the trie was kept: no trie tables.
  const lmdb = LmdbState.open(join(datadir, "chain"));
  await lmdb.commit(new Map(), undefined, () => {
    for (const name of ["trie/accounts", "trie/storage", "trie/meta"]) lmdb.database(name).clearSync();
    return undefined;
  });
  await lmdb.close();
  node = await startTarget({ datadir });
  try {
    assert.match(
      node.output(),
      /building the state trie tables from the flat state \(the datadir has no state trie tables yet\)/,
    );
    assert.equal(await rpc(node.url, "eth_getBalance", [ALICE, "latest"]), "0x2a");
    await rpc(node.url, "eth_sendTransaction", [{ from: DEV[0]!.address, to: ALICE, value: "0x1" }]);
    assert.equal(await rpc(node.url, "eth_getBalance", [ALICE, "latest"]), "0x2b");
  } finally {
    await node.stop();
  }
  node = await startTarget({ datadir });
  try {
    assert.doesNotMatch(node.output(), /building the state trie tables/, "built once");
  } finally {
    await node.stop();
  }
  const check = await weft(["db", "check", datadir]);
  assert.equal(check.code, 0, check.stderr);
});

test("a kept chain from a --genesis file resumes from its store with the allocation's balances and storage", async (t) => {
  if (TARGET === "anvil") return t.skip("anvil keeps no chain on disk");
  const alloc: Record<string, unknown> = {};
  for (let i = 1; i <= 300; i++) alloc[`0x${i.toString(16).padStart(40, "0")}`] = { balance: `0x${i.toString(16)}` };
  alloc["0x00000000000000000000000000000000000000cc"] = { balance: "0x0", code: "0x00", storage: { "0x01": "0x07" } };
  const file = join(work, "genesis.json");
  writeFileSync(file, JSON.stringify({ config: { chainId: CHAIN_ID }, alloc }));
  const datadir = join(work, "from-genesis");
  let node = await startTarget({ datadir, args: ["--genesis", file, "--state-cache-mb", "1"] });
  const root = ((await rpc(node.url, "eth_getBlockByNumber", ["0x0", false])) as { stateRoot: string }).stateRoot;
  await node.stop();
  node = await startTarget({ datadir, args: ["--state-cache-mb", "1"] });
  try {
    assert.match(node.output(), /resumed at block 0/);
    const block0 = (await rpc(node.url, "eth_getBlockByNumber", ["0x0", false])) as { stateRoot: string };
    assert.equal(block0.stateRoot, root);
    assert.equal(
      await rpc(node.url, "eth_getBalance", ["0x000000000000000000000000000000000000012c", "latest"]),
      "0x12c",
    );
    assert.equal(
      await rpc(node.url, "eth_getStorageAt", ["0x00000000000000000000000000000000000000cc", "0x1", "latest"]),
      `0x${"7".padStart(64, "0")}`,
    );
    await rpc(node.url, "eth_sendTransaction", [{ from: DEV[0]!.address, to: ALICE, value: "0x5" }]);
    const metrics = (await rpc(node.url, "weft_metrics", [])) as Record<string, number>;
    assert.equal(metrics.stateCacheLimitBytes, 2 ** 20);
    assert.ok(metrics.stateCacheNodes! > 0, "the block's nodes are cached");
  } finally {
    await node.stop();
  }
});

test("--state-cache-mb takes a whole number of MiB", async (t) => {
  if (TARGET === "anvil") return t.skip("a Weft flag");
  const bad = await weft(["node", "--state-cache-mb", "lots"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--state-cache-mb wants an integer, got 'lots'/);
});
