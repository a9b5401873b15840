import assert from "node:assert/strict";
import { test } from "node:test";
import { RLP } from "@ethereumjs/rlp";
import { bigintToBytes, hexToBytes } from "../primitives/hex.js";
import { keccak256Word } from "../primitives/keccak.js";
import { encodeLogs, logsHash } from "./logs-hash.js";

test("empty logs hash", () => {
  assert.equal(logsHash([]), 0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347n);
});

test("logs hash matches a generic RLP encoding", () => {
  const logs = [
    { address: 0x1234n, topics: [1n, 2n ** 255n], data: hexToBytes("0xdeadbeef") },
    { address: 0xffn << 152n, topics: [], data: new Uint8Array(100) },
  ];
  const expected = RLP.encode(
    logs.map((l) => [bigintToBytes(l.address, 20), l.topics.map((t) => bigintToBytes(t, 32)), l.data]),
  );
  assert.deepEqual(encodeLogs(logs), expected);
  assert.equal(logsHash(logs), keccak256Word(expected));
});
