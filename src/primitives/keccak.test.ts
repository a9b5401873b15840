import assert from "node:assert/strict";
import { test } from "node:test";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex } from "./hex.js";
import { EMPTY_CODE_HASH, keccak256, keccak256Word } from "./keccak.js";

test("keccak256 of the empty string is the empty code hash", () => {
  assert.equal(keccak256Word(new Uint8Array(0)), EMPTY_CODE_HASH);
});

test("keccak256 agrees with @noble/hashes on inputs across the 136-byte rate boundary", () => {
  for (const length of [1, 31, 32, 64, 135, 136, 137, 272, 1000]) {
    const data = Uint8Array.from({ length }, (_, i) => (i * 131 + length) & 0xff);
    assert.equal(bytesToHex(keccak256(data)), bytesToHex(keccak_256(data)), `length ${length}`);
  }
});

test("each call returns a fresh array", () => {
  const a = keccak256(new Uint8Array([1]));
  const b = keccak256(new Uint8Array([2]));
  assert.notEqual(bytesToHex(a), bytesToHex(b));
});
