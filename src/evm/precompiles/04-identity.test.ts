import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { identity } from "./04-identity.js";
import { call, FAILURE } from "./testkit.js";

describe("identity (0x04)", () => {
  it("returns empty input for 15 gas", () => {
    assert.deepEqual(call(identity, ""), [15, ""]);
  });

  it("returns its input, 3 gas per started word", () => {
    assert.deepEqual(call(identity, "0102030405"), [18, "0102030405"]);
    const input = "ab".repeat(65);
    assert.deepEqual(call(identity, input), [24, input]);
  });

  it("fails when gas is short", () => {
    assert.equal(call(identity, "01", 17), FAILURE);
    assert.deepEqual(call(identity, "01", 18), [18, "01"]);
  });
});
