import assert from "node:assert/strict";
import { test } from "node:test";
import { parseAllocEntry } from "./genesis.js";
import { parsePlainAccount } from "./genesis-entry-bytes.js";

const KEY = "0x00000000000000000000000000000000000000aa";
const bytes = (json: string) => Buffer.from(json, "utf8");

test("a plainly spelled alloc entry is read from its bytes exactly as JSON.parse and parseAllocEntry read it", () => {
  const entries = [
    "{}",
    ' { "balance" : "0x3635c9adc5dea00000" } ',
    '{"balance":"1000","nonce":"0X1f","code":"6001600055"}',
    '{"balance":"0x","nonce":"0","code":"0x"}',
    `{"storage":{"0x01":"0x02","0x${"ab".repeat(32)}":"0x00","":"0x1","0x0000000000000000000000000000000000000000000000000000000000000003":"ff"},"balance":"0x1"}`,
    '{\n  "balance": "0xff",\n  "storage": {}\n}',
  ];
  for (const json of entries) {
    const plain = parsePlainAccount(bytes(json));
    assert.ok(plain !== undefined, json);
    // The storage comes packed (in key order): compared as the Map it stands for.
    const { balance, nonce, code, storage } = plain;
    assert.deepEqual(
      { balance, nonce, code, storage: new Map(storage) },
      parseAllocEntry(KEY, JSON.parse(json))[1],
      json,
    );
  }
});

test("a plain entry's nonce and balance are kept as minimal big-endian bytes", () => {
  const cases: [string, number[], number[]][] = [
    ['{"balance":"0x00ff","nonce":"0x0"}', [], [0xff]],
    ['{"balance":"256","nonce":"0x102"}', [1, 2], [1, 0]],
    ['{"balance":"0x","nonce":"0"}', [], []],
    [`{"balance":"0x${"0".repeat(70)}1"}`, [], [1]],
  ];
  for (const [json, nonce, balance] of cases) {
    const plain = parsePlainAccount(bytes(json));
    assert.deepEqual([...(plain?.nonceBytes ?? [])], nonce, json);
    assert.deepEqual([...(plain?.balanceBytes ?? [])], balance, json);
  }
});

test("anything else is left to the general parser (numbers, null, escapes, other or repeated fields, bad hex, bad JSON)", () => {
  const others = [
    '{"balance":1000}',
    '{"balance":"0x1","code":null}',
    '{"storage":null}',
    '{"balance":"0x\\u0031"}',
    '{"balance":"0x1","secretKey":"0x01"}',
    '{"balance":"0x1","balance":"0x2"}',
    '{"storage":{"0x01":"0x02","0x1":"0x03"}}',
    '{"storage":{"0x0g":"0x01"}}',
    '{"storage":{"0x01":"0x1 "}}',
    '{"balance":"0xzz"}',
    '{"balance":"12a"}',
    '{"code":"0x123"}',
    `{"storage":{"0x01":"0x${"1".repeat(65)}"}}`,
    `{"balance":"0x1${"0".repeat(64)}"}`,
    '{"nonce":"0x10000000000000000"}',
    '{"balance":"0x1"',
    '{"balance":"0x1"} x',
    '["0x1"]',
  ];
  for (const json of others) assert.equal(parsePlainAccount(bytes(json)), undefined, json);
});
