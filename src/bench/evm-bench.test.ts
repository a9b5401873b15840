import assert from "node:assert/strict";
import { test } from "node:test";
import { EVM_BENCH_SCOPE, type EvmBenchResult, resultJson, resultTable, runEvmBench } from "./evm-bench.js";
import { WORKLOADS } from "./workloads.js";

const sample: EvmBenchResult = {
  workload: "erc20-transfer",
  description: "",
  txs: 1000,
  gas: 51_000_000n,
  seconds: 0.5,
};

test("resultTable: a row per workload with µs/tx, tx/s, Mgas/s, and the scope line", () => {
  const table = resultTable([sample]);
  const [header, row] = table.split("\n");
  assert.match(header!, /workload\s+txs\s+gas\/tx\s+µs\/tx\s+tx\/s\s+Mgas\/s/);
  assert.deepEqual(row!.trim().split(/\s+/), ["erc20-transfer", "1000", "51000", "500.0", "2000", "102.00"]);
  assert.ok(table.endsWith(`Measured: ${EVM_BENCH_SCOPE}.`));
});

test("resultJson: one parseable line", () => {
  const line = resultJson(sample);
  assert.ok(!line.includes("\n"));
  assert.deepEqual(JSON.parse(line), {
    bench: "evm",
    workload: "erc20-transfer",
    txs: 1000,
    gas: "51000000",
    gasPerTx: 51000,
    seconds: 0.5,
    usPerTx: 500,
    txPerSec: 2000,
    mgasPerSec: 102,
    scope: EVM_BENCH_SCOPE,
  });
});

// End to end: real solc output through the interpreter. Every transaction must succeed (BenchChain
// throws otherwise), and the gas per transaction must be what these contracts cost on mainnet rules.
test("runEvmBench runs every workload to completion", async () => {
  const results = await runEvmBench({ iterations: 4, warmup: 2 });
  assert.deepEqual(
    results.map((r) => r.workload),
    WORKLOADS.map((w) => w.name),
  );
  const gasPerTx = Object.fromEntries(results.map((r) => [r.workload, Number(r.gas) / r.txs]));
  for (const r of results) {
    assert.equal(r.txs, 4);
    assert.ok(r.seconds > 0);
  }
  // transfer to a new holder: 21000 intrinsic + a cold zero-to-non-zero SSTORE (22100) + a cold
  // non-zero-to-non-zero SSTORE (5000) + calldata and code, ~51.5k on Cancun.
  assert.ok(
    gasPerTx["erc20-transfer"]! > 45_000 && gasPerTx["erc20-transfer"]! < 60_000,
    `${gasPerTx["erc20-transfer"]}`,
  );
  assert.ok(gasPerTx["keccak-loop"]! > 30_000, `${gasPerTx["keccak-loop"]}`);
  assert.ok(gasPerTx["bignum-loop"]! > 30_000, `${gasPerTx["bignum-loop"]}`);
});
