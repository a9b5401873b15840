import assert from "node:assert/strict";
import { test } from "node:test";
import { bytesToHex } from "../primitives/hex.js";
import { EMPTY_TRIE_ROOT_BYTES, trieRoot } from "./mpt.js";
import { PatriciaTrie } from "./patricia-trie.js";
import { prng } from "./random-writes.js";

function randomKey(rand: () => number, shared: number): Uint8Array {
  const key = new Uint8Array(32);
  // The first `shared` bytes come from a small alphabet, so keys share long prefixes (extensions).
  for (let i = 0; i < 32; i++) key[i] = i < shared ? Math.floor(rand() * 2) : Math.floor(rand() * 256);
  return key;
}

test("the incremental trie's root equals a full rebuild after every insert, update and delete", () => {
  for (const shared of [0, 3, 31]) {
    const rand = prng(7 + shared);
    const trie = new PatriciaTrie();
    const entries = new Map<string, [Uint8Array, Uint8Array]>();
    assert.deepEqual(trie.rootHash(), EMPTY_TRIE_ROOT_BYTES);
    const keys: Uint8Array[] = [];
    for (let step = 0; step < 600; step++) {
      const reuse = keys.length > 0 && rand() < 0.5;
      const key = reuse ? keys[Math.floor(rand() * keys.length)]! : randomKey(rand, shared);
      if (!reuse) keys.push(key);
      // Short values make short (inlined) nodes too.
      const value =
        rand() < 0.25 ? new Uint8Array(0) : new Uint8Array(1 + Math.floor(rand() * (rand() < 0.5 ? 3 : 40)));
      for (let i = 0; i < value.length; i++) value[i] = 1 + Math.floor(rand() * 255);
      trie.set(key, value);
      if (value.length === 0) entries.delete(bytesToHex(key));
      else entries.set(bytesToHex(key), [key, value]);
      if (step % 7 === 0 || step > 590) {
        assert.equal(trie.size, entries.size);
        assert.deepEqual(trie.rootHash(), trieRoot(entries.values()), `shared ${shared}, step ${step}`);
      }
    }
    // Delete everything: back to the empty root.
    for (const [key] of entries.values()) trie.delete(key);
    assert.equal(trie.size, 0);
    assert.deepEqual(trie.rootHash(), EMPTY_TRIE_ROOT_BYTES);
  }
});

test("get returns what was set and nothing else", () => {
  const trie = new PatriciaTrie();
  const a = new Uint8Array(32).fill(1);
  const b = new Uint8Array(32).fill(1);
  b[31] = 2;
  trie.set(a, new Uint8Array([9]));
  assert.deepEqual(trie.get(a), new Uint8Array([9]));
  assert.equal(trie.get(b), undefined);
  trie.delete(b); // absent: no change
  assert.equal(trie.size, 1);
  assert.throws(() => trie.set(new Uint8Array(20), new Uint8Array([1])), /32 bytes/);
});
