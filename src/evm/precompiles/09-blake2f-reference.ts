// The clear, slow BLAKE2b compression F: the specification that the fast path in 09-blake2f-wasm.ts is
// tested against (09-blake2f.test.ts). Not used by the precompile itself.

// 64-bit words are held as (low, high) 32-bit halves: word i is at [2i] (low) and [2i + 1] (high).
// biome-ignore format: table
const IV = Uint32Array.of(
  0xf3bcc908, 0x6a09e667, 0x84caa73b, 0xbb67ae85, 0xfe94f82b, 0x3c6ef372, 0x5f1d36f1, 0xa54ff53a,
  0xade682d1, 0x510e527f, 0x2b3e6c1f, 0x9b05688c, 0xfb41bd6b, 0x1f83d9ab, 0x137e2179, 0x5be0cd19,
);

// Message word schedule per round (RFC 7693 SIGMA), repeating every 10 rounds.
// biome-ignore format: table
const SIGMA = Uint8Array.of(
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
  14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
  11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4,
  7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8,
  9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13,
  2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9,
  12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11,
  13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10,
  6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5,
  10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0,
);

const v = new Uint32Array(32);
const m = new Uint32Array(32);

/** v[a] += v[b] + m[x] (mod 2^64); a, b are word indices, x a message word index. */
function add3(a: number, b: number, x: number): void {
  const lo = v[2 * a]! + v[2 * b]! + m[2 * x]!;
  // lo < 3 * 2^32, so the carry is floor(lo / 2^32).
  v[2 * a + 1] = v[2 * a + 1]! + v[2 * b + 1]! + m[2 * x + 1]! + Math.floor(lo / 0x100000000);
  v[2 * a] = lo;
}

/** v[a] += v[b] (mod 2^64). */
function add2(a: number, b: number): void {
  const lo = v[2 * a]! + v[2 * b]!;
  v[2 * a + 1] = v[2 * a + 1]! + v[2 * b + 1]! + (lo >= 0x100000000 ? 1 : 0);
  v[2 * a] = lo;
}

/** v[d] = rotr64(v[d] ^ v[a], shift) for shift in {16, 24, 32, 63}. */
function xorRotr(d: number, a: number, shift: number): void {
  const lo = v[2 * d]! ^ v[2 * a]!;
  const hi = v[2 * d + 1]! ^ v[2 * a + 1]!;
  if (shift === 32) {
    v[2 * d] = hi;
    v[2 * d + 1] = lo;
  } else if (shift === 63) {
    // rotr 63 == rotl 1
    v[2 * d] = (lo << 1) | (hi >>> 31);
    v[2 * d + 1] = (hi << 1) | (lo >>> 31);
  } else {
    v[2 * d] = (lo >>> shift) | (hi << (32 - shift));
    v[2 * d + 1] = (hi >>> shift) | (lo << (32 - shift));
  }
}

function mix(a: number, b: number, c: number, d: number, x: number, y: number): void {
  add3(a, b, x);
  xorRotr(d, a, 32);
  add2(c, d);
  xorRotr(b, c, 24);
  add3(a, b, y);
  xorRotr(d, a, 16);
  add2(c, d);
  xorRotr(b, c, 63);
}

function readU32LE(input: Uint8Array, offset: number): number {
  return (input[offset]! | (input[offset + 1]! << 8) | (input[offset + 2]! << 16) | (input[offset + 3]! << 24)) >>> 0;
}

/**
 * BLAKE2b compression F (RFC 7693 section 3.2) with a caller-chosen round count. `input` is the
 * EIP-152 layout: rounds (4 bytes BE), h (64), m (128), t (16), f (1); little-endian words.
 */
export function blake2bCompressReference(input: Uint8Array, rounds: number, final: boolean): Uint8Array {
  for (let i = 0; i < 16; i++) v[i] = readU32LE(input, 4 + 4 * i);
  v.set(IV, 16);
  for (let i = 0; i < 32; i++) m[i] = readU32LE(input, 68 + 4 * i);
  // v[12] ^= t0, v[13] ^= t1 (t is at bytes 196..212)
  for (let i = 0; i < 4; i++) v[24 + i] = v[24 + i]! ^ readU32LE(input, 196 + 4 * i);
  if (final) {
    v[28] = ~v[28]!;
    v[29] = ~v[29]!;
  }

  for (let round = 0; round < rounds; round++) {
    const s = (round % 10) * 16;
    mix(0, 4, 8, 12, SIGMA[s]!, SIGMA[s + 1]!);
    mix(1, 5, 9, 13, SIGMA[s + 2]!, SIGMA[s + 3]!);
    mix(2, 6, 10, 14, SIGMA[s + 4]!, SIGMA[s + 5]!);
    mix(3, 7, 11, 15, SIGMA[s + 6]!, SIGMA[s + 7]!);
    mix(0, 5, 10, 15, SIGMA[s + 8]!, SIGMA[s + 9]!);
    mix(1, 6, 11, 12, SIGMA[s + 10]!, SIGMA[s + 11]!);
    mix(2, 7, 8, 13, SIGMA[s + 12]!, SIGMA[s + 13]!);
    mix(3, 4, 9, 14, SIGMA[s + 14]!, SIGMA[s + 15]!);
  }

  const output = new Uint8Array(64);
  for (let i = 0; i < 16; i++) {
    const word = (readU32LE(input, 4 + 4 * i) ^ v[i]! ^ v[i + 16]!) >>> 0;
    output[4 * i] = word;
    output[4 * i + 1] = word >>> 8;
    output[4 * i + 2] = word >>> 16;
    output[4 * i + 3] = word >>> 24;
  }
  return output;
}
