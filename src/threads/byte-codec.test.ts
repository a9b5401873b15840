import assert from "node:assert/strict";
import { test } from "node:test";
import { ByteReader, ByteWriter } from "./byte-codec.js";

test("bigints of every width round-trip, each in its fewest 64-bit limbs", () => {
  const values = [0n, 1n, (1n << 64n) - 1n, 1n << 64n, (1n << 128n) - 1n, 1n << 128n, 1n << 192n, (1n << 256n) - 1n];
  const wide = [1n << 256n, (1n << 300n) + 5n];
  const w = new ByteWriter();
  for (const v of [...values, ...wide]) w.big(v);
  const bytes = w.view8().slice();
  const r = new ByteReader(bytes);
  const limbs: number[] = [];
  for (const v of [...values, ...wide]) {
    limbs.push(bytes[r.pos]!);
    assert.equal(r.big(), v);
  }
  assert.deepStrictEqual(limbs, [0, 1, 1, 2, 2, 3, 4, 4, 5, 5]);
  assert.throws(() => w.big(-1n), RangeError);
});

test("rawView reads the bytes raw reads, as a view of the source", () => {
  const w = new ByteWriter();
  w.raw(new Uint8Array([1, 2, 3]));
  const bytes = w.view8().slice();
  const view = new ByteReader(bytes).rawView();
  assert.deepStrictEqual(view, new ByteReader(bytes).raw());
  assert.equal(view.buffer, bytes.buffer, "no copy");
});
