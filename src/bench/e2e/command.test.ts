// The end-to-end benchmark as a user runs it: a small run against a started Weft node and anvil,
// with --json, must include every transaction on both and verify receipts and balances.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot } from "../compile.js";
import { parseBenchE2eArgs } from "./args.js";

const weft = join(repoRoot(), "bin", "weft.js");

test("weft bench e2e --vs-anvil --json: both nodes commit every transaction, verified", () => {
  for (const workload of ["erc20", "transfer", "rwa"]) {
    const run = spawnSync(
      process.execPath,
      [weft, "bench", "e2e", "--workload", workload, "--txs", "300", "--accounts", "100", "--vs-anvil", "--json"],
      { encoding: "utf8", timeout: 180_000, env: process.env },
    );
    assert.equal(run.status, 0, `${workload}: exit ${run.status}\n${run.stderr.slice(-2000)}`);
    const lines = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const [w, a, ratio] = lines;
    for (const [r, target] of [
      [w, "weft"],
      [a, "anvil"],
    ] as const) {
      assert.equal(r?.target, target);
      assert.equal(r?.workload, workload);
      assert.equal(r?.committed, 300, `${target} committed every transaction`);
      assert.equal(r?.rejected, 0);
      const v = r?.verification as { failures: string[] };
      assert.deepEqual(v.failures, [], `${target}: verification`);
      assert.ok((r?.committedTps as number) > 0);
    }
    assert.equal(ratio?.ratio, "weft/anvil");
    assert.equal(typeof ratio?.committedTps, "number");
  }
});

test("weft bench e2e: options are checked and defaults follow the mining mode", () => {
  const auto = parseBenchE2eArgs([]);
  assert.ok(typeof auto === "object" && !("error" in auto));
  assert.equal(auto.blockTime, undefined, "automine alone");
  assert.equal(auto.gasLimit, 30_000_000n);
  const vs = parseBenchE2eArgs(["--vs-anvil"]);
  assert.ok(typeof vs === "object" && !("error" in vs));
  assert.equal(vs.blockTime, "1", "--vs-anvil mines on an interval (anvil's automine stalls on concurrent batches)");
  assert.equal(vs.gasLimit, 1_000_000_000n);
  assert.deepEqual(parseBenchE2eArgs(["--workload", "nope"]), {
    error: "unknown workload 'nope' (one of: erc20, transfer, rwa)",
  });
  assert.ok("error" in (parseBenchE2eArgs(["--rpc", "http://x:1", "--vs-anvil"]) as object));
  assert.ok("error" in (parseBenchE2eArgs(["--gas-limit", "12"]) as object));
  assert.equal(parseBenchE2eArgs(["--help"]), "help");
  const profiled = parseBenchE2eArgs(["--profile", "prof"]);
  assert.ok(typeof profiled === "object" && !("error" in profiled));
  assert.equal(profiled.profile, join(process.cwd(), "prof"), "--profile's folder, made absolute");
  assert.deepEqual(parseBenchE2eArgs(["--profile", " "]), { error: "--profile wants a folder" });
  assert.deepEqual(parseBenchE2eArgs(["--rpc", "http://x:1", "--profile", "p"]), {
    error: "--profile applies to a node the bench starts, not to --rpc",
  });
  const after = parseBenchE2eArgs(["--mine-after", "--vs-anvil", "--txs", "5000"]);
  assert.ok(typeof after === "object" && !("error" in after));
  assert.equal(after.mineAfter, true);
  assert.equal(after.blockTime, undefined, "--mine-after: no interval, even with --vs-anvil");
  assert.equal(after.gasLimit, 30_000_000n);
  assert.equal(after.window, 5000, "everything in flight before the first block");
  assert.deepEqual(parseBenchE2eArgs(["--mine-after", "--block-time", "1"]), {
    error: "--mine-after and --block-time are two ways to mine: give one",
  });
  assert.ok("error" in (parseBenchE2eArgs(["--mine-after", "--window", "10"]) as object));
  assert.ok("error" in (parseBenchE2eArgs(["--mine-after", "--txs", "10000", "--accounts", "2"]) as object));
});

test("weft bench e2e --mine-after --vs-anvil: everything sent first, then evm_mine until all is in, on both", () => {
  const run = spawnSync(
    process.execPath,
    [weft, "bench", "e2e", "--workload", "erc20", "--txs", "1500", "--mine-after", "--vs-anvil", "--json"],
    { encoding: "utf8", timeout: 180_000, env: process.env },
  );
  assert.equal(run.status, 0, `exit ${run.status}\n${run.stderr.slice(-2000)}`);
  const [w, a] = run.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const r of [w, a]) {
    assert.ok(r !== undefined, "a line per node");
    assert.equal(r.committed, 1500, `${String(r.target)} committed every transaction`);
    assert.equal(r.mining, "evm_mine after sending, block gas limit 30000000");
    // 1,500 transfers of some 35,000-52,000 gas each do not fit one 30M-gas block.
    assert.ok((r.blocks as number) >= 2, `${String(r.target)}: ${String(r.blocks)} blocks`);
    assert.deepEqual((r.verification as { failures: string[] }).failures, []);
  }
});

test("weft bench e2e --profile DIR: the started node writes its CPU profiles there, and its main thread's is summarized", () => {
  const dir = join(mkdtempSync(join(tmpdir(), "weft-bench-profile-")), "made");
  try {
    const run = spawnSync(
      process.execPath,
      [weft, "bench", "e2e", "--workload", "transfer", "--txs", "50", "--accounts", "10", "--profile", dir],
      { encoding: "utf8", timeout: 180_000, env: process.env },
    );
    assert.equal(run.status, 0, `exit ${run.status}\n${run.stderr.slice(-2000)}`);
    assert.ok(existsSync(dir), "the folder is made");
    const profiles = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
    assert.ok(
      profiles.some((f) => f.split(".")[4] === "0"),
      `a main-thread profile among ${profiles.join(", ")}`,
    );
    assert.match(run.stderr, /weft node CPU profile \(main thread\): .*\.cpuprofile/);
    assert.match(run.stderr, /by self time, per function:\n +[0-9]+ ms +[0-9.]+% {2}\S/);
  } finally {
    rmSync(join(dir, ".."), { recursive: true, force: true });
  }
});
