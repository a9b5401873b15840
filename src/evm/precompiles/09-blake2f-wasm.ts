// The BLAKE2b round loop of the 0x09 precompile as a small WebAssembly function, assembled here at
// module load (6.4 kB, compiled synchronously) so that the 2^32 - 1 rounds of EIP-152 vector 8 take
// under a minute. Native i64 add/xor/rotr with all 32 words (v and m) in locals: ~100 M rounds/s,
// against ~12 M for JS with unrolled 32-bit halves in locals, ~75 M for wasm SIMD (i64x2) and ~2 M
// for the clear reference in 09-blake2f-reference.ts, which the tests check this against.
//
// Memory layout (little-endian 64-bit words): v[0..15] at byte 0, m[0..15] at byte 128.
// Export `rounds(n)` runs n rounds (n >= 0 as an unsigned i32) on v in place, always starting with
// SIGMA row 0, so a long run must be split into calls of a multiple of 10 rounds plus a tail.

import {
  I32,
  I64,
  name,
  OP,
  section,
  signedLeb,
  unsignedLeb,
  VOID_BLOCK,
  vector,
  WASM_HEADER,
} from "../../primitives/wasm-binary.js";

// Minimal typings: the project's lib (ES2022 + node) does not declare the WebAssembly global.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: object);
    readonly exports: Record<string, unknown>;
  }
  interface Memory {
    readonly buffer: ArrayBuffer;
  }
}

