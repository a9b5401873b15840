// anvil's dev-mode defaults and state files, against started nodes: a fresh chain each start (the
// first deployment lands at the same address every time), --datadir keeps and resumes one and
// refuses flags that contradict what it was made with, --state round-trips a chain across restarts
// stopped by SIGTERM or SIGINT, and state dumps move between Weft and anvil both ways.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { Hex } from "viem";
import { DEV, ROOT, rpc, runCommand, startTarget, TARGET, type Target, waitFor } from "./harness.js";

/** Initcode: SSTORE(0, 42), then deploys runtime code that returns 42. */
const RUNTIME: Hex = "0x602a60005260206000f3";
const INITCODE: Hex = `0x602a600055${`69${RUNTIME.slice(2)}`}600052600a6016f3`;
const OTHER = "0x00000000000000000000000000000000000c0ffe";
const OTHER_MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

/** A stop by signal: Weft exits 0 once it has closed (and written its state); anvil's npm wrapper dies of the signal. */
const CLEAN_EXIT = TARGET === "anvil" ? null : 0;

const work = mkdtempSync(join(tmpdir(), "weft-e2e-state-"));
after(() => rmSync(work, { recursive: true, force: true }));

/** Deploys INITCODE from DEV[0] (automine): the contract's address. */
async function deploy(node: Target): Promise<Hex> {
  const hash = await rpc<Hex>(node.url, "eth_sendTransaction", [{ from: DEV[0].address, data: INITCODE }]);
  // anvil's automine may answer the send before the block is in (seen on a loaded machine): wait for it.
  const receipt = await waitFor("the deployment's receipt", async () => {
    const r = await rpc<{ contractAddress: Hex; status: Hex } | null>(node.url, "eth_getTransactionReceipt", [hash]);
    return r ?? undefined;
  });
  assert.equal(receipt.status, "0x1");
  return receipt.contractAddress;
}

/** What a dump carries of `addresses`: balance, nonce, code and slot 0 of each. */
async function accountsOf(node: Target, addresses: readonly string[]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const a of addresses) {
    out[a.toLowerCase()] = {
      balance: await rpc(node.url, "eth_getBalance", [a, "latest"]),
      nonce: await rpc(node.url, "eth_getTransactionCount", [a, "latest"]),
      code: await rpc(node.url, "eth_getCode", [a, "latest"]),
      slot0: await rpc(node.url, "eth_getStorageAt", [a, "0x0", "latest"]),
    };
  }
  return out;
}

/** Changes a dump must carry: a deployed contract (code, slot 0 = 42, nonce 1), a spent balance and
 * nonce, and an account edited by dev methods. Resolves to the addresses touched. */
async function makeChanges(node: Target): Promise<string[]> {
  const contract = await deploy(node);
  await rpc(node.url, "anvil_setBalance", [OTHER, "0x4242"]);
  await rpc(node.url, "anvil_setNonce", [OTHER, "0x7"]);
  await rpc(node.url, "anvil_setStorageAt", [OTHER, "0x0", `0x${"05".padStart(64, "0")}`]);
  return [contract, DEV[0].address, OTHER];
}

test("a fresh chain each start: the first deployment lands at the same address every time", async () => {
  const addresses: Hex[] = [];
  for (let i = 0; i < 2; i++) {
    const node = await startTarget({ datadir: null });
    try {
      assert.equal(await rpc(node.url, "eth_blockNumber"), "0x0", "starts empty");
      addresses.push(await deploy(node));
    } finally {
      assert.equal(await node.stop(), CLEAN_EXIT);
    }
    if (TARGET === "weft") {
      const folder = /Data Directory\n=+\n\n(\S+) \(fresh chain, removed at exit; --datadir <path> keeps one\)/.exec(
        node.output(),
      );
      assert.ok(folder, `the banner says the chain is fresh and where it lives:\n${node.output()}`);
      assert.equal(existsSync(folder[1]!), false, "the temporary folder is removed at exit");
    }
  }
  assert.equal(addresses[1], addresses[0]);
});

test("--datadir keeps the chain: a restart resumes it and says so", async (t) => {
  if (TARGET === "anvil") return t.skip("anvil keeps no chain on disk (its --state is tested below)");
  const datadir = join(work, "kept");
  let node = await startTarget({ datadir });
  const first = await deploy(node);
  assert.match(node.output(), new RegExp(`${datadir} \\(new chain, kept\\)`));
  await node.stop();
  node = await startTarget({ datadir });
  try {
    assert.match(node.output(), new RegExp(`${datadir} \\(resumed at block 1\\)`));
    assert.equal(await rpc(node.url, "eth_getCode", [first, "latest"]), RUNTIME);
    assert.notEqual(await deploy(node), first, "the resumed chain goes on: the next deployment lands elsewhere");
  } finally {
    await node.stop();
  }
});

