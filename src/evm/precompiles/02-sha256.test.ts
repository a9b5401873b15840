import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sha256 } from "./02-sha256.js";
import { call, FAILURE } from "./testkit.js";

describe("sha256 (0x02)", () => {
  it("hashes empty input for 60 gas", () => {
    assert.deepEqual(call(sha256, ""), [60, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"]);
  });

  it("hashes 'abc'", () => {
    assert.deepEqual(call(sha256, "616263"), [72, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"]);
  });

  it("charges 12 per started word", () => {
    assert.equal((call(sha256, "00".repeat(32)) as [number, string])[0], 72);
    assert.equal((call(sha256, "00".repeat(33)) as [number, string])[0], 84);
    assert.equal((call(sha256, "00".repeat(64)) as [number, string])[0], 84);
  });

  it("fails when gas is short", () => {
    assert.equal(call(sha256, "616263", 71), FAILURE);
    assert.equal(call(sha256, "", 59), FAILURE);
  });
});
