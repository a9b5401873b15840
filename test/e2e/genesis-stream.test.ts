// A --genesis file is streamed into a new datadir, not parsed whole: bad input is refused naming the
// entry and leaves the datadir free; the file is kept byte for byte; a kill during the load is
// followed by a start that loads it again instead of refusing a store that holds state but no chain.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { bigintToBytes, bigintToMinimalBytes, bytesToHex, wordToHex } from "../../src/primitives/hex.js";
import { rlpEncodeBytes, secureTrieRoot } from "../../src/state/mpt.js";
import { CHAIN_ID, ROOT, rpc, runCommand, startTarget, TARGET } from "./harness.js";

const work = mkdtempSync(join(tmpdir(), "weft-e2e-genesis-stream-"));
after(() => rmSync(work, { recursive: true, force: true }));

const address = (i: number) => `0x${(i + 0x1000).toString(16).padStart(40, "0")}`;

function writeGenesis(name: string, accounts: number, edit: (text: string) => string = (t) => t): string {
  const alloc: Record<string, unknown> = {};
  for (let i = 0; i < accounts; i++) alloc[address(i)] = { balance: `0x${(i + 1).toString(16)}` };
  alloc[address(accounts)] = { balance: "0x0", code: "0x00", storage: { "0x01": "0x07" } };
  const file = join(work, name);
  writeFileSync(file, edit(JSON.stringify({ config: { chainId: CHAIN_ID }, alloc })));
  return file;
}

test("a --genesis file with a bad entry is refused naming it, and the datadir then takes a good file, kept as it is", async (t) => {
  if (TARGET === "anvil") return t.skip("anvil keeps no datadir");
  const datadir = join(work, "bad-then-good");
  const bad = writeGenesis("bad.json", 500, (text) => text.replace('"balance":"0x1f4"', '"balance":"0xz"'));
  const refused = await runCommand(process.execPath, [
    join(ROOT, "bin", "weft.js"),
    "node",
    "--genesis",
    bad,
    "--datadir",
    datadir,
  ]);
  assert.notEqual(refused.code, 0);
  assert.match(
    refused.stderr,
    /invalid genesis: alloc\[0x00000000000000000000000000000000000011f3\]\.balance: expected a hex/,
  );
  assert.equal(existsSync(join(datadir, "genesis.json")), false);

  const good = writeGenesis("good.json", 500);
  const node = await startTarget({ datadir, args: ["--genesis", good] });
  try {
    assert.equal(await rpc(node.url, "eth_getBalance", [address(499), "latest"]), "0x1f4");
    assert.equal(readFileSync(join(datadir, "genesis.json"), "utf8"), readFileSync(good, "utf8"));
  } finally {
    await node.stop();
  }
});

test("a contract's storage from a --genesis file, in every spelling, reads back slot by slot and as the storage root of a full recomputation", async (t) => {
  if (TARGET === "anvil") return t.skip("anvil's --init refuses hex of odd length, which this file spells on purpose");
  const slots = new Map<bigint, bigint>();
  const spelled: Record<string, string> = {};
  let seed = 7n;
  for (let i = 0; i < 3000; i++) {
    seed = (seed * 6364136223846793005n + 1442695040888963407n) % (1n << 256n);
    // Random keys, small ones (odd digit counts, all sharing their leading bits), values zero every 10th.
    const slot = i % 3 === 0 ? BigInt(i) : seed;
    const value = i % 10 === 0 ? 0n : seed >> BigInt(i % 250);
    const key = [`0x${slot.toString(16)}`, `0X${slot.toString(16).toUpperCase()}`, wordToHex(slot).slice(2)][i % 3]!;
    spelled[key] = `0x${value.toString(16).padStart(i % 2 === 0 ? 64 : 1, "0")}`;
    if (value !== 0n) slots.set(slot, value);
  }
  const contract = "0x00000000000000000000000000000000000c0de1";
  // The same slot twice (two spellings): the last is kept, as JSON.parse keeps the last of a repeated key.
  const repeated = "0x00000000000000000000000000000000000c0de2";
  const file = join(work, "storage.json");
  writeFileSync(
    file,
    JSON.stringify({
      config: { chainId: CHAIN_ID },
      alloc: {
        [contract]: { balance: "0x1", code: "0x00", storage: spelled },
        [repeated]: { code: "0x00", storage: { "0x01": "0x02", "0x0001": "0x03" } },
      },
    }),
  );
  const node = await startTarget({ args: ["--genesis", file] });
  try {
    // Every 97th slot, and two whose value is given as zero (left out).
    const probes: [bigint, bigint][] = [...[...slots].filter((_, i) => i % 97 === 0), [0n, 0n], [30n, 0n]];
    for (const [slot, value] of probes) {
      assert.equal(
        BigInt(await rpc<string>(node.url, "eth_getStorageAt", [contract, wordToHex(slot), "latest"])),
        value,
      );
    }
    const expected = secureTrieRoot(
      [...slots].map(([k, v]) => [bigintToBytes(k, 32), rlpEncodeBytes(bigintToMinimalBytes(v))] as const),
    );
    const proof = await rpc<{ storageHash: string }>(node.url, "eth_getProof", [contract, [], "latest"]);
    assert.equal(proof.storageHash, bytesToHex(expected));
    assert.equal(await rpc(node.url, "eth_getStorageAt", [repeated, "0x1", "latest"]), wordToHex(3n));
  } finally {
    await node.stop();
  }
});

test("a kill -9 during the genesis load: the next start loads it again", { timeout: 300_000 }, async (t) => {
  if (TARGET === "anvil") return t.skip("anvil keeps no datadir");
  const accounts = 150_000;
  const file = writeGenesis("large.json", accounts);
  const datadir = join(work, "killed");
  const marker = join(datadir, "chain", "genesis-loading");
  const child = spawn(
    process.execPath,
    [join(ROOT, "bin", "weft.js"), "node", "--genesis", file, "--datadir", datadir],
    {
      stdio: "ignore",
    },
  );
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const deadline = Date.now() + 120_000;
  while (!existsSync(marker) && child.exitCode === null && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.ok(existsSync(marker), "the load began");
  child.kill("SIGKILL");
  await exited;
  const node = await startTarget({ datadir, args: ["--genesis", file] });
  try {
    assert.match(node.output(), /discarded a genesis load cut short/);
    assert.equal(
      await rpc(node.url, "eth_getBalance", [address(accounts - 1), "latest"]),
      `0x${accounts.toString(16)}`,
    );
    assert.equal(
      await rpc(node.url, "eth_getStorageAt", [address(accounts), "0x1", "latest"]),
      `0x${"7".padStart(64, "0")}`,
    );
  } finally {
    await node.stop();
  }
  assert.equal(existsSync(marker), false);
  const check = await runCommand(process.execPath, [join(ROOT, "bin", "weft.js"), "db", "check", datadir]);
  assert.equal(check.code, 0, check.stderr);
});
