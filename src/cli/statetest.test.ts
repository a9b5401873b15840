import assert from "node:assert/strict";
import { resolve } from "node:path";
import { test } from "node:test";
import { GENERAL_STATE_TESTS, withoutFixtures } from "../conformance/fixtures.js";
import { statetestCommand } from "./statetest.js";

const FIXTURES = GENERAL_STATE_TESTS;
const needsFixtures = { skip: withoutFixtures() };

async function capture(fn: () => Promise<number>): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => void out.push(a.join(" "));
  console.error = (...a: unknown[]) => void out.push(a.join(" "));
  try {
    return { code: await fn(), out };
  } finally {
    console.log = log;
    console.error = error;
  }
}

test("statetest --json ends with a summary line", needsFixtures, async () => {
  const r = await capture(() => statetestCommand([resolve(FIXTURES, "stExample"), "--json", "--workers", "2"]));
  assert.equal(r.code, 0, r.out.join("\n"));
  assert.deepEqual(JSON.parse(r.out.at(-1)!), { passed: 39, failed: 0, skipped: 0 });
});

test("statetest human summary", needsFixtures, async () => {
  const r = await capture(() => statetestCommand([resolve(FIXTURES, "stExample/add11.json")]));
  assert.equal(r.code, 0, r.out.join("\n"));
  assert.match(r.out.at(-1)!, /^1 passed, 0 failed, 0 skipped/);
});

test("statetest usage errors", async () => {
  assert.equal((await capture(() => statetestCommand([]))).code, 2);
  assert.equal((await capture(() => statetestCommand(["/no/such/path"]))).code, 2);
  assert.equal((await capture(() => statetestCommand(["x", "--workers", "0"]))).code, 2);
});
