import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ripemd160 } from "./03-ripemd160.js";
import { call, FAILURE } from "./testkit.js";

describe("ripemd160 (0x03)", () => {
  it("hashes empty input, left-padded to 32 bytes", () => {
    assert.deepEqual(call(ripemd160, ""), [600, `${"00".repeat(12)}9c1185a5c5e9fc54612808977ee8f548b2258d31`]);
  });

  it("hashes 'abc'", () => {
    assert.deepEqual(call(ripemd160, "616263"), [720, `${"00".repeat(12)}8eb208f7e05d987a9b044a8e98c6b087f15a0bfc`]);
  });

  it("charges 120 per started word", () => {
    assert.equal((call(ripemd160, "00".repeat(33)) as [number, string])[0], 840);
  });

  it("fails when gas is short", () => {
    assert.equal(call(ripemd160, "616263", 719), FAILURE);
  });
});
