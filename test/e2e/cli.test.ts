// The node's command line as a user meets it: the banner (laid out as anvil's, checked against both
// targets), --help, unknown flags, a clean stop on SIGINT/SIGTERM, and a restart on the same data
// folder (Weft only: anvil keeps nothing).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { DEV, ROOT, rpc, runCommand, startTarget, TARGET } from "./harness.js";

const weft = (...args: string[]) => runCommand(process.execPath, [join(ROOT, "bin", "weft.js"), "node", ...args]);

test("the banner lists accounts, keys, wallet, chain id, base fee, gas limit, then where it listens", async () => {
  const node = await startTarget();
  const out = node.output();
  const code = await node.stop("SIGINT");
  assert.match(
    out,
    /Available Accounts\n==================\n\n\(0\) 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266 \(10000\.0{18} ETH\)/,
  );
  assert.ok(out.includes(`(1) ${DEV[1].address} (10000.000000000000000000 ETH)`));
  assert.ok(out.includes(`(9) 0xa0Ee7A142d267C1f36714E4a8F75612F20a79720`), "ten accounts by default");
  assert.match(out, new RegExp(`Private Keys\\n==================\\n\\n\\(0\\) ${DEV[0].key}`));
  assert.match(out, /Mnemonic: +test test test test test test test test test test test junk/);
  assert.match(out, /Chain ID\n==================\n\n31337\n/);
  assert.match(out, /Base Fee\n==================\n\n1000000000\n/);
  assert.match(out, /Gas Limit\n==================\n\n30000000\n/);
  assert.match(out, /Listening on 127\.0\.0\.1:\d+/);
  if (TARGET === "weft") {
    // Sent the moment "Listening on" shows: the handlers must already be in place (code null: killed).
    assert.equal(code, 0, `SIGINT stops the node cleanly:\n${node.output().slice(-400)}`);
    assert.match(node.output(), /Stopped/);
  }
});

test("weft node --help documents the flags; an unknown flag is exit 2", async (t) => {
  if (TARGET === "anvil") return t.skip("Weft's own command line");
  const help = await weft("--help");
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--block-time/);
  assert.match(help.stdout, /--datadir/);
  const bad = await weft("--frobnicate");
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Unknown option '--frobnicate'/);
  assert.match(bad.stderr, /Usage: weft node/);
});

test("a restart on the same --datadir resumes the chain; a contradicting --chain-id is refused", async (t) => {
  if (TARGET === "anvil") return t.skip("anvil keeps its chain in memory");
  const datadir = mkdtempSync(join(tmpdir(), "weft-e2e-cli-"));
  try {
    let node = await startTarget({ datadir });
    await rpc(node.url, "anvil_mine", [5]);
    const head = await rpc<{ hash: string }>(node.url, "eth_getBlockByNumber", ["latest", false]);
    assert.equal(await node.stop("SIGTERM"), 0);

    node = await startTarget({ datadir });
    try {
      assert.match(node.output(), /resumed at block 5/);
      const again = await rpc<{ hash: string }>(node.url, "eth_getBlockByNumber", ["0x5", false]);
      assert.equal(again.hash, head.hash);
    } finally {
      await node.stop();
    }

    const refused = await weft("--port", "0", "--datadir", datadir, "--chain-id", "1");
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /cannot start: .* holds a chain with --chain-id 31337, not 1/);
  } finally {
    rmSync(datadir, { recursive: true, force: true });
  }
});
