import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { bn254 } from "@noble/curves/bn254.js";
import { bn254Pairing, createBn254Pairing } from "./08-bn254-pairing.js";
import { BN254_TEST_BACKENDS } from "./bn254-test-backends.js";
import { call, FAILURE, word } from "./testkit.js";
import type { Precompile } from "./types.js";

const P = 0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47n;
const G1 = word(1) + word(2);
const NEG_G1 = word(1) + word(P - 2n);
// EIP-197 encodes an Fp2 element as (imaginary, real).
const G2 =
  "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2" +
  "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed" +
  "090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b" +
  "12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa";
const G1_INFINITY = word(0).repeat(2);
const G2_INFINITY = word(0).repeat(4);
// x = 1 (real), on the twist but outside the order-r subgroup.
const G2_NOT_IN_SUBGROUP =
  word(0) +
  word(1) +
  word(15975588672102553735566230729081043132501226101599136527557730645158523614371n) +
  word(3610091866386166428467545612961983990332663701371483510632385378352395651980n);
const TRUE = word(1);
const FALSE = word(0);

function g1Hex(k: bigint): string {
  const { x, y } = bn254.G1.Point.BASE.multiply(k).toAffine();
  return word(x) + word(y);
}

function g2Hex(k: bigint): string {
  const { x, y } = bn254.G2.Point.BASE.multiply(k).toAffine();
  return word(x.c1) + word(x.c0) + word(y.c1) + word(y.c0);
}

for (const { name, load, skip } of BN254_TEST_BACKENDS)
  describe(`bn254 pairing (0x08, ${name})`, { skip }, () => {
    let precompile: Precompile = bn254Pairing;
    before(async () => {
      precompile = createBn254Pairing(await load());
    });

    it("the encoded G2 generator matches the library's", () => {
      assert.equal(g2Hex(1n), G2);
    });

    it("empty input is true for 45000 gas", () => {
      assert.deepEqual(call(precompile, ""), [45000, TRUE]);
    });

    it("e(G1, G2) alone is not 1", () => {
      assert.deepEqual(call(precompile, G1 + G2), [79000, FALSE]);
    });

    it("e(G1, G2) * e(-G1, G2) = 1", () => {
      assert.deepEqual(call(precompile, G1 + G2 + NEG_G1 + G2), [113000, TRUE]);
    });

    it("bilinearity: e(aP, bQ) * e(-abP, Q) = 1", () => {
      const a = 12345n;
      const b = 67890n;
      const neg = bn254.fields.Fr.ORDER - a * b;
      assert.deepEqual(call(precompile, g1Hex(a) + g2Hex(b) + g1Hex(neg) + G2), [113000, TRUE]);
      assert.deepEqual(call(precompile, g1Hex(a) + g2Hex(b) + g1Hex(neg + 1n) + G2), [113000, FALSE]);
      // three pairs
      assert.deepEqual(call(precompile, g1Hex(a) + g2Hex(b) + g1Hex(neg) + G2 + G1_INFINITY + G2), [147000, TRUE]);
    });

    it("pairs with infinity contribute 1", () => {
      assert.deepEqual(call(precompile, G1_INFINITY + G2), [79000, TRUE]);
      assert.deepEqual(call(precompile, G1 + G2_INFINITY), [79000, TRUE]);
      assert.deepEqual(call(precompile, G1 + G2_INFINITY + G1 + G2), [113000, FALSE]);
    });

    it("fails when the length is not a multiple of 192", () => {
      assert.equal(call(precompile, `${G1 + G2}00`), FAILURE);
      assert.equal(call(precompile, G1), FAILURE);
    });

    it("fails for a G2 point outside the subgroup", () => {
      assert.equal(call(precompile, G1 + G2_NOT_IN_SUBGROUP), FAILURE);
      assert.equal(call(precompile, G1_INFINITY + G2_NOT_IN_SUBGROUP), FAILURE);
    });

    it("fails for points off their curves", () => {
      assert.equal(call(precompile, word(1) + word(1) + G2), FAILURE);
      assert.equal(call(precompile, G1 + word(0) + word(1) + word(0) + word(1)), FAILURE);
      assert.equal(call(precompile, G1 + G2.slice(0, 192) + word(1)), FAILURE);
    });

    it("fails for coordinates >= p", () => {
      assert.equal(call(precompile, word(1) + word(P + 2n) + G2), FAILURE);
      const xImPlusP = BigInt(`0x${G2.slice(0, 64)}`) + P;
      assert.equal(call(precompile, G1 + word(xImPlusP) + G2.slice(64)), FAILURE);
    });

    it("fails when gas is short", () => {
      assert.equal(call(precompile, G1 + G2 + NEG_G1 + G2, 112999), FAILURE);
      assert.equal(call(precompile, "", 44999), FAILURE);
    });
  });