// Message word schedule per round (RFC 7693 SIGMA), repeating every 10 rounds.
// biome-ignore format: table
const SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
  [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
  [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
  [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
  [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
] as const;

const ALIGN_8 = 3; // log2 of the i64 access alignment

// Locals: 0 is the parameter n, then v0..v15, then m0..m15.
const N = 0;
const V = 1;
const M = 17;
const M_OFFSET = 128;

/** Emits the BLAKE2b mixing function G on v[a], v[b], v[c], v[d] with message words m[x], m[y]. */
function emitG(code: number[], a: number, b: number, c: number, d: number, x: number, y: number): void {
  const get = (local: number) => code.push(OP.localGet, ...unsignedLeb(local));
  const set = (local: number) => code.push(OP.localSet, ...unsignedLeb(local));
  const add3 = (dst: number, src: number, msg: number) => {
    // (a + m) + b: the message add does not wait for b, which shortens the dependency chain.
    get(V + dst);
    get(M + msg);
    code.push(OP.i64Add);
    get(V + src);
    code.push(OP.i64Add);
    set(V + dst);
  };
  const add2 = (dst: number, src: number) => {
    get(V + dst);
    get(V + src);
    code.push(OP.i64Add);
    set(V + dst);
  };
  const xorRotr = (dst: number, src: number, shift: number) => {
    get(V + dst);
    get(V + src);
    code.push(OP.i64Xor, OP.i64Const, ...signedLeb(BigInt(shift)), OP.i64Rotr);
    set(V + dst);
  };
  add3(a, b, x);
  xorRotr(d, a, 32);
  add2(c, d);
  xorRotr(b, c, 24);
  add3(a, b, y);
  xorRotr(d, a, 16);
  add2(c, d);
  xorRotr(b, c, 63);
}

function emitRound(code: number[], s: readonly number[]): void {
  emitG(code, 0, 4, 8, 12, s[0]!, s[1]!);
  emitG(code, 1, 5, 9, 13, s[2]!, s[3]!);
  emitG(code, 2, 6, 10, 14, s[4]!, s[5]!);
  emitG(code, 3, 7, 11, 15, s[6]!, s[7]!);
  emitG(code, 0, 5, 10, 15, s[8]!, s[9]!);
  emitG(code, 1, 6, 11, 12, s[10]!, s[11]!);
  emitG(code, 2, 7, 8, 13, s[12]!, s[13]!);
  emitG(code, 3, 4, 9, 14, s[14]!, s[15]!);
}

/** The body of `rounds(n)`: load v and m into locals, run n rounds (10 unrolled per loop pass), store v. */
function roundsBody(): number[] {
  const code: number[] = [];
  for (let i = 0; i < 16; i++)
    code.push(OP.i32Const, 0, OP.i64Load, ALIGN_8, ...unsignedLeb(8 * i), OP.localSet, V + i);
  for (let i = 0; i < 16; i++) {
    code.push(OP.i32Const, 0, OP.i64Load, ALIGN_8, ...unsignedLeb(M_OFFSET + 8 * i), OP.localSet, M + i);
  }
  code.push(OP.block, VOID_BLOCK);
  code.push(OP.localGet, N, OP.i32Eqz, OP.brIf, 0);
  code.push(OP.loop, VOID_BLOCK);
  for (const row of SIGMA) {
    emitRound(code, row);
    // if (--n === 0) break
    code.push(OP.localGet, N, OP.i32Const, 1, OP.i32Sub, OP.localTee, N, OP.i32Eqz, OP.brIf, 1);
  }
  code.push(OP.br, 0, OP.end, OP.end);
  for (let i = 0; i < 16; i++)
    code.push(OP.i32Const, 0, OP.localGet, V + i, OP.i64Store, ALIGN_8, ...unsignedLeb(8 * i));
  code.push(OP.end);
  const locals = vector([[32, I64]]);
  return [...locals, ...code];
}

function moduleBytes(): Uint8Array {
  const body = roundsBody();
  return Uint8Array.from([
    ...WASM_HEADER,
    ...section(1, vector([[0x60, ...vector([[I32]]), ...vector([])]])), // type 0: (i32) -> ()
    ...section(3, vector([[0]])), // function 0 has type 0
    ...section(5, vector([[0x00, 1]])), // memory 0: at least one page
    ...section(
      7,
      vector([
        [...name("memory"), 0x02, 0],
        [...name("rounds"), 0x00, 0],
      ]),
    ),
    ...section(10, vector([[...unsignedLeb(body.length), ...body]])),
  ]);
}

const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes()));
const runRounds = instance.exports.rounds as (n: number) => void;
const memory = new Uint8Array((instance.exports.memory as WebAssembly.Memory).buffer, 0, 256);

// IV (RFC 7693 section 2.6) as little-endian bytes, the byte order of wasm memory.
const IV_BYTES = new Uint8Array(64);
// biome-ignore format: table
[
  0x6a09e667f3bcc908n, 0xbb67ae8584caa73bn, 0x3c6ef372fe94f82bn, 0xa54ff53a5f1d36f1n,
  0x510e527fade682d1n, 0x9b05688c2b3e6c1fn, 0x1f83d9abfb41bd6bn, 0x5be0cd19137e2179n,
].forEach((word, i) => {
  for (let j = 0; j < 8; j++) IV_BYTES[8 * i + j] = Number((word >> BigInt(8 * j)) & 0xffn);
});

/**
 * Rounds per wasm call for long runs. A multiple of 10, so each call starts at SIGMA row 0. V8 first
 * runs wasm in its baseline compiler (Liftoff: ~4 M rounds/s here against ~100 M optimised) and tiers
 * up in the background; the optimised code is only used from the next call on, so one call for 2^32
 * rounds would stay at baseline speed. Each chunk is ~1 ms once optimised.
 */
export const ROUNDS_PER_CALL = 100_000;

/**
 * BLAKE2b compression F (RFC 7693 section 3.2) with a caller-chosen round count (0 to 2^32 - 1).
 * `input` is the EIP-152 layout: rounds (4 bytes BE), h (64), m (128), t (16), f (1).
 */
export function blake2bCompress(input: Uint8Array, rounds: number, final: boolean): Uint8Array {
  // v[0..7] = h, v[8..15] = IV, v[12] ^= t0, v[13] ^= t1, v[14] = ~v[14] if final; m follows v.
  memory.set(input.subarray(4, 68), 0);
  memory.set(IV_BYTES, 64);
  for (let i = 0; i < 16; i++) memory[96 + i]! ^= input[196 + i]!;
  if (final) for (let i = 112; i < 120; i++) memory[i]! ^= 0xff;
  memory.set(input.subarray(68, 196), M_OFFSET);

  let left = rounds;
  while (left > ROUNDS_PER_CALL) {
    runRounds(ROUNDS_PER_CALL);
    left -= ROUNDS_PER_CALL;
  }
  runRounds(left);

  const output = new Uint8Array(64);
  for (let i = 0; i < 64; i++) output[i] = input[4 + i]! ^ memory[i]! ^ memory[64 + i]!;
  return output;
}
