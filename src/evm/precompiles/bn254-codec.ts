// Encoding shared by the bn254 (alt_bn128) precompiles 0x06-0x08, per EIP-196/197: big-endian 32-byte
// words, (0, 0) for the point at infinity, and G2 coordinates as (imaginary, real).

import type { WeierstrassPoint } from "@noble/curves/abstract/weierstrass.js";
import { bn254 } from "@noble/curves/bn254.js";

type Fp2 = { c0: bigint; c1: bigint };
export type G1Point = WeierstrassPoint<bigint>;
export type G2Point = WeierstrassPoint<Fp2>;

export const G1 = bn254.G1.Point;
export const G2 = bn254.G2.Point;
export const FIELD_MODULUS = bn254.fields.Fp.ORDER;
export const CURVE_ORDER = bn254.fields.Fr.ORDER;

/** Big-endian 32-byte word at `offset`, reading zeros past the end of `input` (implicit right padding). */
export function readWord(input: Uint8Array, offset: number): bigint {
  let value = 0n;
  const end = Math.min(input.length, offset + 32);
  let i = offset;
  // 8 bytes at a time keeps the bigint work small.
  for (; i + 8 <= end; i += 8) {
    let chunk = 0n;
    const hi = ((input[i]! << 24) | (input[i + 1]! << 16) | (input[i + 2]! << 8) | input[i + 3]!) >>> 0;
    const lo = ((input[i + 4]! << 24) | (input[i + 5]! << 16) | (input[i + 6]! << 8) | input[i + 7]!) >>> 0;
    chunk = (BigInt(hi) << 32n) | BigInt(lo);
    value = (value << 64n) | chunk;
  }
  for (; i < offset + 32; i++) value = (value << 8n) | BigInt(i < end ? input[i]! : 0);
  return value;
}

/** Decodes a G1 point at `offset`; undefined when a coordinate is >= p or the point is not on the curve. */
export function readG1(input: Uint8Array, offset: number): G1Point | undefined {
  const x = readWord(input, offset);
  const y = readWord(input, offset + 32);
  if (x >= FIELD_MODULUS || y >= FIELD_MODULUS) return undefined;
  if (x === 0n && y === 0n) return G1.ZERO;
  // y^2 = x^3 + 3; G1 has cofactor 1, so on-curve means in the subgroup.
  if ((y * y - x * x * x - 3n) % FIELD_MODULUS !== 0n) return undefined;
  return G1.fromAffine({ x, y });
}

/** Decodes a G2 point at `offset`; undefined when a coordinate is >= p, or it is off the twist or outside G2. */
export function readG2(input: Uint8Array, offset: number): G2Point | undefined {
  const xIm = readWord(input, offset);
  const xRe = readWord(input, offset + 32);
  const yIm = readWord(input, offset + 64);
  const yRe = readWord(input, offset + 96);
  if (xIm >= FIELD_MODULUS || xRe >= FIELD_MODULUS || yIm >= FIELD_MODULUS || yRe >= FIELD_MODULUS) return undefined;
  if (xIm === 0n && xRe === 0n && yIm === 0n && yRe === 0n) return G2.ZERO;
  try {
    // noble checks the coordinates while building the point, then the twist and r-torsion subgroup.
    const point = G2.fromAffine({ x: { c0: xRe, c1: xIm }, y: { c0: yRe, c1: yIm } });
    point.assertValidity();
    return point;
  } catch {
    return undefined;
  }
}

function writeWord(out: Uint8Array, offset: number, value: bigint): void {
  for (let i = offset + 31; i >= offset && value > 0n; i--) {
    out[i] = Number(value & 0xffn);
    value >>= 8n;
  }
}

/** 64-byte affine encoding of a G1 point; infinity is (0, 0). */
export function encodeG1(point: G1Point): Uint8Array {
  const out = new Uint8Array(64);
  if (point.is0()) return out;
  const { x, y } = point.toAffine();
  writeWord(out, 0, x);
  writeWord(out, 32, y);
  return out;
}
