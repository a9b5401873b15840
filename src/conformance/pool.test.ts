import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { GENERAL_STATE_TESTS, withoutFixtures } from "./fixtures.js";
import { KNOWN_FOLDERS } from "./known-folders.js";
import { listFixtures, runStateTests } from "./pool.js";

const FIXTURES = GENERAL_STATE_TESTS;
const needsFixtures = { skip: withoutFixtures() };
const tmp = mkdtempSync(join(tmpdir(), "weft-pool-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

test("runs a known folder: cases pass, count matches known-folders.ts", needsFixtures, async () => {
  const summary = await runStateTests(join(FIXTURES, "stExample"), { workers: 2 });
  assert.equal(summary.foldersChecked, true);
  assert.equal(summary.cases, KNOWN_FOLDERS.stExample);
  assert.deepEqual(summary.failures, []);
  assert.equal(summary.passed, summary.cases);
});

test("an unknown fixture folder and missing known folders are failures", needsFixtures, async () => {
  const root = join(tmp, "GeneralStateTests");
  mkdirSync(join(root, "stBogus"), { recursive: true });
  mkdirSync(join(root, "stExample"), { recursive: true });
  copyFileSync(join(FIXTURES, "stExample/add11.json"), join(root, "stBogus/add11.json"));
  copyFileSync(join(FIXTURES, "stExample/add11.json"), join(root, "stExample/add11.json"));

  const { files } = listFixtures(root);
  assert.deepEqual(files.map((f) => [f.file, f.folder]).sort(), [
    ["stBogus/add11.json", "stBogus"],
    ["stExample/add11.json", "stExample"],
  ]);

  const summary = await runStateTests(root, { workers: 1 });
  const reasons = summary.failures.map((f) => `${f.file}: ${f.reason}`);
  assert.ok(
    reasons.some((r) => r.startsWith("stBogus: unknown fixture folder")),
    reasons.join("\n"),
  );
  assert.ok(
    reasons.some((r) => r.startsWith("stExample: folder holds 1 Cancun cases")),
    reasons.join("\n"),
  );
  assert.ok(
    reasons.some((r) => r.startsWith("stShift: known fixture folder is missing")),
    reasons.join("\n"),
  );
  assert.ok(summary.failed >= Object.keys(KNOWN_FOLDERS).length);
  // The add11 cases themselves pass.
  assert.equal(summary.passed, 2);

  // A single file is named relative to its GeneralStateTests folder, with no count check.
  const one = await runStateTests(join(root, "stExample/add11.json"), { workers: 1 });
  assert.deepEqual(one.failures, []);
  assert.equal(one.passed, 1);
});

test("a broken fixture file is a failure, not a crash", needsFixtures, async () => {
  const dir = join(tmp, "loose");
  mkdirSync(dir, { recursive: true });
  const bad = join(dir, "bad.json");
  copyFileSync(join(FIXTURES, "stExample/add11.json"), join(dir, "good.json"));
  writeFileSync(bad, "{ not json");
  const summary = await runStateTests(dir, { workers: 2 });
  assert.equal(summary.foldersChecked, false);
  assert.equal(summary.passed, 1);
  assert.equal(summary.failed, 1);
  assert.match(summary.failures[0]!.reason, /cannot read fixture/);
  assert.equal(summary.failures[0]!.file, "bad.json");
});
