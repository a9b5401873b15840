import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { bn254Add } from "./06-bn254-add.js";
import { bn254Mul, createBn254Mul } from "./07-bn254-mul.js";
import { BN254_TEST_BACKENDS } from "./bn254-test-backends.js";
import { call, FAILURE, word } from "./testkit.js";
import type { Precompile } from "./types.js";

const P = 0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47n;
const R = 0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001n;
const G = word(1) + word(2);
const NEG_G = word(1) + word(P - 2n);
const G2X = "030644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd3";
const G2Y = "15ed738c0e0a7c92e7845f96b2ae9c0a68a6a449e3538fc7ff3ebf7a5a18a2c4";
const INFINITY = word(0) + word(0);

for (const { name, load, skip } of BN254_TEST_BACKENDS)
  describe(`bn254 mul (0x07, ${name})`, { skip }, () => {
    let precompile: Precompile = bn254Mul;
    before(async () => {
      precompile = createBn254Mul(await load());
    });

    it("doubles the generator", () => {
      assert.deepEqual(call(precompile, G + word(2)), [6000, G2X + G2Y]);
    });

    it("agrees with repeated addition", () => {
      let acc = INFINITY;
      for (let k = 1; k <= 9; k++) {
        acc = (call(bn254Add, acc + G) as [number, string])[1];
        assert.deepEqual(call(precompile, G + word(k)), [6000, acc]);
      }
    });

    it("reduces the scalar mod the group order", () => {
      assert.deepEqual(call(precompile, G + word(R)), [6000, INFINITY]);
      assert.deepEqual(call(precompile, G + word(R + 2n)), [6000, G2X + G2Y]);
      assert.deepEqual(call(precompile, G + word(R - 1n)), [6000, NEG_G]);
      const max = (call(precompile, G + "ff".repeat(32)) as [number, string])[1];
      assert.deepEqual(call(precompile, G + word(((1n << 256n) - 1n) % R)), [6000, max]);
    });

    it("handles zero scalar and infinity", () => {
      assert.deepEqual(call(precompile, G + word(0)), [6000, INFINITY]);
      assert.deepEqual(call(precompile, INFINITY + word(5)), [6000, INFINITY]);
      assert.deepEqual(call(precompile, ""), [6000, INFINITY]);
    });

    it("right-pads a short scalar", () => {
      // scalar bytes "02" read as 0x02 << 248
      assert.deepEqual(call(precompile, `${G}02`), call(precompile, G + word(2n << 248n)));
      assert.deepEqual(call(precompile, G), [6000, INFINITY]);
    });

    it("fails for invalid points", () => {
      assert.equal(call(precompile, word(1) + word(1) + word(2)), FAILURE);
      assert.equal(call(precompile, word(1) + word(P + 2n) + word(2)), FAILURE);
    });

    it("fails below 6000 gas", () => {
      assert.equal(call(precompile, G + word(2), 5999), FAILURE);
    });
  });
