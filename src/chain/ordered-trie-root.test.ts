import assert from "node:assert/strict";
import { test } from "node:test";
import { bigintToMinimalBytes } from "../primitives/hex.js";
import { rlpEncodeBytes, trieRoot } from "../state/mpt.js";
import { orderedTrieRootBytes } from "./ordered-trie-root.js";

/** The reference: the generic trie root over the keys RLP(i), in any order. */
function reference(values: Uint8Array[]): Uint8Array {
  return trieRoot(values.map((v, i) => [rlpEncodeBytes(bigintToMinimalBytes(BigInt(i))), v] as const));
}

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test("ordered trie root equals the generic trie root: sizes across every key-length boundary, short and long values", () => {
  const next = random(7);
  // 1-byte values make leaves under 32 bytes (inlined in their parent); 300-byte ones are hashed.
  const sizes = [1, 2, 3, 16, 17, 127, 128, 129, 200, 255, 256, 257, 1000, 4097, 65_537];
  for (const n of sizes) {
    for (const maxLength of [1, 40, 300]) {
      const values = Array.from({ length: n }, () => {
        const v = new Uint8Array(1 + Math.floor(next() * maxLength));
        for (let k = 0; k < v.length; k++) v[k] = Math.floor(next() * 256);
        return v;
      });
      assert.deepEqual(orderedTrieRootBytes(values), reference(values), `${n} values of 1..${maxLength} bytes`);
    }
  }
});

test("an empty list is the empty trie; an empty item is refused", () => {
  assert.deepEqual(orderedTrieRootBytes([]), reference([]));
  assert.throws(() => orderedTrieRootBytes([new Uint8Array([1]), new Uint8Array(0)]), /item 1 is empty/);
});