test("a kept chain refuses a changed --accounts or --mnemonic in one line, and resumes with its own accounts", async (t) => {
  if (TARGET === "anvil") return t.skip("anvil keeps no chain on disk");
  const datadir = join(work, "accounts");
  const node = await startTarget({ datadir, args: ["--accounts", "3"] });
  await node.stop();
  const weft = (...args: string[]) =>
    runCommand(process.execPath, [join(ROOT, "bin", "weft.js"), "node", "--port", "0", "--datadir", datadir, ...args]);
  for (const [args, message] of [
    [["--accounts", "20"], `weft node: cannot start: ${datadir} holds a chain made with --accounts 3, not 20;`],
    [["--mnemonic", OTHER_MNEMONIC], `weft node: cannot start: ${datadir} holds a chain made with another --mnemonic:`],
    [["--balance", "5"], `weft node: cannot start: ${datadir} holds a chain made with --balance of`],
  ] as const) {
    const refused = await weft(...args);
    assert.equal(refused.code, 1, args.join(" "));
    assert.equal(refused.stdout, "");
    assert.ok(refused.stderr.startsWith(message), refused.stderr);
    assert.equal(refused.stderr.trimEnd().split("\n").length, 1, `one line:\n${refused.stderr}`);
  }
  const resumed = await startTarget({ datadir });
  try {
    const accounts = await rpc<string[]>(resumed.url, "eth_accounts");
    assert.equal(accounts.length, 3, "the accounts the chain was made with");
    assert.equal(await rpc(resumed.url, "eth_getBalance", [accounts[2], "latest"]), "0x21e19e0c9bab2400000");
  } finally {
    await resumed.stop();
  }
});

test("--state: loaded at start where it exists, written at exit on SIGTERM and SIGINT", async () => {
  const file = join(work, "round-trip.json");
  let node = await startTarget({ datadir: null, args: ["--state", file] });
  const touched = await makeChanges(node);
  const expected = await accountsOf(node, touched);
  assert.equal(await node.stop("SIGTERM"), CLEAN_EXIT);
  assert.ok(existsSync(file), "written at exit");
  assert.deepEqual(
    readdirSync(work).filter((name) => name.startsWith("round-trip.json.")),
    [],
    "no temporary file is left beside it",
  );

  node = await startTarget({ datadir: null, args: ["--state", file] });
  try {
    assert.deepEqual(await accountsOf(node, touched), expected, "code, storage, balances and nonces are back");
    await rpc(node.url, "anvil_setBalance", [OTHER, "0x99"]);
  } finally {
    await node.stop("SIGINT");
  }
  node = await startTarget({ datadir: null, args: ["--load-state", file] });
  try {
    assert.equal(await rpc(node.url, "eth_getBalance", [OTHER, "latest"]), "0x99", "SIGINT wrote the state too");
    assert.equal(await rpc(node.url, "eth_getCode", [touched[0], "latest"]), RUNTIME);
  } finally {
    await node.stop();
  }
});

test("state dumps move between Weft and anvil both ways: balances, code, storage, nonces", async (t) => {
  if (TARGET === "anvil") return t.skip("crosses Weft and anvil (runs when the target is Weft)");
  // Weft's --dump-state file, loaded by anvil at start (anvil --load-state).
  const file = join(work, "weft.json");
  const weft = await startTarget({ kind: "weft", datadir: null, args: ["--dump-state", file] });
  const touched = await makeChanges(weft);
  const fromWeft = await accountsOf(weft, touched);
  const weftHead = await rpc<{ hash: Hex; number: Hex }>(weft.url, "eth_getBlockByNumber", ["latest", false]);
  assert.equal(await weft.stop(), 0);
  assert.match(readFileSync(file, "utf8"), /"blob_gasprice":1/);
  let anvil = await startTarget({ kind: "anvil", args: ["--load-state", file] });
  try {
    assert.deepEqual(await accountsOf(anvil, touched), fromWeft);
    const head = await rpc<{ hash: Hex; number: Hex }>(anvil.url, "eth_getBlockByNumber", ["latest", false]);
    assert.deepEqual(head, { ...head, hash: weftHead.hash, number: weftHead.number }, "anvil goes on from Weft's head");
    await rpc(anvil.url, "evm_mine");
    const next = await rpc<{ parentHash: Hex }>(anvil.url, "eth_getBlockByNumber", ["latest", false]);
    assert.equal(next.parentHash, weftHead.hash);
  } finally {
    await anvil.stop();
  }

  // anvil's anvil_dumpState, loaded by Weft's anvil_loadState.
  anvil = await startTarget({ kind: "anvil" });
  const back = await startTarget({ kind: "weft", datadir: null });
  try {
    const fromAnvil = await makeChanges(anvil);
    const dump = await rpc<Hex>(anvil.url, "anvil_dumpState");
    assert.equal(await rpc(back.url, "anvil_loadState", [dump]), true);
    assert.deepEqual(await accountsOf(back, fromAnvil), await accountsOf(anvil, fromAnvil));
  } finally {
    await anvil.stop();
    await back.stop();
  }
});
