// Forking (--fork-url, --fork-block-number, anvil_reset's `forking`) against a started anvil as the
// upstream: a contract with storage and a funded account deployed there, then read, called, traced
// and written on the fork, while the upstream stays as it was. The same tests run against anvil as the
// fork (WEFT_E2E_TARGET=anvil) where anvil behaves the same.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { DEV, ROOT, rpc, rpcRaw, runCommand, startTarget, TARGET, type Target, waitFor } from "./harness.js";

/** Runtime: slot 0 += 1, returns the new value. Initcode: slot 0 = 41, then deploys it. */
const RUNTIME = "0x6000546001018060005560005260206000f3";
const INITCODE = `0x602960005560128060106000396000f3${RUNTIME.slice(2)}`;
const UPSTREAM_CHAIN_ID = 4242;
/** An account only the upstream funds. */
const HOLDER = "0x00000000000000000000000000000000000f0a11";
const ETH = 10n ** 18n;
const word = (n: bigint) => `0x${n.toString(16).padStart(64, "0")}`;
const quantity = (n: bigint) => `0x${n.toString(16)}`;

interface Upstream {
  url: string;
  stop(): Promise<void>;
}

let upstream: Upstream;
let contract: string;
/** The upstream block after the deployment and the first funding (slot 0 = 41, HOLDER 5 ETH). */
let pinned: bigint;
/** The upstream's head after a call and a second funding (slot 0 = 42, HOLDER 6 ETH). */
let latest: bigint;
let fork: Target;

