import assert from "node:assert/strict";
import { test } from "node:test";
import { bigintToBytes, bigintToMinimalBytes, bytesToBigint, bytesToHex, hexToBigint, hexToBytes } from "./hex.js";

test("bigintToBytes left-pads and round-trips through bytesToBigint", () => {
  for (const length of [1, 7, 8, 9, 20, 32]) {
    for (const value of [0n, 1n, 0xffn, 0x0102030405060708090an, (1n << BigInt(8 * length)) - 1n]) {
      const v = value & ((1n << BigInt(8 * length)) - 1n);
      const bytes = bigintToBytes(v, length);
      assert.equal(bytes.length, length);
      assert.equal(bytesToBigint(bytes), v, `${v} in ${length} bytes`);
    }
  }
  assert.equal(bytesToHex(bigintToBytes(0xabcdn, 4)), "0x0000abcd");
});

test("hex conversions", () => {
  assert.equal(hexToBigint("0x"), 0n);
  assert.equal(bytesToHex(hexToBytes("0x0a0B")), "0x0a0b");
  assert.throws(() => hexToBytes("0xzz"));
  assert.throws(() => hexToBytes("0x1g"), /invalid hex/);
  assert.throws(() => hexToBytes("0x1é"), /invalid hex/);
  assert.deepEqual(hexToBytes("0xABC"), Uint8Array.from([0x0a, 0xbc]));
  assert.deepEqual(hexToBytes("ff00"), Uint8Array.from([0xff, 0x00]));
  assert.deepEqual(hexToBytes("0x"), new Uint8Array(0));
});

test("bigintToBytes keeps the low bytes of a longer value, and bytesToBigint reads any length", () => {
  assert.deepEqual(bigintToBytes(0x0102030405n, 2), Uint8Array.from([4, 5]));
  assert.deepEqual(bigintToBytes(1n << 300n, 2), new Uint8Array(2));
  assert.equal(bigintToBytes(1n << 300n, 40)[2], 0x10);
  const long = Uint8Array.from({ length: 40 }, (_, i) => i + 1);
  assert.equal(bytesToBigint(long), BigInt(bytesToHex(long)));
  for (let n = 1; n <= 33; n++) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 0xff);
    assert.equal(bytesToBigint(bytes), BigInt(bytesToHex(bytes)), `${n} bytes`);
    assert.deepEqual(bigintToBytes(bytesToBigint(bytes), n), bytes);
  }
});

test("bigintToMinimalBytes: no leading zero byte, 0 is empty, words and longer values alike", () => {
  assert.equal(bytesToHex(bigintToMinimalBytes(0n)), "0x");
  assert.equal(bytesToHex(bigintToMinimalBytes(1n)), "0x01");
  assert.equal(bytesToHex(bigintToMinimalBytes(0x100n)), "0x0100");
  assert.equal(bytesToHex(bigintToMinimalBytes(0xabcdefn)), "0xabcdef");
  const max = (1n << 256n) - 1n;
  assert.equal(bytesToHex(bigintToMinimalBytes(max)), `0x${"ff".repeat(32)}`);
  assert.equal(bytesToHex(bigintToMinimalBytes(1n << 256n)), `0x01${"00".repeat(32)}`);
  for (const bits of [7n, 8n, 63n, 64n, 65n, 159n, 160n, 255n]) {
    const v = (1n << bits) + 3n;
    const bytes = bigintToMinimalBytes(v);
    assert.notEqual(bytes[0], 0);
    assert.equal(bytesToBigint(bytes), v);
  }
  // Each call returns its own bytes (the scratch word is not handed out).
  const a = bigintToMinimalBytes(0x1234n);
  bigintToMinimalBytes(0xffffn);
  assert.equal(bytesToHex(a), "0x1234");
});
