// ethereum/tests GeneralStateTests, Cancun: every case of the fixture set, run across worker threads.
// Fails on any failing case, on any unknown or missing fixture folder, on a changed per-folder case
// count, and when skips.ts skips more than its allowance.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { GENERAL_STATE_TESTS, withoutFixtures } from "../../src/conformance/fixtures.js";
import { KNOWN_CASE_TOTAL, KNOWN_FOLDERS } from "../../src/conformance/known-folders.js";
import { type RunOptions, runStateTests } from "../../src/conformance/pool.js";
import { formatFailure } from "../../src/conformance/runner.js";
import { MAX_SKIP_FRACTION, SKIPS } from "../../src/conformance/skips.js";

const FIXTURES = GENERAL_STATE_TESTS;
const SHOWN = 50;

test("skips.ts: every skip has a reason", () => {
  for (const skip of SKIPS) assert.ok(skip.reason.trim().length > 0, `skip without a reason: ${JSON.stringify(skip)}`);
  assert.ok(SKIPS.length <= Math.floor(KNOWN_CASE_TOTAL * MAX_SKIP_FRACTION), "more skip entries than the allowance");
});

/** Runs every case and checks the summary: no failure, every known folder with its case count. */
async function runAndCheck(label: string, options: RunOptions): Promise<void> {
  assert.ok(existsSync(FIXTURES), `fixtures not found at ${FIXTURES}`);
  const summary = await runStateTests(FIXTURES, options);
  const seconds = (summary.durationMs / 1000).toFixed(1);
  console.log(
    `${label}: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped ` +
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
}

// The plain interpreter loop is the reference; the compiled blocks (src/evm/block-compiler.ts) must
// give the same post-states and logs, so the second run compiles every block at its first run.
test("GeneralStateTests (Cancun)", { skip: withoutFixtures() }, () => runAndCheck("GeneralStateTests", {}));

test("GeneralStateTests (Cancun), every basic block compiled", { skip: withoutFixtures() }, () =>
  runAndCheck("GeneralStateTests, every block compiled", { compileEveryBlock: true }),
);
