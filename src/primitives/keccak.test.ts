import assert from "node:assert/strict";
import { randomBytes, randomInt } from "node:crypto";
import { test } from "node:test";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex } from "./hex.js";
import {
  EMPTY_CODE_HASH,
  EMPTY_TRIE_ROOT,
  keccak256,
  keccak256Into,
  keccak256Word,
  keccak256WordOf,
  keccak256WordOfView,
  writeLastDigest,
} from "./keccak.js";
import { KECCAK_CHUNK, KECCAK_RATE } from "./keccak-wasm.js";

const reference = (data: Uint8Array) => bytesToHex(keccak_256(data));
const referenceWord = (data: Uint8Array) => BigInt(reference(data));

/** Checks every entry point on `data`, reporting the input so that a failure can be replayed. */
function assertAllAgree(data: Uint8Array): void {
  const want = reference(data);
  const label = data.length <= 300 ? `input ${bytesToHex(data)}` : `${data.length}-byte input`;
  assert.equal(bytesToHex(keccak256(data)), want, `keccak256, ${label}`);
  assert.equal(keccak256Word(data), BigInt(want), `keccak256Word, ${label}`);

  const out = randomBytes(32 + 2 * 7);
  const around = Uint8Array.from(out);
  keccak256Into(data, out, 7);
  assert.equal(bytesToHex(out.subarray(7, 39)), want, `keccak256Into, ${label}`);
  assert.deepEqual([...out.subarray(0, 7), ...out.subarray(39)], [...around.subarray(0, 7), ...around.subarray(39)]);

  const offset = randomInt(0, 100);
  const buffer = randomBytes(offset + data.length + randomInt(0, 100));
  buffer.set(data, offset);
  assert.equal(keccak256WordOf(buffer, offset, data.length), BigInt(want), `keccak256WordOf at ${offset}, ${label}`);
}

test("keccak256 of the empty string is the empty code hash", () => {
  assert.equal(keccak256Word(new Uint8Array(0)), EMPTY_CODE_HASH);
  assert.equal(referenceWord(new Uint8Array(0)), EMPTY_CODE_HASH);
});

test("EMPTY_TRIE_ROOT is keccak256 of rlp('')", () => {
  assert.equal(keccak256Word(Uint8Array.of(0x80)), EMPTY_TRIE_ROOT);
});

test("every entry point agrees with @noble/hashes on random inputs of every length 0..300", () => {
  for (let length = 0; length <= 300; length++) assertAllAgree(randomBytes(length));
});

test("every entry point agrees with @noble/hashes across the rate and the module's chunk size", () => {
  const lengths = [KECCAK_RATE * 4 - 1, KECCAK_RATE * 4, 4096, KECCAK_CHUNK - 1, KECCAK_CHUNK, KECCAK_CHUNK + 1];
  lengths.push(KECCAK_CHUNK + KECCAK_RATE, 2 * KECCAK_CHUNK + 5, 1 << 20);
  for (const length of lengths) assertAllAgree(randomBytes(length));
});

test("a long hash between two short ones leaves no state behind", () => {
  const short = randomBytes(64);
  const before = keccak256Word(short);
  keccak256(randomBytes(3 * KECCAK_CHUNK + 17));
  assert.equal(keccak256Word(short), before);
  assert.equal(before, referenceWord(short));
});

test("keccak256WordOf and keccak256WordOfView hash exactly the range, whatever the bytes around it", () => {
  const buffer = randomBytes(200);
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  for (const [offset, length] of [
    [0, 0],
    [200, 0],
    [0, 200],
    [5, 32],
    [5, 33],
    [64, 136],
    [199, 1],
  ] as const) {
    const want = referenceWord(buffer.subarray(offset, offset + length));
    assert.equal(keccak256WordOf(buffer, offset, length), want, `range ${offset}+${length}`);
    assert.equal(keccak256WordOfView(view, offset, length), want, `view range ${offset}+${length}`);
  }
});

