import assert from "node:assert/strict";
import { describe, it } from "node:test";
import secp256k1 from "secp256k1";
import { keccak256 } from "../../primitives/keccak.js";
import { ecrecover } from "./01-ecrecover.js";
import { call, FAILURE, word } from "./testkit.js";

// Signed by the well-known test key 0x45a915e4...; signer a94f5374fce5edbc8e2a8697c15331677e6ebf0b.
const HASH = "18c547e4f7b0f325ad1e56f57e26c745b09a3e503d86e00e5255ff7f715d3d1c";
const V = word(28);
const R = "73b1693892219d736caba55bdb67216e485557ea6b6af75f37096c9aa6a5a75f";
const S = "eeb940b1d03b21e36b0e47e79769f095fe2ab855bd91e3a38756b7d75a9c4549";
const SIGNER = "000000000000000000000000a94f5374fce5edbc8e2a8697c15331677e6ebf0b";
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

describe("ecrecover (0x01)", () => {
  it("recovers the signer address", () => {
    assert.deepEqual(call(ecrecover, HASH + V + R + S), [3000, SIGNER]);
  });

  it("ignores bytes past 128", () => {
    assert.deepEqual(call(ecrecover, `${HASH + V + R + S}ffff`), [3000, SIGNER]);
  });

  it("matches a fresh signature from a random key", () => {
    for (let i = 0; i < 5; i++) {
      const key = keccak256(Uint8Array.of(i, 1, 2, 3));
      const msg = keccak256(Uint8Array.of(i));
      const { signature, recid } = secp256k1.ecdsaSign(msg, key);
      const address = keccak256(secp256k1.publicKeyCreate(key, false).subarray(1)).subarray(12);
      const input = Buffer.concat([msg, Buffer.from(word(27 + recid), "hex"), signature]).toString("hex");
      assert.deepEqual(call(ecrecover, input), [3000, `${"00".repeat(12)}${Buffer.from(address).toString("hex")}`]);
    }
  });

  it("accepts a high s (no low-s rule in the precompile)", () => {
    const highS = word(N - BigInt(`0x${S}`));
    const flippedV = word(27);
    const result = call(ecrecover, HASH + flippedV + R + highS);
    assert.deepEqual(result, [3000, SIGNER]);
  });

  it("returns empty output for a bad v", () => {
    assert.deepEqual(call(ecrecover, HASH + word(29) + R + S), [3000, ""]);
    assert.deepEqual(call(ecrecover, HASH + word(0) + R + S), [3000, ""]);
    assert.deepEqual(call(ecrecover, HASH + word(1) + R + S), [3000, ""]);
    // 28 with a nonzero high byte is not 28
    assert.deepEqual(call(ecrecover, `${HASH}01${V.slice(2)}${R}${S}`), [3000, ""]);
  });

  it("returns empty output for r or s out of range", () => {
    assert.deepEqual(call(ecrecover, HASH + V + word(0) + S), [3000, ""]);
    assert.deepEqual(call(ecrecover, HASH + V + R + word(0)), [3000, ""]);
    assert.deepEqual(call(ecrecover, HASH + V + word(N) + S), [3000, ""]);
    assert.deepEqual(call(ecrecover, HASH + V + R + word(N)), [3000, ""]);
    assert.deepEqual(call(ecrecover, HASH + V + R + "ff".repeat(32)), [3000, ""]);
  });

  it("returns empty output when no key recovers (r not an x coordinate)", () => {
    // x = 5 is not on secp256k1 (5^3 + 7 = 132 is not a square mod p)
    assert.deepEqual(call(ecrecover, HASH + V + word(5) + S), [3000, ""]);
  });

  it("returns empty output for empty and short input", () => {
    assert.deepEqual(call(ecrecover, ""), [3000, ""]);
    assert.deepEqual(call(ecrecover, HASH + V), [3000, ""]);
  });

  it("right-pads short input with zeros", () => {
    // s ends in 00 here, so the truncated input pads back to the same signature.
    const msg = keccak256(Uint8Array.of(42));
    for (let k = 1; k < 200; k++) {
      const { signature, recid } = secp256k1.ecdsaSign(msg, keccak256(Uint8Array.of(k)));
      if (signature[63] !== 0) continue;
      const full = Buffer.concat([msg, Buffer.from(word(27 + recid), "hex"), signature]).toString("hex");
      const expected = call(ecrecover, full);
      assert.notDeepEqual(expected, [3000, ""]);
      assert.deepEqual(call(ecrecover, full.slice(0, -2)), expected);
      return;
    }
    assert.fail("no signature with a trailing zero byte found");
  });

  it("fails below 3000 gas", () => {
    assert.equal(call(ecrecover, HASH + V + R + S, 2999), FAILURE);
    assert.deepEqual(call(ecrecover, HASH + V + R + S, 3000), [3000, SIGNER]);
  });
});
