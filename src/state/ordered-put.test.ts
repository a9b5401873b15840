import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { open } from "lmdb";
import { orderedPut } from "./ordered-put.js";

const dir = mkdtempSync(join(tmpdir(), "weft-ordered-put-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("ordered puts append what ascends and put the rest, from a reused key buffer, into an empty or a filled table", async () => {
  const root = open<Uint8Array, Uint8Array>({ path: dir, maxDbs: 2, encoding: "binary", keyEncoding: "binary" });
  const db = root.openDB<Uint8Array, Uint8Array>("t", { encoding: "binary", keyEncoding: "binary" });
  const expected = new Map<string, number>();
  const key = new Uint8Array(3);
  // Ascending runs with lower keys between them (as a trie's parents follow their subtrees), and a
  // key that extends the one before it; the second round's table is not empty.
  const rounds = [
    [0x10, 0x11, 0x12, 0x05, 0x13, 0x13, 0x20, 0x01, 0x21],
    [0x22, 0x02, 0x30, 0x15, 0x31],
  ];
  for (const [round, keys] of rounds.entries()) {
    root.transactionSync(() => {
      const put = orderedPut(db);
      for (const [i, k] of keys.entries()) {
        const length = k === 0x13 && i === 5 ? 3 : 2;
        key[0] = k;
        key[1] = round;
        key[2] = 9;
        put(key.subarray(0, length), new Uint8Array([i]));
        expected.set(Buffer.from(key.subarray(0, length)).toString("hex"), i);
      }
    });
  }
  const got = new Map<string, number>();
  for (const { key: k, value } of db.getRange({})) got.set(Buffer.from(k).toString("hex"), value[0]!);
  assert.deepEqual(got, expected);
  const keys = [...got.keys()];
  assert.deepEqual(keys, [...keys].sort(), "LMDB's own order");
  await root.close();
});
