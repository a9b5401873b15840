import assert from "node:assert/strict";
import { test } from "node:test";
import { bytesToHex, hexToBytes } from "../primitives/hex.js";
import { keccak256 } from "../primitives/keccak.js";
import { EMPTY_TRIE_ROOT_BYTES, rlpEncodeBytes, rlpEncodeList, secureTrieRoot, trieRoot } from "./mpt.js";

const utf8 = (s: string) => new TextEncoder().encode(s);
const pairs = (kv: [string, string][]): [Uint8Array, Uint8Array][] => kv.map(([k, v]) => [utf8(k), utf8(v)]);

test("empty trie root is keccak(rlp(''))", () => {
  assert.equal(bytesToHex(trieRoot([])), "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");
  assert.equal(bytesToHex(secureTrieRoot([])), bytesToHex(EMPTY_TRIE_ROOT_BYTES));
});

test("doe/dog/dogglesworth (ethereum trie tests)", () => {
  const kv = pairs([
    ["doe", "reindeer"],
    ["dog", "puppy"],
    ["dogglesworth", "cat"],
  ]);
  assert.equal(bytesToHex(trieRoot(kv)), "0x8aad789dff2f538bca5d8ea56e8abe10f4c7ba3a5dea95fea4cd6e7c3a1168d3");
  assert.equal(bytesToHex(secureTrieRoot(kv)), "0xd4cd937e4a4368d7931a9cf51686b7e10abb3dce38a39000fd7902a092b64585");
  // Order does not matter.
  assert.equal(bytesToHex(trieRoot([...kv].reverse())), bytesToHex(trieRoot(kv)));
});

test("single long leaf", () => {
  const kv = pairs([["A", "a".repeat(50)]]);
  assert.equal(bytesToHex(trieRoot(kv)), "0xd23786fb4a010da3ce639d66d5e904a11dbc02746d1ce25029e53290cabf28ab");
});

test("foo/food: a key that is a prefix of another (branch value)", () => {
  const kv = pairs([
    ["foo", "bar"],
    ["food", "bass"],
  ]);
  assert.equal(bytesToHex(trieRoot(kv)), "0x17beaa1648bafa633cda809c90c04af50fc8aed3cb40d16efbddee6fdf63c4c3");
});

test("emptyValues: later values win, empty values delete (trietest.json)", () => {
  const kv = pairs([
    ["do", "verb"],
    ["ether", "wookiedoo"],
    ["horse", "stallion"],
    ["shaman", "horse"],
    ["doge", "coin"],
    ["ether", ""],
    ["dog", "puppy"],
    ["shaman", ""],
  ]);
  assert.equal(bytesToHex(trieRoot(kv)), "0x5991bb8c6514148a29db676a14ac506cd2cd5775ace63c30a4fe457715e9ac84");
});

test("single short entry: the root hashes the inlined node", () => {
  const kv: [Uint8Array, Uint8Array][] = [[hexToBytes("0x01"), hexToBytes("0x02")]];
  const leaf = rlpEncodeList([rlpEncodeBytes(hexToBytes("0x2001")), rlpEncodeBytes(hexToBytes("0x02"))]);
  assert.equal(bytesToHex(trieRoot(kv)), bytesToHex(keccak256(leaf)));
});

test("rlp helpers agree with long-form encodings", () => {
  assert.equal(bytesToHex(rlpEncodeBytes(new Uint8Array(0))), "0x80");
  assert.equal(bytesToHex(rlpEncodeBytes(hexToBytes("0x7f"))), "0x7f");
  assert.equal(bytesToHex(rlpEncodeBytes(hexToBytes("0x80"))), "0x8180");
  const long = new Uint8Array(60).fill(1);
  assert.equal(bytesToHex(rlpEncodeBytes(long)).slice(0, 6), "0xb83c");
  const big = new Uint8Array(300);
  assert.equal(bytesToHex(rlpEncodeBytes(big)).slice(0, 8), "0xb9012c");
  assert.equal(bytesToHex(rlpEncodeList([])), "0xc0");
});