/** anvil (Cancun, so its headers hash as Weft's do) on a free port. */
async function startAnvil(): Promise<Upstream> {
  const anvil = join(ROOT, "node_modules", ".bin", "anvil");
  const args = ["--port", "0", "--chain-id", String(UPSTREAM_CHAIN_ID), "--hardfork", "cancun"];
  const child: ChildProcess = spawn(process.execPath, [anvil, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const reap = () => child.kill("SIGKILL");
  process.on("exit", reap);
  let out = "";
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /Listening on ([\w.:[\]-]+):(\d+)/.exec(out);
      if (m) resolve(`http://${m[1]}:${m[2]}`);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => reject(new Error(`upstream anvil exited (${code}):\n${out}`)));
  });
  return {
    url,
    stop: async () => {
      process.off("exit", reap);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.on("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}

/** A local URL nothing listens on (a port just freed). */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

async function send(url: string, tx: Record<string, string>): Promise<Record<string, unknown>> {
  const hash = await rpc<string>(url, "eth_sendTransaction", [{ from: DEV[0].address, ...tx }]);
  return waitFor(
    "receipt",
    async () => (await rpc<Record<string, unknown> | null>(url, "eth_getTransactionReceipt", [hash])) ?? undefined,
  );
}

const number = async (url: string) => BigInt(await rpc<string>(url, "eth_blockNumber"));
const slot0 = (url: string, tag = "latest") => rpc<string>(url, "eth_getStorageAt", [contract, "0x0", tag]);
const balance = async (url: string, address: string) =>
  BigInt(await rpc<string>(url, "eth_getBalance", [address, "latest"]));

before(async () => {
  upstream = await startAnvil();
  const deployed = await send(upstream.url, { data: INITCODE });
  contract = deployed.contractAddress as string;
  await send(upstream.url, { to: HOLDER, value: quantity(5n * ETH) });
  pinned = await number(upstream.url);
  // Changed after the pinned block: a fork at it must not see these.
  await send(upstream.url, { to: contract });
  await send(upstream.url, { to: HOLDER, value: quantity(ETH) });
  latest = await number(upstream.url);
  fork = await startTarget({ args: ["--fork-url", upstream.url] });
});

after(async () => {
  await fork?.stop();
  await upstream?.stop();
});

test("a fork at the upstream's latest block: its chain id, block number, balances, code and storage", async () => {
  assert.equal(Number(await rpc<string>(fork.url, "eth_chainId")), UPSTREAM_CHAIN_ID);
  assert.equal(await number(fork.url), latest);
  const upstreamHead = await rpc<{ hash: string }>(upstream.url, "eth_getBlockByNumber", [quantity(latest), false]);
  const forkHead = await rpc<{ hash: string }>(fork.url, "eth_getBlockByNumber", [quantity(latest), false]);
  assert.equal(forkHead.hash, upstreamHead.hash, "the fork's block is the upstream's");
  assert.equal(await balance(fork.url, HOLDER), 6n * ETH);
  assert.equal(await rpc(fork.url, "eth_getCode", [contract, "latest"]), RUNTIME);
  assert.equal(await slot0(fork.url), word(42n));
  assert.equal(await balance(fork.url, DEV[1].address), 10_000n * ETH, "the dev accounts are funded");
  assert.equal(
    await rpc(fork.url, "eth_getTransactionCount", [DEV[0].address, "latest"]),
    await rpc(upstream.url, "eth_getTransactionCount", [DEV[0].address, "latest"]),
    "a dev account keeps its upstream nonce",
  );
  const nobody = "0x000000000000000000000000000000000000dead";
  assert.equal(await balance(fork.url, nobody), 0n);
  assert.equal(await rpc(fork.url, "eth_getCode", [nobody, "latest"]), "0x");
});

test("a transaction on the fork reads upstream storage and writes it on the fork only; calls and traces see it", async () => {
  const upstreamHead = await number(upstream.url);
  const receipt = await send(fork.url, { to: contract });
  assert.equal(receipt.status, "0x1");
  assert.equal(BigInt(receipt.blockNumber as string), latest + 1n, "the fork's blocks follow the upstream's");
  assert.equal(await slot0(fork.url), word(43n));
  // eth_call and debug_traceCall run the contract against the fork's state (43 + 1), without writing.
  assert.equal(await rpc(fork.url, "eth_call", [{ to: contract }, "latest"]), word(44n));
  const trace = await rpc<{ output: string; to: string }>(fork.url, "debug_traceCall", [
    { from: DEV[1].address, to: contract },
    "latest",
    { tracer: "callTracer" },
  ]);
  assert.equal(trace.output, word(44n));
  assert.equal(await slot0(fork.url), word(43n));
  // The upstream did not change.
  assert.equal(await slot0(upstream.url), word(42n));
  assert.equal(await number(upstream.url), upstreamHead);
});

test("--fork-block-number pins an older block: later upstream changes are not seen", async () => {
  const old = await startTarget({ args: ["--fork-url", upstream.url, "--fork-block-number", String(pinned)] });
  try {
    assert.equal(await number(old.url), pinned);
    assert.equal(await slot0(old.url), word(41n));
    assert.equal(await balance(old.url, HOLDER), 5n * ETH);
  } finally {
    await old.stop();
  }
});

test("anvil_reset with forking forks again, at the given block", async () => {
  await send(fork.url, { to: contract });
  assert.equal(
    await rpc(fork.url, "anvil_reset", [{ forking: { jsonRpcUrl: upstream.url, blockNumber: Number(pinned) } }]),
    null,
  );
  assert.equal(await number(fork.url), pinned);
  assert.equal(await slot0(fork.url), word(41n));
  assert.equal(await balance(fork.url, HOLDER), 5n * ETH);
  assert.equal(await slot0(upstream.url), word(42n), "the upstream did not change");
});

test("anvil_reset without forking on a fork: back to the fork's block and the upstream's state there", async (t) => {
  if (TARGET === "anvil") return t.skip("anvil 1.7 drops the fork (back to an empty block 0); Weft keeps it");
  await send(fork.url, { to: contract });
  assert.equal(await slot0(fork.url), word(42n));
  assert.equal(await rpc(fork.url, "anvil_reset", []), null);
  assert.equal(await number(fork.url), pinned);
  assert.equal(await slot0(fork.url), word(41n));
  assert.equal(await slot0(upstream.url), word(42n), "the upstream did not change");
});

test("an unreachable --fork-url fails the start with a clear error; a bad --fork-block-number is a usage error", async (t) => {
  if (TARGET === "anvil") return t.skip("anvil's messages differ (this checks Weft's)");
  const bin = join(ROOT, "bin", "weft.js");
  const url = await deadUrl();
  const dead = await runCommand(process.execPath, [bin, "node", "--port", "0", "--fork-url", url]);
  assert.equal(dead.code, 1);
  assert.ok(dead.stderr.includes(`fork upstream ${url}: fetch failed (ECONNREFUSED)`), dead.stderr);
  for (const bad of ["-1", "x", "1.5", ""]) {
    const run = await runCommand(process.execPath, [
      bin,
      "node",
      "--fork-url",
      upstream.url,
      `--fork-block-number=${bad}`,
    ]);
    assert.equal(run.code, 2, bad);
    assert.match(run.stderr, /--fork-block-number wants an integer/);
  }
  const ftp = await runCommand(process.execPath, [bin, "node", "--fork-url", "ftp://example.org"]);
  assert.equal(ftp.code, 2);
  assert.match(ftp.stderr, /--fork-url wants an http:\/\/ or https:\/\/ URL/);
  const future = await runCommand(process.execPath, [
    bin,
    "node",
    "--port",
    "0",
    "--fork-url",
    upstream.url,
    "--fork-block-number",
    "99999",
  ]);
  assert.equal(future.code, 1);
  assert.ok(future.stderr.includes(`fork upstream ${upstream.url}: has no block 99999`), future.stderr);
  const alone = await runCommand(process.execPath, [bin, "node", "--fork-block-number", "5"]);
  assert.equal(alone.code, 2);
  assert.match(alone.stderr, /--fork-block-number needs --fork-url/);
});

test("a restart on the same --datadir reads what it cached, without asking the upstream", async (t) => {
  if (TARGET === "anvil") return t.skip("anvil keeps no datadir");
  const datadir = mkdtempSync(join(tmpdir(), "weft-fork-"));
  try {
    const first = await startTarget({
      datadir,
      args: ["--fork-url", upstream.url, "--fork-block-number", String(pinned)],
    });
    assert.equal(await slot0(first.url), word(41n));
    assert.equal(await balance(first.url, HOLDER), 5n * ETH);
    await first.stop();
    // An upstream that cannot be reached: every answer must come from the datadir.
    const url = await deadUrl();
    const again = await startTarget({ datadir, args: ["--fork-url", url] });
    try {
      assert.equal(await number(again.url), pinned);
      assert.equal(await slot0(again.url), word(41n));
      assert.equal(await balance(again.url, HOLDER), 5n * ETH);
      const unseen = await rpcRaw(again.url, "eth_getBalance", [
        "0x000000000000000000000000000000000000beef",
        "latest",
      ]);
      assert.equal(unseen.error?.message, `fork upstream ${url}: fetch failed (ECONNREFUSED)`);
    } finally {
      await again.stop();
    }
  } finally {
    rmSync(datadir, { recursive: true, force: true });
  }
});
