import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isPrecompile, PRECOMPILES } from "./index.js";

describe("precompile table", () => {
  it("has Cancun's ten precompiles at addresses 1..10", () => {
    assert.equal(PRECOMPILES.length, 11);
    assert.equal(PRECOMPILES[0], undefined);
    for (let i = 1; i <= 10; i++) assert.equal(typeof PRECOMPILES[i], "function");
  });

  it("isPrecompile covers exactly 0x01..0x0a", () => {
    assert.equal(isPrecompile(0n), false);
    assert.equal(isPrecompile(1n), true);
    assert.equal(isPrecompile(10n), true);
    assert.equal(isPrecompile(11n), false);
    assert.equal(isPrecompile(0x100n), false);
    assert.equal(isPrecompile((1n << 160n) - 1n), false);
  });
});
