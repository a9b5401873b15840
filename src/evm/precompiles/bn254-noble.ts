// The bn254 backend on @noble/curves (pure JS): the reference the fast backends are tested against.
import { bn254 } from "@noble/curves/bn254.js";
import type { Bn254Backend } from "./bn254-backend.js";
import { CURVE_ORDER, encodeG1, type G1Point, type G2Point, readG1, readG2, readWord } from "./bn254-codec.js";

const Fp12 = bn254.fields.Fp12;

export const nobleBn254: Bn254Backend = {
  add(input) {
    const p = readG1(input, 0);
    if (p === undefined) return undefined;
    const q = readG1(input, 64);
    if (q === undefined) return undefined;
    return encodeG1(p.add(q));
  },

  mul(input) {
    const p = readG1(input, 0);
    if (p === undefined) return undefined;
    // G1 has prime order r, so the full 256-bit scalar can be reduced mod r.
    return encodeG1(p.multiplyUnsafe(readWord(input, 64) % CURVE_ORDER));
  },

  pairingCheck(input) {
    const pairs: { g1: G1Point; g2: G2Point }[] = [];
    for (let offset = 0; offset < input.length; offset += 192) {
      const g1 = readG1(input, offset);
      if (g1 === undefined) return undefined;
      const g2 = readG2(input, offset + 64);
      if (g2 === undefined) return undefined;
      // A pair with infinity contributes the identity; noble rejects it, so leave it out.
      if (!g1.is0() && !g2.is0()) pairs.push({ g1, g2 });
    }
    return pairs.length === 0 || Fp12.eql(bn254.pairingBatch(pairs), Fp12.ONE);
  },
};
