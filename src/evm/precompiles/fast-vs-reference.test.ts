// Differential tests: the precompiles PRECOMPILES runs (GMP, arkworks or mcl, c-kzg) against the pure JS references,
// on random and malformed inputs; output, gas and failure must be identical. The per-precompile test
// files run their fixed vectors on both as well.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { before, describe, it } from "node:test";
import { bn254 } from "@noble/curves/bn254.js";
import { pointEvaluation } from "./0a-point-evaluation.js";
import { createModexp, modexp } from "./05-modexp.js";
import { loadGmpModPow } from "./05-modexp-gmp.js";
import { bn254Add } from "./06-bn254-add.js";
import { bn254Mul } from "./07-bn254-mul.js";
import { bn254Pairing } from "./08-bn254-pairing.js";
import { initPrecompiles, PRECOMPILES } from "./index.js";
import { PRECOMPILE_FAILURE, type Precompile } from "./types.js";

/** Deterministic bytes (xorshift32), so a failure reproduces. */
function randomBytes(state: { seed: number }, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    let x = state.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    state.seed = x >>> 0;
    out[i] = state.seed & 0xff;
  }
  return out;
}

function word(value: bigint): Uint8Array {
  return Uint8Array.from(Buffer.from(value.toString(16).padStart(64, "0"), "hex"));
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

function describeResult(result: ReturnType<Precompile>): string {
  return result === PRECOMPILE_FAILURE ? "failure" : `${result.gasUsed} ${Buffer.from(result.output).toString("hex")}`;
}

function assertSame(fast: Precompile, reference: Precompile, input: Uint8Array, gasLimit: number): void {
  assert.equal(
    describeResult(fast(input, gasLimit)),
    describeResult(reference(input, gasLimit)),
    `input ${Buffer.from(input).toString("hex")}, gas limit ${gasLimit}`,
  );
}

const P = bn254.fields.Fp.ORDER;
const R = bn254.fields.Fr.ORDER;
const G1 = bn254.G1.Point.BASE;
const G2 = bn254.G2.Point.BASE;

function g1Bytes(k: bigint): Uint8Array {
  if (k % R === 0n) return new Uint8Array(64);
  const { x, y } = G1.multiply(k % R).toAffine();
  return concat(word(x), word(y));
}

function g2Bytes(k: bigint): Uint8Array {
  if (k % R === 0n) return new Uint8Array(128);
  const { x, y } = G2.multiply(k % R).toAffine();
  return concat(word(x.c1), word(x.c0), word(y.c1), word(y.c0));
}

describe("PRECOMPILES after initPrecompiles", () => {
  it("runs the fast implementations for 0x05-0x08 and keeps the rest", async () => {
    const before = [...PRECOMPILES];
    await initPrecompiles();
    for (const address of [5, 6, 7, 8]) assert.notEqual(PRECOMPILES[address], before[address], `0x0${address}`);
    for (const address of [1, 2, 3, 4, 9, 10]) assert.equal(PRECOMPILES[address], before[address], `0x0${address}`);
    assert.notEqual(PRECOMPILES[10], pointEvaluation, "0x0a runs c-kzg, not the noble reference");
  });
});

describe("fast precompiles against the pure references", () => {
  let fastModexp: Precompile;
  before(async () => {
    await initPrecompiles();
    fastModexp = createModexp(await loadGmpModPow());
  });

  it("modexp: random operands of many sizes, zero and one moduli, short input, tight gas", () => {
    const state = { seed: 0x1234567 };
    for (let i = 0; i < 300; i++) {
      const [bl, el, ml] = [i % 70, (i * 7) % 45, (i * 13) % 97];
      const body = randomBytes(state, bl + el + ml);
      if (i % 5 === 0) body.fill(0, bl + el); // modulus zero
      if (i % 11 === 0 && ml > 0) body.fill(0, bl + el, bl + el + ml - 1).set([1], bl + el + ml - 1); // modulus one
      const full = concat(word(BigInt(bl)), word(BigInt(el)), word(BigInt(ml)), body);
      // Truncated input reads zeros past its end.
      const input = i % 7 === 0 ? full.subarray(0, full.length - (i % 40)) : full;
      assertSame(fastModexp, modexp, input, 1e9);
      assertSame(fastModexp, modexp, input, 200 + (i % 300)); // around the gas limit
    }
  });

  it("modexp: huge declared lengths fail on gas alike, and long exponents agree", () => {
    const max = (1n << 256n) - 1n;
    for (const lengths of [
      [max, 1n, 1n],
      [1n, max, 1n],
      [1n, 1n, max],
      [0n, max, 0n],
      [1n << 40n, 0n, 0n],
    ]) {
      assertSame(fastModexp, modexp, concat(...lengths.map(word), new Uint8Array(3).fill(7)), 30_000_000);
    }
    const state = { seed: 99 };
    const exponent = randomBytes(state, 4000);
    assertSame(
      fastModexp,
      modexp,
      concat(word(32n), word(4000n), word(1n), randomBytes(state, 32), exponent, Uint8Array.of(251)),
      1e9,
    );
    assertSame(fastModexp, modexp, concat(word(64n), word(300n), word(64n), randomBytes(state, 64 + 300 + 64)), 1e9);
  });

  it("bn254 add and mul: valid points, infinity, off-curve, coordinates >= p, scalars >= r, any length", () => {
    const state = { seed: 0xbeef };
    const scalars = [0n, 1n, 2n, R - 1n, R, R + 1n, (1n << 256n) - 1n, 0x1234567890abcdefn];
    const points = [g1Bytes(0n), g1Bytes(1n), g1Bytes(5n), g1Bytes(R - 1n)];
    const bad = [
      concat(word(1n), word(1n)), // off the curve
      concat(word(1n), word(P + 2n)), // y >= p, equal to 2 mod p
      concat(word(P), word(0n)),
      concat(word(0n), word(1n)),
    ];
    for (const p of [...points, ...bad]) {
      for (const q of [...points, ...bad]) assertSame(PRECOMPILES[6]!, bn254Add, concat(p, q), 1e6);
      for (const k of scalars) assertSame(PRECOMPILES[7]!, bn254Mul, concat(p, word(k)), 1e6);
    }
    for (let i = 0; i < 40; i++) {
      const k = BigInt(`0x${Buffer.from(randomBytes(state, 32)).toString("hex")}`);
      assertSame(PRECOMPILES[7]!, bn254Mul, concat(g1Bytes(k), word(k)), 1e6);
      assertSame(PRECOMPILES[6]!, bn254Add, concat(g1Bytes(k), g1Bytes(k + 3n)), 1e6);
      assertSame(PRECOMPILES[6]!, bn254Add, randomBytes(state, 128), 1e6); // almost surely off the curve
    }
    for (const length of [0, 1, 63, 64, 95, 96, 127, 128, 129, 200]) {
      const input = concat(g1Bytes(3n), g1Bytes(4n), randomBytes(state, 72)).subarray(0, length);
      assertSame(PRECOMPILES[6]!, bn254Add, input, 1e6);
      assertSame(PRECOMPILES[7]!, bn254Mul, input, 1e6);
    }
    assertSame(PRECOMPILES[6]!, bn254Add, concat(g1Bytes(1n), g1Bytes(2n)), 149);
    assertSame(PRECOMPILES[7]!, bn254Mul, concat(g1Bytes(1n), word(2n)), 5999);
  });

  it("bn254 pairing: true and false products, infinity, invalid G2, wrong lengths, tight gas", () => {
    const a = 0x1234567n;
    const b = 0x7654321n;
    const neg = R - ((a * b) % R);
    const onTwistNotInSubgroup = concat(
      word(0n),
      word(1n),
      word(15975588672102553735566230729081043132501226101599136527557730645158523614371n),
      word(3610091866386166428467545612961983990332663701371483510632385378352395651980n),
    );
    const cases = [
      new Uint8Array(0),
      concat(g1Bytes(a), g2Bytes(b), g1Bytes(neg), g2Bytes(1n)), // true
      concat(g1Bytes(a), g2Bytes(b), g1Bytes(neg + 1n), g2Bytes(1n)), // false
      concat(g1Bytes(1n), g2Bytes(1n)),
      concat(g1Bytes(0n), g2Bytes(1n)),
      concat(g1Bytes(1n), g2Bytes(0n)),
      concat(g1Bytes(1n), onTwistNotInSubgroup),
      concat(g1Bytes(0n), onTwistNotInSubgroup),
      concat(g1Bytes(1n), word(0n), word(1n), word(0n), word(1n)), // off the twist
      concat(g1Bytes(1n), word(P), g2Bytes(1n).subarray(32)), // x imaginary >= p
      concat(word(1n), word(1n), g2Bytes(1n)), // G1 off the curve
      concat(g1Bytes(a), g2Bytes(b), g1Bytes(neg), g2Bytes(1n), g1Bytes(0n), g2Bytes(3n)), // three pairs
    ];
    for (const input of cases) {
      assertSame(PRECOMPILES[8]!, bn254Pairing, input, 1e7);
      assertSame(PRECOMPILES[8]!, bn254Pairing, input.subarray(0, Math.max(0, input.length - 1)), 1e7);
      assertSame(PRECOMPILES[8]!, bn254Pairing, concat(input, new Uint8Array(1)), 1e7);
      assertSame(PRECOMPILES[8]!, bn254Pairing, input, 45000 + 34000 * (input.length / 192) - 1);
    }
  });

  it("point evaluation: random and corrupted inputs fail alike, wrong lengths too", () => {
    const state = { seed: 4242 };
    for (let i = 0; i < 20; i++) {
      const input = randomBytes(state, 192);
      // A correct versioned hash, so the check reaches the field elements and the points.
      const hash = createHash("sha256").update(input.subarray(96, 144)).digest();
      hash[0] = 1;
      input.set(hash, 0);
      if (i % 2 === 0) input[32] = 0; // z below the modulus
      if (i % 3 === 0) input[64] = 0; // y below the modulus
      assertSame(PRECOMPILES[10]!, pointEvaluation, input, 1e6);
    }
    for (const length of [0, 191, 193]) assertSame(PRECOMPILES[10]!, pointEvaluation, new Uint8Array(length), 1e6);
  });
});
