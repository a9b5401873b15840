import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { genesisWithoutAlloc } from "./genesis-header.js";

const dir = mkdtempSync(join(tmpdir(), "weft-genesis-header-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("the top-level alloc is skipped wherever it sits, strings with braces and quotes included", () => {
  const alloc = {
    "0x00000000000000000000000000000000000000aa": { balance: "0x1", code: "0x7b7d", storage: { "0x01": "0x02" } },
  };
  const cases: Record<string, unknown>[] = [
    { config: { chainId: 5 }, alloc, gasLimit: "0x10" },
    { alloc, config: { chainId: 5, note: 'a "quoted" } { string' }, extraData: "0x" },
    { config: { chainId: 5, alloc: { kept: true } }, timestamp: "0x2", alloc },
  ];
  for (const [i, json] of cases.entries()) {
    const path = join(dir, `g${i}.json`);
    writeFileSync(path, JSON.stringify(json, null, i));
    assert.deepEqual(JSON.parse(genesisWithoutAlloc(path)), { ...json, alloc: {} }, `case ${i}`);
  }
});

test("an alloc larger than one read chunk is skipped across chunks", () => {
  const alloc: Record<string, unknown> = {};
  for (let i = 0; i < 20_000; i++) alloc[`0x${i.toString(16).padStart(40, "0")}`] = { balance: `0x${i.toString(16)}` };
  const path = join(dir, "big.json");
  writeFileSync(path, JSON.stringify({ config: { chainId: 1 }, alloc, nonce: "0x0" }));
  assert.deepEqual(JSON.parse(genesisWithoutAlloc(path)), { config: { chainId: 1 }, alloc: {}, nonce: "0x0" });
});
