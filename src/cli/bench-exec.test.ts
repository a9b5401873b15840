import assert from "node:assert/strict";
import { test } from "node:test";
import { parseBenchExecArgs } from "./bench-exec.js";
import { runMain } from "./testkit.js";

test("parseBenchExecArgs: defaults, sorted thread list, per-workload defaults", () => {
  assert.deepEqual(parseBenchExecArgs(["--workload", "transfer"]), {
    workload: "transfer",
    txs: 1000,
    threads: [1, 2],
    repeat: 3,
    mode: "auto",
    json: false,
  });
  assert.deepEqual(
    parseBenchExecArgs(["--workload", "erc20-contended", "--txs", "50", "--threads", "4,1,2", "--json"]),
    { workload: "erc20-contended", txs: 50, threads: [1, 2, 4], repeat: 3, mode: "auto", json: true, accounts: 100 },
  );
  assert.equal(
    (parseBenchExecArgs(["--workload", "erc20", "--mode", "parallel"]) as { mode: string }).mode,
    "parallel",
  );
  assert.deepEqual(parseBenchExecArgs(["--workload", "uniswap", "--pairs", "7", "--txs", "7", "--repeat", "1"]), {
    workload: "uniswap",
    txs: 7,
    threads: [1, 2],
    repeat: 1,
    mode: "auto",
    json: false,
    pairs: 7,
  });
  assert.equal(parseBenchExecArgs(["-h"]), "help");
});

test("bench exec: bad command lines exit 2 with a clear message", async (t) => {
  for (const [argv, pattern] of [
    [[], /--workload is required/],
    [["--workload", "nft"], /unknown workload 'nft'/],
    [["--workload", "transfer", "--bogus"], /--bogus/],
    [["--workload", "transfer", "extra"], /extra/],
    [["--workload", "transfer", "--txs", "0"], /--txs must be between 1/],
    [["--workload", "transfer", "--txs", "1e3"], /--txs wants an integer/],
    [["--workload", "transfer", "--threads", "1,,2"], /--threads wants an integer, got ''/],
    [["--workload", "transfer", "--threads", "2,2"], /lists 2 twice/],
    [["--workload", "transfer", "--threads", "0"], /--threads must be between 1/],
    [["--workload", "transfer", "--repeat", "-1"], /repeat/],
    [["--workload", "transfer", "--accounts", "10"], /--accounts applies only to --workload erc20-contended/],
    [["--workload", "erc20-contended", "--accounts", "1"], /--accounts must be between 2/],
    [["--workload", "erc20", "--pairs", "2"], /--pairs applies only to --workload uniswap/],
    [["--workload", "uniswap", "--txs", "10", "--pairs", "11"], /at most --txs/],
    [["--workload", "transfer", "--json=yes"], /json/],
    [["--workload", "transfer", "--mode", "fast"], /--mode wants auto or parallel, got 'fast'/],
  ] as [string[], RegExp][]) {
    const r = await runMain(t, ["bench", "exec", ...argv]);
    assert.equal(r.code, 2, argv.join(" "));
    assert.match(r.err, pattern, argv.join(" "));
    assert.match(r.err, /Usage: weft bench exec/);
  }
});

test("bench exec --help documents every flag and workload", async (t) => {
  const r = await runMain(t, ["bench", "exec", "--help"]);
  assert.equal(r.code, 0);
  for (const word of [
    "--workload",
    "--txs",
    "--threads",
    "--accounts",
    "--pairs",
    "--repeat",
    "--mode",
    "--json",
    "--help",
    "transfer",
    "erc20-contended",
    "uniswap",
    "rwa",
  ]) {
    assert.ok(r.out.includes(word), word);
  }
  const bench = await runMain(t, ["bench", "--help"]);
  assert.match(bench.out, /weft bench exec/);
});

test("bench exec --json: one parseable line per configuration with the required keys", async (t) => {
  const r = await runMain(t, [
    "bench",
    "exec",
    "--workload",
    "uniswap",
    "--txs",
    "12",
    "--pairs",
    "3",
    "--threads",
    "1,2",
    "--repeat",
    "1",
    "--json",
  ]);
  assert.equal(r.code, 0, r.err);
  const rows = r.out
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.equal(rows.length, 3);
  for (const row of rows) {
    for (const key of ["workload", "txs", "threads", "tps", "speedup", "reexecutions", "stateRoot", "mode", "pairs"]) {
      assert.ok(key in row, key);
    }
    assert.equal(row.workload, "uniswap");
    assert.equal(row.txs, 12);
    assert.equal(row.pairs, 3);
    assert.equal(row.stateRoot, rows[0]!.stateRoot);
  }
  assert.deepEqual(
    rows.map((row) => [row.executor, row.threads]),
    [
      ["sequential", 1],
      ["parallel", 1],
      ["parallel", 2],
    ],
  );
});

test("bench exec table: the scope line first, then a row per configuration", async (t) => {
  const r = await runMain(t, [
    "bench",
    "exec",
    "--workload",
    "transfer",
    "--txs",
    "10",
    "--threads",
    "2",
    "--repeat",
    "1",
  ]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /no signature recovery \(senders given/);
  assert.match(r.out, /^sequential\s+1\s/m);
  assert.match(r.out, /^parallel\s+2/m);
});

test("bench exec --workload rwa: compliant transfers, every executor's post-state root the same", async (t) => {
  const r = await runMain(t, [
    "bench",
    "exec",
    "--workload",
    "rwa",
    "--txs",
    "200",
    "--threads",
    "1,2",
    "--repeat",
    "1",
    "--json",
  ]);
  assert.equal(r.code, 0, r.err);
  const rows = r.out
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.deepEqual(
    rows.map((row) => [row.workload, row.executor, row.threads]),
    [
      ["rwa", "sequential", 1],
      ["rwa", "parallel", 1],
      ["rwa", "parallel", 2],
    ],
  );
  for (const row of rows) {
    assert.equal(row.txs, 200);
    assert.equal(row.stateRoot, rows[0]!.stateRoot);
    assert.equal(row.gasUsed, rows[0]!.gasUsed);
  }
  // Each transfer runs the registry and the four modules: far above an ERC-20 transfer's ~35k gas.
  assert.ok(BigInt(rows[0]!.gasUsed as string) / 200n > 150_000n, `gas per transfer: ${rows[0]!.gasUsed}`);
});
