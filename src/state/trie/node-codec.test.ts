import assert from "node:assert/strict";
import { test } from "node:test";
import { encodeExtension, encodeExtensionOfKey, encodeLeaf, encodeLeafOfKey, keyPath } from "./node-codec.js";

test("the key-based leaf and extension encoders match the path-string ones at every nibble offset", () => {
  const key = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);
  const path = keyPath(key);
  const value = Uint8Array.from({ length: 40 }, (_, i) => i);
  const childRef = Uint8Array.from({ length: 33 }, (_, i) => 0xa0 + i);
  for (let from = 0; from <= 64; from++) {
    assert.deepEqual(encodeLeafOfKey(key, from, value), encodeLeaf(path.slice(from), value), `leaf from ${from}`);
    for (let to = from + 1; to <= 64; to++) {
      assert.deepEqual(
        encodeExtensionOfKey(key, from, to, childRef),
        encodeExtension(path.slice(from, to), childRef),
        `extension ${from}..${to}`,
      );
    }
  }
});
