import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { createModexp, modexp, modexpGas } from "./05-modexp.js";
import { loadGmpModPow } from "./05-modexp-gmp.js";
import { call, FAILURE, word } from "./testkit.js";
import type { Precompile } from "./types.js";

const MAX_WORD = (1n << 256n) - 1n;

function hexOf(value: bigint, length: number): string {
  return length === 0 ? "" : value.toString(16).padStart(2 * length, "0");
}

function encode(base: bigint, bl: number, exp: bigint, el: number, mod: bigint, ml: number): string {
  return word(bl) + word(el) + word(ml) + hexOf(base, bl) + hexOf(exp, el) + hexOf(mod, ml);
}

/** Independent reference: right-to-left binary exponentiation. */
function referencePow(base: bigint, exp: bigint, mod: bigint): bigint {
  if (mod === 0n) return 0n;
  let result = 1n % mod;
  base %= mod;
  while (exp > 0n) {
    if (exp & 1n) result = (result * base) % mod;
    base = (base * base) % mod;
    exp >>= 1n;
  }
  return result;
}

/** Deterministic pseudo-random bigint of `bytes` bytes. */
function pseudoRandom(seed: number, bytes: number): bigint {
  let x = BigInt(seed) * 0x9e3779b97f4a7c15n + 1n;
  let out = 0n;
  for (let i = 0; i < bytes; i++) {
    x = (x * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    out = (out << 8n) | (x >> 56n);
  }
  return out;
}

const IMPLEMENTATIONS: [string, () => Promise<Precompile>][] = [
  ["BigInt reference", async () => modexp],
  ["GMP", async () => createModexp(await loadGmpModPow())],
];

for (const [name, load] of IMPLEMENTATIONS)
  describe(`modexp (0x05, ${name})`, () => {
    let precompile: Precompile = modexp;
    before(async () => {
      precompile = await load();
    });

    it("EIP-198 example 1: 3^(p-1) mod p = 1, gas 1360 (EIP-2565)", () => {
      const input =
        word(1) +
        word(32) +
        word(32) +
        "03" +
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e" +
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f";
      assert.deepEqual(call(precompile, input), [1360, word(1)]);
    });

    it("EIP-198 example 2: base length 0 gives 0", () => {
      const input =
        word(0) +
        word(32) +
        word(32) +
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e" +
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f";
      assert.deepEqual(call(precompile, input), [1360, word(0)]);
    });

    it("charges at least 200", () => {
      assert.deepEqual(call(precompile, encode(2n, 1, 3n, 1, 5n, 1)), [200, "03"]);
      assert.deepEqual(call(precompile, ""), [200, ""]);
    });

    it("returns empty output with base and modulus lengths 0, whatever the exponent length", () => {
      assert.deepEqual(call(precompile, word(0) + word(MAX_WORD) + word(0)), [200, ""]);
      assert.deepEqual(call(precompile, `${word(0) + word(1) + word(0)}ff`), [200, ""]);
    });

    it("fails for huge lengths without allocating", () => {
      assert.equal(call(precompile, word(MAX_WORD) + word(1) + word(1)), FAILURE);
      assert.equal(call(precompile, word(1) + word(1) + word(MAX_WORD)), FAILURE);
      assert.equal(call(precompile, word(1) + word(MAX_WORD) + word(1)), FAILURE);
      assert.equal(call(precompile, word(1n << 255n) + word(0) + word(0), Number.MAX_SAFE_INTEGER), FAILURE);
    });

    it("fails when the gas limit is one short", () => {
      const input = encode(3n, 32, (1n << 255n) + 5n, 32, 7n, 32);
      const gas = (call(precompile, input) as [number, string])[0];
      assert.equal(gas, Math.floor((16 * 255) / 3));
      assert.equal(call(precompile, input, gas - 1), FAILURE);
    });

    it("modulus 0 yields zeros of the modulus length; modulus 1 yields 0", () => {
      assert.deepEqual(call(precompile, encode(5n, 1, 3n, 1, 0n, 4)), [200, "00000000"]);
      assert.deepEqual(call(precompile, encode(5n, 1, 3n, 1, 1n, 2)), [200, "0000"]);
    });

    it("exponent 0 gives 1 (mod m), also for base 0", () => {
      assert.deepEqual(call(precompile, encode(0n, 1, 0n, 1, 7n, 1)), [200, "01"]);
      assert.deepEqual(call(precompile, encode(9n, 1, 0n, 0, 7n, 2)), [200, "0001"]);
    });

    it("right-pads input shorter than declared", () => {
      // base 0x02, exp 0x03, modulus 0x07 is declared as 2 bytes but only 0x00 is present: it reads 0x0000 -> zeros
      assert.deepEqual(call(precompile, `${word(1) + word(1) + word(2)}0203`), [200, "0000"]);
      // modulus 2 bytes, only 0x01 given: modulus is 0x0100 = 256; 2^3 mod 256 = 8
      assert.deepEqual(call(precompile, `${word(1) + word(1) + word(2)}020301`), [200, "0008"]);
      // exponent 2 bytes with only 0x01 given reads 0x0100 = 256 (and the modulus is all padding)
      assert.deepEqual(call(precompile, `${word(1) + word(2) + word(0)}0201`), [200, ""]);
      assert.deepEqual(call(precompile, `${word(1) + word(2) + word(1)}0301`), [200, "00"]);
    });

    it("reads the exponent head past a long base for gas", () => {
      // base length 40 (5 words), exponent 2^200 (bit length 201): complexity 25, iterations 200
      const input = encode(3n, 40, 1n << 200n, 32, 1000003n, 8);
      assert.deepEqual(call(precompile, input), [
        Math.floor((25 * 200) / 3),
        hexOf(referencePow(3n, 1n << 200n, 1000003n), 8),
      ]);
    });

    it("computes gas for long exponents from length and head (EIP-2565)", () => {
      // exponent length 64 with head 0: iterations = 8 * 32 = 256, complexity (64/8)^2 = 64
      assert.equal(modexpGas(64n, 64n, 64n, 0n), (64n * 256n) / 3n);
      // head bit length 9 adds 8
      assert.equal(modexpGas(64n, 64n, 64n, 256n), (64n * 264n) / 3n);
      assert.equal(modexpGas(1n, 1n, 1n, 0n), 200n);
    });

    it("matches a reference for random operands, including exponents of thousands of bits", () => {
      const sizes: [number, number, number][] = [
        [1, 1, 1],
        [32, 32, 32],
        [64, 64, 64],
        [10, 600, 33],
        [128, 512, 128],
        [3, 17, 256],
        [256, 8, 5],
        [40, 300, 3], // small-modulus path
        [2, 1000, 1],
      ];
      let seed = 1;
      for (const [bl, el, ml] of sizes) {
        const base = pseudoRandom(seed++, bl);
        const exp = pseudoRandom(seed++, el);
        const mod = pseudoRandom(seed++, ml) | 1n;
        const expected = hexOf(referencePow(base, exp, mod), ml);
        const result = call(precompile, encode(base, bl, exp, el, mod, ml));
        assert.notEqual(result, FAILURE);
        assert.equal((result as [number, string])[1], expected, `sizes ${bl}/${el}/${ml}`);
        const gas = modexpGas(BigInt(bl), BigInt(el), BigInt(ml), BigInt(`0x${hexOf(exp, el).slice(0, 64)}`));
        assert.equal((result as [number, string])[0], Number(gas));
      }
    });

    it("small-modulus path is exact at its limit (2^26 - 1) and just above it", () => {
      for (const mod of [(1n << 26n) - 1n, 1n << 26n, (1n << 26n) + 1n, 2n, 3n]) {
        const base = (1n << 200n) - 1n;
        const exp = pseudoRandom(99, 200);
        const result = call(precompile, encode(base, 25, exp, 200, mod, 4));
        assert.equal((result as [number, string])[1], hexOf(referencePow(base, exp, mod), 4), `modulus ${mod}`);
      }
    });

    it("handles an even modulus and a base larger than the modulus", () => {
      const base = (1n << 300n) + 12345n;
      const exp = (1n << 100n) + 3n;
      const mod = 1n << 64n;
      const result = call(precompile, encode(base, 38, exp, 13, mod, 9));
      assert.equal((result as [number, string])[1], hexOf(referencePow(base, exp, mod), 9));
    });
  });
