import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { genesisWithoutAlloc, scanGenesisFile } from "./genesis-header.js";

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

test("the alloc's strings are skipped whole where a read chunk (1 MiB) ends inside a run of backslashes or an escape", () => {
  const head = '{"config":{"chainId":1},"alloc":{"0x01":{"note":"';
  // Escaped quotes and backslashes, and braces in the string after them: none ends it or nests.
  const tricky = '\\\\\\"}{\\\\\\\\';
  for (let shift = -8; shift <= 2; shift++) {
    const pad = "x".repeat(2 ** 20 - head.length + shift);
    const path = join(dir, "escapes.json");
    writeFileSync(path, `${head}${pad}${tricky}"}},"nonce":"0x7","note":"}\\\\"}`);
    assert.deepEqual(
      JSON.parse(genesisWithoutAlloc(path)),
      { config: { chainId: 1 }, alloc: {}, nonce: "0x7", note: "}\\" },
      `shift ${shift}`,
    );
  }
});

test("a file cut short inside the alloc that the header's pass skips is still an error naming the last entry", () => {
  const path = join(dir, "bad-header.json");
  writeFileSync(path, '{"config":{"chainId":1},"alloc":{"0x01":{"balance":"0x1"},"0x02":{"balance":"0x2"}');
  assert.throws(() => genesisWithoutAlloc(path), /alloc after entry 2 \(0x02\): the file ends inside alloc/);
});

test("every alloc entry is handed over as written, escapes and chunk boundaries included", () => {
  const alloc: Record<string, unknown> = {};
  for (let i = 0; i < 12_000; i++) {
    // Escaped quotes and backslashes in a string value (an unknown field's): they must not end it.
    const note = i % 3 === 0 ? `a \\"} { \\\\ "${"x".repeat(i % 97)}` : "plain";
    alloc[`0x${i.toString(16).padStart(40, "0")}`] = {
      balance: `0x${i.toString(16)}`,
      note,
      storage: { "0x01": "0x02" },
    };
  }
  alloc["0x00000000000000000000000000000000000000ff"] = null;
  const path = join(dir, "entries.json");
  const json = { config: { chainId: 1 }, alloc, nonce: "0x0" };
  writeFileSync(path, JSON.stringify(json, null, 1));
  const seen: [string, unknown][] = [];
  const header = scanGenesisFile(path, (key, value) => seen.push([key, JSON.parse(value.toString("utf8"))]));
  assert.deepEqual(JSON.parse(header), { ...json, alloc: {} });
  assert.deepEqual(seen, Object.entries(alloc));
});

test("an entry's key that a read chunk boundary (1 MiB) cuts in two is handed over whole", () => {
  const first = `{"alloc":{"0x${"1".padStart(40, "0")}":{"balance":"0x1","pad":"`;
  const key = `0x${"2".padStart(40, "0")}`;
  // The second key's opening quote 10 bytes before the boundary: the boundary falls inside it.
  const pad = "x".repeat((1 << 20) - 10 - first.length - '"},'.length);
  const path = join(dir, "split-key.json");
  writeFileSync(path, `${first}${pad}"},"${key}":{"balance":"0x2"}},"nonce":"0x0"}`);
  const keys: string[] = [];
  scanGenesisFile(path, (k) => keys.push(k));
  assert.deepEqual(keys, [`0x${"1".padStart(40, "0")}`, key]);
});

test("a file cut short, or an alloc entry without its colon, is an error that says where", () => {
  const path = join(dir, "bad.json");
  const text = JSON.stringify({
    config: { chainId: 1 },
    alloc: { "0x01": { balance: "0x1" }, "0x02": { balance: "0x2" } },
  });
  writeFileSync(path, text.slice(0, text.indexOf('"0x02"') + 10));
  assert.throws(() => scanGenesisFile(path, () => undefined), /alloc\[0x02\] \(entry 2\): the file ends inside alloc/);
  writeFileSync(path, text.replace('"0x02":', '"0x02"'));
  assert.throws(() => scanGenesisFile(path, () => undefined), /alloc\[0x02\] \(entry 2\): expected ':' after the key/);
  writeFileSync(path, '{"config": {"chainId": 1}, "alloc": ["0x01"]}');
  assert.throws(() => scanGenesisFile(path), /alloc: expected an object keyed by address/);
});
