// ethereum/tests GeneralStateTests, Cancun: every case of the fixture set, run across worker threads.
// Fails on any failing case, on any unknown or missing fixture folder, on a changed per-folder case
// count, and when skips.ts skips more than its allowance.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { GENERAL_STATE_TESTS, withoutFixtures } from "../../src/conformance/fixtures.js";
import { KNOWN_CASE_TOTAL, KNOWN_FOLDERS } from "../../src/conformance/known-folders.js";
import { runStateTests } from "../../src/conformance/pool.js";
import { formatFailure } from "../../src/conformance/runner.js";
import { MAX_SKIP_FRACTION, SKIPS } from "../../src/conformance/skips.js";

const FIXTURES = GENERAL_STATE_TESTS;
const SHOWN = 50;

test("skips.ts: every skip has a reason", () => {
  for (const skip of SKIPS) assert.ok(skip.reason.trim().length > 0, `skip without a reason: ${JSON.stringify(skip)}`);
  assert.ok(SKIPS.length <= Math.floor(KNOWN_CASE_TOTAL * MAX_SKIP_FRACTION), "more skip entries than the allowance");
});

test("GeneralStateTests (Cancun)", { skip: withoutFixtures() }, async () => {
  assert.ok(existsSync(FIXTURES), `fixtures not found at ${FIXTURES}`);
  const summary = await runStateTests(FIXTURES);
  const seconds = (summary.durationMs / 1000).toFixed(1);
  console.log(
    `GeneralStateTests: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped ` +
      `(${summary.cases} cases, ${summary.files} files, ${seconds}s)`,
  );

  if (summary.failures.length > 0) {
    const lines = summary.failures.slice(0, SHOWN).map((f) => `  ${formatFailure(f)}`);
    const more = summary.failures.length > SHOWN ? `\n  ... and ${summary.failures.length - SHOWN} more` : "";
    assert.fail(`${summary.failures.length} unexpected failures (first ${lines.length}):\n${lines.join("\n")}${more}`);
  }
  assert.ok(summary.foldersChecked, "fixture-folder checks did not apply");
  assert.deepEqual(
    Object.fromEntries([...summary.casesPerFolder].sort()),
    Object.fromEntries(Object.entries(KNOWN_FOLDERS).sort()),
  );
  assert.equal(summary.cases, KNOWN_CASE_TOTAL);
  assert.ok(
    summary.skipped <= summary.cases * MAX_SKIP_FRACTION,
    `${summary.skipped} skipped cases exceed the ${MAX_SKIP_FRACTION * 100}% allowance`,
  );
  assert.equal(summary.passed + summary.skipped, summary.cases);
});
