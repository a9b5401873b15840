import assert from "node:assert/strict";
import { test } from "node:test";
import { ACCOUNT_TRIE, nodeKeyOfId, nodeKeyOfLeaf, pathId } from "./trie-store.js";

test("a path's id names exactly one node key: each depth and prefix its own, back to nodeKeyOfLeaf's key", () => {
  const owner = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
  const ids = new Map<number | string, string>();
  for (let k = 0; k < 24; k++) {
    // Keys that share long prefixes, and keys of all-zero and all-one nibbles.
    const key = Uint8Array.from({ length: 32 }, (_, i) =>
      k < 2 ? k * 255 : i < k % 8 ? 0xab : (k * 31 + i * 7) & 255,
    );
    for (let depth = 0; depth <= 64; depth++) {
      const id = pathId(key, depth);
      const nodeKey = nodeKeyOfLeaf(ACCOUNT_TRIE, key, depth).toString("hex");
      assert.equal(typeof id, depth <= 12 ? "number" : "string");
      if (depth <= 6) assert.ok(Number.isInteger(id) && (id as number) < 2 ** 30, "a small integer");
      assert.equal(ids.get(id) ?? nodeKey, nodeKey, `one id, one path (depth ${depth})`);
      ids.set(id, nodeKey);
      const ownerId = Buffer.from(owner).toString("latin1");
      assert.deepEqual(nodeKeyOfId(ownerId, id), nodeKeyOfLeaf(owner, key, depth), `key ${k}, depth ${depth}`);
      assert.deepEqual(nodeKeyOfId("", id), nodeKeyOfLeaf(ACCOUNT_TRIE, key, depth));
    }
  }
  assert.equal(new Set(ids.values()).size, ids.size, "distinct paths, distinct ids");
});
