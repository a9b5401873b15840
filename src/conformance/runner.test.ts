import assert from "node:assert/strict";
import { resolve } from "node:path";
import { before, test } from "node:test";
import { initPrecompiles } from "../evm/precompiles/index.js";
import { GENERAL_STATE_TESTS, withoutFixtures } from "./fixtures.js";
import { formatFailure, runStateTestFile } from "./runner.js";

const FIXTURES = GENERAL_STATE_TESTS;
const needsFixtures = { skip: withoutFixtures() };
before(async () => {
  await initPrecompiles();
});

test("runs every Cancun case of a file; case ranges partition them", needsFixtures, () => {
  const path = resolve(FIXTURES, "stExample/accessListExample.json");
  const all = runStateTestFile(path, "stExample/accessListExample.json", "stExample");
  assert.ok(all.cases >= 2);
  assert.deepEqual(all.failures, []);
  assert.equal(all.passed, all.cases);
  let sum = 0;
  for (let i = 0; i < all.cases; i++) {
    const one = runStateTestFile(path, "x", "stExample", { start: i, end: i + 1 });
    assert.equal(one.cases, 1);
    sum += one.passed;
  }
  assert.equal(sum, all.cases);
  assert.equal(runStateTestFile(path, "x", "stExample", { start: all.cases, end: all.cases + 5 }).cases, 0);
});

test("an expected exception passes only when the transaction is rejected", needsFixtures, () => {
  // lowGasLimit: every Cancun case expects INTRINSIC_GAS_TOO_LOW and the pre-state root.
  const r = runStateTestFile(
    resolve(FIXTURES, "stEIP1559/lowGasLimit.json"),
    "stEIP1559/lowGasLimit.json",
    "stEIP1559",
  );
  assert.ok(r.cases > 0);
  assert.deepEqual(r.failures, []);
});

test("formatFailure names file, test and indexes", () => {
  assert.equal(
    formatFailure({ file: "a/b.json", test: "t", indexes: { data: 1, gas: 2, value: 3 }, reason: "why" }),
    "a/b.json t [d=1 g=2 v=3]: why",
  );
  assert.equal(formatFailure({ file: "stFoo", test: "", reason: "unknown" }), "stFoo: unknown");
});
