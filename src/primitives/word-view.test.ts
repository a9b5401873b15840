import assert from "node:assert/strict";
import { test } from "node:test";
import { bigintToBytes, bytesToBigint } from "./hex.js";
import { readWordAt, wordOfNumber, writeAddressAt, writeWordAt } from "./word-view.js";

// One value of every byte length 0-32 (each short path and the full one), at an unaligned offset.
const WORDS = Array.from({ length: 33 }, (_, n) => (n === 0 ? 0n : (1n << BigInt(8 * n - 1)) | BigInt(n * 0x0101)));

test("writeWordAt and readWordAt round-trip words of every byte length, big-endian", () => {
  const buffer = new Uint8Array(40).fill(0xaa);
  const view = new DataView(buffer.buffer);
  for (const word of WORDS) {
    writeWordAt(view, 3, word);
    assert.deepEqual(buffer.subarray(3, 35), bigintToBytes(word, 32), `0x${word.toString(16)}`);
    assert.equal(readWordAt(view, 3), word);
    assert.equal(buffer[2], 0xaa, "nothing before the word is touched");
    assert.equal(buffer[35], 0xaa, "nothing after the word is touched");
  }
});

test("readWordAt reads a word whose high bytes were left by an earlier, longer one", () => {
  const view = new DataView(new ArrayBuffer(32));
  writeWordAt(view, 0, WORDS[32]!);
  writeWordAt(view, 0, 5n);
  assert.equal(readWordAt(view, 0), 5n);
});

test("writeAddressAt writes 20 big-endian bytes", () => {
  const address = 0xd8da6bf26964af9d7eed9e03e53415d37aa96045n;
  const buffer = new Uint8Array(22);
  writeAddressAt(new DataView(buffer.buffer), 1, address);
  assert.equal(bytesToBigint(buffer.subarray(1, 21)), address);
  assert.equal(buffer[0], 0);
  assert.equal(buffer[21], 0);
});

test("wordOfNumber is BigInt(x) for integers 0 to 2^64 - 2^11 (the largest double below 2^64)", () => {
  const values = [0, 1, 1023, 1024, 0xffffffff, 0x100000000, 0x100000001, 30_000_000, 2 ** 53 - 1, 2 ** 53, 2 ** 63];
  values.push(2 ** 64 - 2 ** 11);
  for (let i = 0; i < 1000; i++) values.push(Math.floor(Math.random() * 2 ** (1 + (i % 64))));
  for (const x of values) assert.equal(wordOfNumber(x), BigInt(x), String(x));
});
