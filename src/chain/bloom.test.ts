import assert from "node:assert/strict";
import { test } from "node:test";
import { bigintToBytes } from "../primitives/hex.js";
import { keccak256 } from "../primitives/keccak.js";
import { BLOOM_BYTES, bloomIncludes, logsBloom, orBloom, unionBlooms } from "./bloom.js";

/** The three bit indexes (0 = lowest bit of the last byte) a value sets, straight from the Yellow Paper. */
function bits(value: Uint8Array): number[] {
  const h = keccak256(value);
  return [0, 2, 4].map((i) => ((h[i]! << 8) | h[i + 1]!) % 2048);
}

test("each value sets its three bits, and nothing else", () => {
  const address = 0xdeadbeefn;
  const topic = 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3efn;
  const bloom = logsBloom([{ address, topics: [topic], data: new Uint8Array([1]) }]);
  assert.equal(bloom.length, BLOOM_BYTES);
  const expected = new Set([...bits(bigintToBytes(address, 20)), ...bits(bigintToBytes(topic, 32))]);
  const set: number[] = [];
  for (let bit = 0; bit < 2048; bit++) if (bloom[255 - (bit >> 3)]! & (1 << (bit & 7))) set.push(bit);
  assert.deepEqual(
    set,
    [...expected].sort((a, b) => a - b),
  );
  assert.ok(bloomIncludes(bloom, bigintToBytes(address, 20)));
  assert.ok(bloomIncludes(bloom, bigintToBytes(topic, 32)));
  assert.ok(!bloomIncludes(bloom, bigintToBytes(address + 1n, 20)));
  // Data is not in the bloom.
  assert.ok(!bloomIncludes(bloom, new Uint8Array([1])));
});

test("no logs, union", () => {
  assert.deepEqual(logsBloom([]), new Uint8Array(256));
  const a = logsBloom([{ address: 1n, topics: [], data: new Uint8Array(0) }]);
  const b = logsBloom([{ address: 2n, topics: [3n], data: new Uint8Array(0) }]);
  const both = logsBloom([
    { address: 1n, topics: [], data: new Uint8Array(0) },
    { address: 2n, topics: [3n], data: new Uint8Array(0) },
  ]);
  assert.deepEqual(orBloom(a, b), both);
  assert.deepEqual(unionBlooms([a, logsBloom([]), b]), both, "a block's bloom is its receipts' union");
  assert.deepEqual(unionBlooms([]), new Uint8Array(256));
  assert.throws(() => orBloom(a, new Uint8Array(2)), /256 bytes/);
});