test("keccak256WordOf and keccak256Into reject ranges outside the buffer", () => {
  const buffer = new Uint8Array(64);
  assert.throws(() => keccak256WordOf(buffer, 33, 32), /range 33\+32 is outside a 64-byte buffer/);
  assert.throws(() => keccak256WordOf(buffer, -1, 1), RangeError);
  assert.throws(() => keccak256WordOf(buffer, 0, Number.NaN), RangeError);
  const view = new DataView(buffer.buffer);
  assert.throws(() => keccak256WordOfView(view, 33, 32), /range 33\+32 is outside a 64-byte buffer/);
  assert.throws(() => keccak256WordOfView(view, -1, 1), RangeError);
  assert.throws(() => keccak256Into(buffer, new Uint8Array(40), 9), /no room for 32 bytes at 9 in a 40-byte buffer/);
  assert.throws(() => keccak256Into(buffer, new Uint8Array(40), -1), RangeError);
});

test("each call returns a fresh array that later hashes do not change", () => {
  const a = keccak256(new Uint8Array([1]));
  const copy = bytesToHex(a);
  const b = keccak256(new Uint8Array([2]));
  assert.notEqual(bytesToHex(a), bytesToHex(b));
  assert.equal(bytesToHex(a), copy);
  assert.equal(a.byteLength, 32);
  assert.equal(a.buffer.byteLength, 32);
});

test("keccak256 accepts a Buffer and a subarray view", () => {
  const bytes = randomBytes(100);
  assert.equal(bytesToHex(keccak256(bytes)), reference(bytes));
  const view = bytes.subarray(10, 90);
  assert.equal(bytesToHex(keccak256(view)), reference(view));
});

test("short inputs that repeat (the recent-hash cache) hash as @noble/hashes does, whatever came between", () => {
  // Inputs that differ only in their last byte, in a byte past a word boundary, or in length alone.
  const base = randomBytes(64);
  const pool: Uint8Array[] = [];
  for (let length = 1; length <= 64; length++) {
    pool.push(base.subarray(0, length));
    const changed = Uint8Array.from(base.subarray(0, length));
    changed[length - 1]! ^= 1;
    pool.push(changed);
  }
  for (let i = 0; i < 40; i++) pool.push(randomBytes(randomInt(1, 65)));
  const buffer = new Uint8Array(200);
  const view = new DataView(buffer.buffer);
  for (let i = 0; i < 20_000; i++) {
    const input = pool[randomInt(pool.length)]!;
    const offset = randomInt(0, 200 - input.length + 1);
    buffer.fill(0xee);
    buffer.set(input, offset);
    const expected = BigInt(`0x${bytesToHex(keccak_256(input)).slice(2)}`);
    assert.equal(keccak256WordOf(buffer, offset, input.length), expected, `input ${bytesToHex(input)}`);
    assert.equal(keccak256WordOfView(view, offset, input.length), expected, `view, input ${bytesToHex(input)}`);
    assert.equal(keccak256Word(input), expected);
  }
});

test("writeLastDigest writes the last short digest's bytes, and nothing for any other value", () => {
  const memory = new Uint8Array(100);
  const view = new DataView(memory.buffer);
  const noble = (bytes: Uint8Array) => BigInt(`0x${bytesToHex(keccak_256(bytes)).slice(2) || "0"}`);
  for (const input of [randomBytes(64), randomBytes(20), randomBytes(64)]) {
    for (const repeat of [false, true]) {
      // A miss, then the same input again (a hit in the recent-hash cache).
      const word = keccak256WordOf(input, 0, input.length);
      assert.equal(word, noble(input), repeat ? "hit" : "miss");
      memory.fill(0xee);
      assert.equal(writeLastDigest(view, 3, word), true);
      assert.deepEqual(memory.subarray(3, 35), keccak_256(input));
      assert.equal(memory[2], 0xee);
      assert.equal(memory[35], 0xee);
      assert.equal(writeLastDigest(view, 3, word + 1n), false);
      assert.equal(writeLastDigest(view, 3, 0n), false);
    }
  }
  // An older digest is not the last one: not written, even though it was a digest once.
  const older = keccak256WordOf(new Uint8Array([1, 2, 3]), 0, 3);
  keccak256WordOf(new Uint8Array([4, 5, 6]), 0, 3);
  memory.fill(0);
  assert.equal(writeLastDigest(view, 0, older), false);
  assert.ok(memory.every((b) => b === 0));
});
