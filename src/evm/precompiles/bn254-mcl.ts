// The bn254 backend on herumi's mcl compiled to WebAssembly (mcl-wasm, curve BN_SNARK1 = alt_bn128):
// G1 multiplication ~7x and the pairing check ~3x noble's; what PRECOMPILES runs where the native
// addon (bn254-native.ts) is not built. mcl keeps one global curve per thread, so it is loaded once per
// thread (loadMclBn254).
import * as mcl from "mcl-wasm";
import { type Bn254Backend, PAIR_SIZE } from "./bn254-backend.js";

const WORD = 32;
/** The base field modulus p, big-endian: coordinates must be below it (no reduction, per EIP-196). */
const FIELD_MODULUS = Buffer.from("30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47", "hex");

let loaded: Promise<Bn254Backend> | undefined;

/** Instantiates mcl for alt_bn128 once per thread and resolves to its backend. */
export function loadMclBn254(): Promise<Bn254Backend> {
  loaded ??= mcl.init(mcl.BN_SNARK1).then(() => {
    // Subgroup membership is checked explicitly below, only where EIP-197 asks for it (G2).
    mcl.verifyOrderG1(false);
    mcl.verifyOrderG2(false);
    return createMclBn254();
  });
  return loaded;
}

function isBelowModulus(input: Uint8Array, offset: number): boolean {
  for (let i = 0; i < WORD; i++) {
    const a = input[offset + i]!;
    const b = FIELD_MODULUS[i]!;
    if (a !== b) return a < b;
  }
  return false;
}

function isZeroRange(input: Uint8Array, offset: number, length: number): boolean {
  for (let i = offset; i < offset + length; i++) if (input[i] !== 0) return false;
  return true;
}

/** The field element at `offset`, or undefined when it is not below p. */
function readFp(input: Uint8Array, offset: number): mcl.Fp | undefined {
  if (!isBelowModulus(input, offset)) return undefined;
  const value = new mcl.Fp();
  value.setBigEndianMod(input.subarray(offset, offset + WORD));
  return value;
}

function createMclBn254(): Bn254Backend {
  const one = new mcl.Fp();
  one.setInt(1);
  const oneFp2 = new mcl.Fp2();
  oneFp2.setInt(1, 0);

  /** The G1 point at `offset` ((0, 0) is infinity); undefined when a coordinate is >= p or it is off the curve. */
  function readG1(input: Uint8Array, offset: number): mcl.G1 | undefined {
    const x = readFp(input, offset);
    const y = readFp(input, offset + WORD);
    if (x === undefined || y === undefined) return undefined;
    const point = new mcl.G1();
    if (x.isZero() && y.isZero()) return point; // a new point is infinity
    point.setX(x);
    point.setY(y);
    point.setZ(one);
    // G1 has cofactor 1: on the curve means in the group.
    return point.isValid() ? point : undefined;
  }

  /** The Fp2 element (imaginary, real) at `offset`, as EIP-197 orders them. */
  function readFp2(input: Uint8Array, offset: number): mcl.Fp2 | undefined {
    const imaginary = readFp(input, offset);
    const real = readFp(input, offset + WORD);
    if (imaginary === undefined || real === undefined) return undefined;
    const value = new mcl.Fp2();
    value.set_a(real);
    value.set_b(imaginary);
    return value;
  }

  /** The G2 point at `offset` (all zeros is infinity); undefined when off the twist or outside the order-r subgroup. */
  function readG2(input: Uint8Array, offset: number): mcl.G2 | undefined {
    const x = readFp2(input, offset);
    const y = readFp2(input, offset + 2 * WORD);
    if (x === undefined || y === undefined) return undefined;
    const point = new mcl.G2();
    if (isZeroRange(input, offset, 4 * WORD)) return point;
    point.setX(x);
    point.setY(y);
    point.setZ(oneFp2);
    return point.isValid() && point.isValidOrder() ? point : undefined;
  }

  function writeFp(out: Uint8Array, offset: number, value: mcl.Fp): void {
    const littleEndian = value.serialize();
    for (let i = 0; i < littleEndian.length; i++) out[offset + WORD - 1 - i] = littleEndian[i]!;
  }

  /** 64-byte affine encoding; infinity is (0, 0). */
  function encodeG1(point: mcl.G1): Uint8Array {
    const out = new Uint8Array(2 * WORD);
    if (point.isZero()) return out;
    point.normalize();
    writeFp(out, 0, point.getX());
    writeFp(out, WORD, point.getY());
    return out;
  }

  return {
    add(input) {
      const p = readG1(input, 0);
      if (p === undefined) return undefined;
      const q = readG1(input, 2 * WORD);
      if (q === undefined) return undefined;
      return encodeG1(mcl.add(p, q));
    },

    mul(input) {
      const p = readG1(input, 0);
      if (p === undefined) return undefined;
      // G1 has prime order r, so the 256-bit scalar is taken mod r.
      const scalar = new mcl.Fr();
      scalar.setBigEndianMod(input.subarray(2 * WORD, 3 * WORD));
      return encodeG1(mcl.mul(p, scalar));
    },

    pairingCheck(input) {
      let product: mcl.GT | undefined;
      for (let offset = 0; offset < input.length; offset += PAIR_SIZE) {
        const g1 = readG1(input, offset);
        if (g1 === undefined) return undefined;
        const g2 = readG2(input, offset + 2 * WORD);
        if (g2 === undefined) return undefined;
        // A pair with infinity contributes the identity.
        if (g1.isZero() || g2.isZero()) continue;
        const loop = mcl.millerLoop(g1, g2);
        product = product === undefined ? loop : mcl.mul(product, loop);
      }
      return product === undefined || mcl.finalExp(product).isOne();
    },
  };
}
