import assert from "node:assert/strict";
import { test } from "node:test";
import { RLP } from "@ethereumjs/rlp";
import { bytesToHex, hexToBytes } from "./hex.js";
import { type RlpInput, rlpDecode, rlpEncode } from "./rlp.js";

test("rlpEncode: the spec's examples", () => {
  const enc = (x: RlpInput) => bytesToHex(rlpEncode(x));
  const text = (s: string) => new TextEncoder().encode(s);
  assert.equal(enc(text("dog")), "0x83646f67");
  assert.equal(enc([text("cat"), text("dog")]), "0xc88363617483646f67");
  assert.equal(enc(new Uint8Array(0)), "0x80");
  assert.equal(enc([]), "0xc0");
  assert.equal(enc(new Uint8Array([0x00])), "0x00");
  assert.equal(enc(new Uint8Array([0x0f])), "0x0f");
  assert.equal(enc(new Uint8Array([0x80])), "0x8180");
  assert.equal(enc(hexToBytes("0x0400")), "0x820400");
  assert.equal(enc([[], [[]], [[], [[]]]]), "0xc7c0c1c0c3c0c1c0");
  const lorem = text("Lorem ipsum dolor sit amet, consectetur adipisicing elit");
  assert.equal(enc(lorem), `0xb838${bytesToHex(lorem).slice(2)}`);
});

// Random nested items of every length class (short, 55/56 boundaries, multi-byte lengths), against
// the library the decoder comes from.
function randomItem(rand: () => number, depth: number): RlpInput {
  if (depth > 2 || rand() < 0.55) {
    const sizes = depth === 0 ? [0, 1, 2, 55, 56, 70000] : [0, 1, 1, 2, 20, 32, 55, 56, 57, 255, 256, 1024];
    const n = sizes[Math.floor(rand() * sizes.length)]!;
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = Math.floor(rand() * 256);
    if (n === 1 && rand() < 0.5) b[0] = Math.floor(rand() * 0x80);
    return b;
  }
  const count = [0, 1, 2, 3, 17, 60][Math.floor(rand() * (depth === 0 ? 6 : 5))]!;
  return Array.from({ length: count }, () => randomItem(rand, depth + 1));
}

test("rlpEncode: byte-identical to @ethereumjs/rlp on random nested items, and decodes back", () => {
  let seed = 7;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let i = 0; i < 400; i++) {
    const item = randomItem(rand, 0);
    const ours = rlpEncode(item);
    assert.deepEqual(ours, RLP.encode(item), `item ${i}`);
    assert.deepEqual(rlpEncode(rlpDecode(ours)), ours);
  }
});
