import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { bn254Add, createBn254Add } from "./06-bn254-add.js";
import { BN254_TEST_BACKENDS } from "./bn254-test-backends.js";
import { call, FAILURE, word } from "./testkit.js";
import type { Precompile } from "./types.js";

const P = 0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47n;
const G = word(1) + word(2);
const NEG_G = word(1) + word(P - 2n);
// 2G = (1368015179489954701390400359078579693043519447331113978918064868415326638035, 9918110051302171585080402603319702774565515993150576347155970296011118125764)
const G2X = "030644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd3";
const G2Y = "15ed738c0e0a7c92e7845f96b2ae9c0a68a6a449e3538fc7ff3ebf7a5a18a2c4";
const INFINITY = word(0) + word(0);

for (const { name, load, skip } of BN254_TEST_BACKENDS)
  describe(`bn254 add (0x06, ${name})`, { skip }, () => {
    let precompile: Precompile = bn254Add;
    before(async () => {
      precompile = createBn254Add(await load());
    });

    it("doubles the generator", () => {
      assert.deepEqual(call(precompile, G + G), [150, G2X + G2Y]);
    });

    it("adds two arbitrary points (geth chfast1 vector)", () => {
      const input =
        "18b18acfb4c2c30276db5411368e7185b311dd124691610c5d3b74034e093dc9063c909c4720840cb5134cb9f59fa749755796819658d32efc0d288198f37266" +
        "07c2b7f58a84bd6145f00c9c2bc0bb1a187f20ff2c92963a88019e7c6a014eed06614e20c147e940f2d70da3f74c9a17df361706a4485c742bd6788478fa17d7";
      assert.deepEqual(call(precompile, input), [
        150,
        "2243525c5efd4b9c3d3c45ac0ca3fe4dd85e830a4ce6b65fa1eeaee202839703301d1d33be6da8e509df21cc35964723180eed7532537db9ae5e7d48f195c915",
      ]);
    });

    it("treats (0, 0) as infinity", () => {
      assert.deepEqual(call(precompile, G + INFINITY), [150, G]);
      assert.deepEqual(call(precompile, INFINITY + G), [150, G]);
      assert.deepEqual(call(precompile, INFINITY + INFINITY), [150, INFINITY]);
      assert.deepEqual(call(precompile, G + NEG_G), [150, INFINITY]);
    });

    it("right-pads short input (empty input is infinity + infinity)", () => {
      assert.deepEqual(call(precompile, ""), [150, INFINITY]);
      assert.deepEqual(call(precompile, G), [150, G]);
    });

    it("ignores input past 128 bytes", () => {
      assert.deepEqual(call(precompile, `${G + G}ffff`), [150, G2X + G2Y]);
    });

    it("fails for points not on the curve", () => {
      assert.equal(call(precompile, word(1) + word(1) + G), FAILURE);
      assert.equal(call(precompile, G + word(0) + word(1)), FAILURE);
      assert.equal(call(precompile, word(1) + word(0) + INFINITY), FAILURE);
    });

    it("fails for coordinates >= p, even when equal mod p to a valid point", () => {
      assert.equal(call(precompile, word(1) + word(P + 2n) + G), FAILURE);
      assert.equal(call(precompile, word(P + 1n) + word(2) + G), FAILURE);
      assert.equal(call(precompile, word(P) + word(0) + G), FAILURE);
    });

    it("fails below 150 gas", () => {
      assert.equal(call(precompile, G + G, 149), FAILURE);
    });
  });
