// Words read back from limbs must be the exact values written, whatever their width, and a cached
// word the same value as a freshly made one (the committer shares cached BigInts between receipts).
import assert from "node:assert/strict";
import { test } from "node:test";
import { ByteReader, ByteWriter } from "../../threads/byte-codec.js";
import { prng } from "./prng.js";
import { readLimbs, WordCache, writeLimbs } from "./shared-words.js";

/** Values of every limb count, at the edges between them, and random ones. */
function samples(): bigint[] {
  const edges = [0n, 1n, (1n << 53n) - 1n, 1n << 53n, (1n << 64n) - 1n];
  for (const bits of [64n, 128n, 160n, 192n]) edges.push(1n << bits, (1n << bits) + 1n, (1n << (bits + 32n)) - 1n);
  edges.push((1n << 256n) - 1n);
  const r = prng(7);
  for (let i = 0; i < 200; i++) {
    let v = 0n;
    const limbs = 1 + r.int(4);
    for (let l = 0; l < limbs; l++) v = (v << 64n) | (BigInt(r.int(2 ** 30)) << 34n) | BigInt(r.int(2 ** 30));
    edges.push(v);
  }
  return edges;
}

test("readLimbs returns what writeLimbs wrote, at every width", () => {
  const u64 = new BigUint64Array(8);
  const u32 = new Uint32Array(u64.buffer);
  for (const v of samples()) {
    writeLimbs(u64, 4, v);
    assert.equal(readLimbs(u32, u64, 4), v);
  }
});

test("a WordCache gives each word's value, whether it saw the word before (a hit) or not", () => {
  const cache = new WordCache();
  const values = samples();
  const w = new ByteWriter();
  for (const v of [...values, ...values]) w.big(v);
  const r = new ByteReader(w.view8().slice());
  for (const v of [...values, ...values]) {
    const limbs = r.bigLimbs();
    r.bigWords(cache.u32);
    assert.ok(limbs <= 4);
    assert.equal(cache.word(), v);
  }
  assert.equal(r.pos, w.length);
  cache.clear();
  const u64 = new BigUint64Array(cache.u32.buffer);
  writeLimbs(u64, 0, values.at(-1)!);
  assert.equal(cache.word(), values.at(-1));
});

test("bigWords refuses a value wider than its output", () => {
  const w = new ByteWriter();
  w.big(1n << 300n);
  assert.throws(() => new ByteReader(w.view8().slice()).bigWords(new Uint32Array(8)), RangeError);
});
