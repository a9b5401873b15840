import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { addCreate2Deployer } from "../chain/create2-deployer.js";
import { devAccounts } from "../chain/dev-accounts.js";
import { genesisStateRoot, parseGenesis } from "../chain/genesis.js";
import { defaultConfig } from "./config.js";
import { GENESIS_FILE } from "./genesis-file.js";
import { openChain } from "./open-chain.js";

const root = mkdtempSync(join(tmpdir(), "weft-genesis-stream-"));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(root, `d${n++}`);
const now = () => 1_700_000_000n;

/** A genesis of `count` accounts: balances, nonces, code and storage, keys in mixed spellings. */
function genesisText(count: number): string {
  const alloc: Record<string, unknown> = {};
  for (let i = 1; i <= count; i++) {
    const hex = (i * 7919).toString(16).padStart(40, "0");
    const key = i % 3 === 0 ? hex.toUpperCase() : `0x${hex}`;
    const entry: Record<string, unknown> = { balance: i % 2 ? `0x${(i * 1000).toString(16)}` : String(i * 1000) };
    if (i % 5 === 0) entry.nonce = "0x3";
    if (i % 7 === 0) entry.code = "0x6001600055";
    if (i % 4 === 0)
      entry.storage = { "0x01": `0x${i.toString(16)}`, [`0x${"ab".repeat(32)}`]: "0x00", "0x02": "0x7b7d" };
    alloc[key] = entry;
  }
  return JSON.stringify({ config: { chainId: 777 }, gasLimit: "0x1c9c380", alloc, extraData: "0x01" }, null, 1);
}

async function startOn(datadir: string, genesisFile?: string) {
  const config = { ...defaultConfig(), datadir, ...(genesisFile === undefined ? {} : { genesisFile }) };
  return openChain(config, now);
}

async function rootOf(datadir: string, genesisFile?: string): Promise<bigint> {
  const opened = await startOn(datadir, genesisFile);
  try {
    return opened.chain.head().header.stateRoot;
  } finally {
    await opened.chain.close();
    opened.release();
  }
}

test("a streamed --genesis file gives the root of a full recomputation, and is kept as it is", async () => {
  const file = join(root, "g.json");
  const text = genesisText(2_000);
  writeFileSync(file, text);
  // What the node used to hold whole: the file parsed, the dev accounts it does not name funded, the deployer.
  const spec = parseGenesis(JSON.parse(text));
  const config = defaultConfig();
  for (const a of devAccounts(config.mnemonic, config.accounts, config.derivationPath)) {
    if (!spec.alloc.has(a.address))
      spec.alloc.set(a.address, { balance: config.balance, nonce: 0n, code: new Uint8Array(0), storage: new Map() });
  }
  addCreate2Deployer(spec);
  const datadir = fresh();
  const made = await rootOf(datadir, file);
  assert.equal(made, genesisStateRoot(spec));
  assert.equal(readFileSync(join(datadir, GENESIS_FILE), "utf8"), text);
  assert.equal(await rootOf(datadir), made, "restart without --genesis");
  // A restart reads genesis-additions.json, not the copied file (only a cut-short load reads that again).
  writeFileSync(join(datadir, GENESIS_FILE), text.slice(0, 100));
  assert.equal(await rootOf(datadir), made, "restart without reading the copy");
  writeFileSync(join(datadir, GENESIS_FILE), text);
  assert.equal(await rootOf(datadir, file), made, "restart with the same --genesis");
  writeFileSync(file, text.replace('"0x01"', '"0x02"'));
  await assert.rejects(rootOf(datadir, file), /made from another genesis than/);
});

test("bad input is a clear error naming the entry, and leaves the datadir free for a good file", async () => {
  const good = genesisText(50);
  const cases: [string, string, RegExp][] = [
    [
      "truncated",
      good.slice(0, good.length / 2),
      /alloc\[0x[0-9a-f]{40}\] \(entry \d+\): the file ends inside alloc \(truncated\?\)/,
    ],
    ["truncated header", '{"config": {"chainId": 1}, "gasLimit": "0x1', /the file ends before its JSON does/],
    [
      "bad hex",
      good.replace('"balance": "0x3e8"', '"balance": "0x3g8"'),
      /alloc\[0x0000000000000000000000000000000000001eef\]\.balance: expected a hex/,
    ],
    [
      "duplicate address",
      good.replace('"0x0000000000000000000000000000000000001eef"', '"0000000000000000000000000000000000003DDE"'),
      /alloc: (0x)?0000000000000000000000000000000000003[dD][dD][eE] appears twice/,
    ],
    ["not JSON", good.replace('"nonce": "0x3"', '"nonce": 0x3'), /alloc\[0x[0-9a-f]+\]: not JSON/],
    [
      "missing colon",
      good.replace('"0x0000000000000000000000000000000000001eef":', '"0x0000000000000000000000000000000000001eef"'),
      /alloc\[0x0000000000000000000000000000000000001eef\] \(entry 1\): expected ':' after the key/,
    ],
  ];
  for (const [name, text, message] of cases) {
    assert.notEqual(text, good, name);
    const file = join(root, `${name.replace(/ /g, "-")}.json`);
    writeFileSync(file, text);
    const datadir = fresh();
    await assert.rejects(startOn(datadir, file), message, name);
    assert.equal(existsSync(join(datadir, GENESIS_FILE)), false, name);
    assert.equal(existsSync(join(datadir, "dev-accounts.json")), false, name);
    assert.deepEqual(
      readdirSync(datadir).filter((f) => f.endsWith(".tmp")),
      [],
      `${name}: the copy made beside the load is removed`,
    );
    writeFileSync(file, good);
    assert.ok((await rootOf(datadir, file)) > 0n, `${name}: a good file on the same datadir`);
  }
});

test("a copy of the genesis file that a killed load left in the datadir is removed by the next load", async () => {
  const file = join(root, "stale.json");
  const text = genesisText(20);
  writeFileSync(file, text);
  const datadir = fresh();
  mkdirSync(datadir, { recursive: true });
  writeFileSync(join(datadir, `${GENESIS_FILE}.999999.tmp`), text.slice(0, 10));
  assert.ok((await rootOf(datadir, file)) > 0n);
  assert.deepEqual(
    readdirSync(datadir)
      .filter((f) => f.startsWith(GENESIS_FILE))
      .sort(),
    [GENESIS_FILE],
  );
  assert.equal(readFileSync(join(datadir, GENESIS_FILE), "utf8"), text);
});
