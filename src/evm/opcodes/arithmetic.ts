// 0x01-0x0b: arithmetic on 256-bit words, modulo 2^256.
import type { Frame } from "../frame.js";
import { GAS_EXPONENTIATION, GAS_EXPONENTIATION_PER_BYTE, GAS_LOW, GAS_MID, GAS_VERY_LOW } from "../params.js";
import { byteLength, fromSigned, MAX_U256, type OpcodeDef, TWO_256, toSigned } from "./types.js";

// The word arithmetic the handlers below and compiled blocks (block-compiler.ts) share. A comparison
// allocates nothing, so results are reduced only when they overflow: masking every result would
// allocate a second BigInt each time.

/** a + b mod 2^256. */
export function addWords(a: bigint, b: bigint): bigint {
  const sum = a + b;
  return sum > MAX_U256 ? sum - TWO_256 : sum;
}

/** a * b mod 2^256. */
export function mulWords(a: bigint, b: bigint): bigint {
  const product = a * b;
  return product > MAX_U256 ? product & MAX_U256 : product;
}

/** a - b mod 2^256. */
export function subWords(a: bigint, b: bigint): bigint {
  return a >= b ? a - b : a - b + TWO_256;
}

/** a / b, 0 where b is 0. */
export function divWords(a: bigint, b: bigint): bigint {
  return b === 0n ? 0n : a / b;
}

/** a % b, 0 where b is 0. */
export function modWords(a: bigint, b: bigint): bigint {
  return b === 0n ? 0n : a % b;
}

/**
 * (a + b) % n without wrapping, 0 where n is 0. Operands already reduced (the usual case: field
 * arithmetic) need at most one subtraction, which costs about half a BigInt remainder (measured
 * 63 against 104 ns).
 */
export function addModWords(a: bigint, b: bigint, n: bigint): bigint {
  if (a < n && b < n) {
    const sum = a + b;
    return sum >= n ? sum - n : sum;
  }
  return n === 0n ? 0n : (a + b) % n;
}

/**
 * (a * b) % n without wrapping, 0 where n is 0. The BigInt remainder is most of MULMOD's cost (~260 of
 * ~350 ns for full-width operands), but every alternative measured slower: Barrett with a cached
 * reciprocal, a pseudo-Mersenne fold for n = 2^256 - c, and Knuth division or Montgomery multiplication
 * on 24-bit limbs, whose conversions from and to BigInt alone cost ~280 ns.
 */
export function mulModWords(a: bigint, b: bigint, n: bigint): bigint {
  return n === 0n ? 0n : (a * b) % n;
}

/** x sign-extended from its byte b (counted from the least significant); x itself where b ≥ 31. */
export function signExtendWord(b: bigint, x: bigint): bigint {
  if (b >= 31n) return x;
  const bit = b * 8n + 7n;
  const mask = (1n << (bit + 1n)) - 1n;
  return (x >> bit) & 1n ? x | (MAX_U256 ^ mask) : x & mask;
}

function add(f: Frame): void {
  const s = f.stack;
  const a = s[--f.sp]!;
  s[f.sp - 1] = addWords(a, s[f.sp - 1]!);
}

function mul(f: Frame): void {
  const s = f.stack;
  const a = s[--f.sp]!;
  s[f.sp - 1] = mulWords(a, s[f.sp - 1]!);
}

function sub(f: Frame): void {
  const s = f.stack;
  const a = s[--f.sp]!;
  s[f.sp - 1] = subWords(a, s[f.sp - 1]!);
}

function div(f: Frame): void {
  const s = f.stack;
  const a = s[--f.sp]!;
  s[f.sp - 1] = divWords(a, s[f.sp - 1]!);
}

function sdiv(f: Frame): void {
  const s = f.stack;
  const a = toSigned(s[--f.sp]!);
  const b = toSigned(s[f.sp - 1]!);
  // -2^255 / -1 overflows back to -2^255, which the masking below yields.
  s[f.sp - 1] = b === 0n ? 0n : fromSigned(a / b) & MAX_U256;
}

function mod(f: Frame): void {
  const s = f.stack;
  const a = s[--f.sp]!;
  s[f.sp - 1] = modWords(a, s[f.sp - 1]!);
}

function smod(f: Frame): void {
  const s = f.stack;
  const a = toSigned(s[--f.sp]!);
  const b = toSigned(s[f.sp - 1]!);
  // BigInt % keeps the dividend's sign, as the EVM requires.
  s[f.sp - 1] = b === 0n ? 0n : fromSigned(a % b);
}

function addmod(f: Frame): void {
  const s = f.stack;
  const a = s[--f.sp]!;
  const b = s[--f.sp]!;
  s[f.sp - 1] = addModWords(a, b, s[f.sp - 1]!);
}

function mulmod(f: Frame): void {
  const s = f.stack;
  const a = s[--f.sp]!;
  const b = s[--f.sp]!;
  s[f.sp - 1] = mulModWords(a, b, s[f.sp - 1]!);
}

function exp(f: Frame): void {
  const s = f.stack;
  let base = s[--f.sp]!;
  let exponent = s[f.sp - 1]!;
  f.useGas(GAS_EXPONENTIATION_PER_BYTE * byteLength(exponent));
  let result = 1n;
  if (base === 2n && exponent < 256n) result = 1n << exponent;
  else {
    while (exponent > 0n) {
      if (exponent & 1n) result = (result * base) & MAX_U256;
      exponent >>= 1n;
      if (exponent > 0n) base = (base * base) & MAX_U256;
    }
  }
  s[f.sp - 1] = result;
}

function signextend(f: Frame): void {
  const s = f.stack;
  const b = s[--f.sp]!;
  s[f.sp - 1] = signExtendWord(b, s[f.sp - 1]!);
}

export const ARITHMETIC: OpcodeDef[] = [
  { opcode: 0x01, name: "ADD", gas: GAS_VERY_LOW, pops: 2, pushes: 1, handler: add },
  { opcode: 0x02, name: "MUL", gas: GAS_LOW, pops: 2, pushes: 1, handler: mul },
  { opcode: 0x03, name: "SUB", gas: GAS_VERY_LOW, pops: 2, pushes: 1, handler: sub },
  { opcode: 0x04, name: "DIV", gas: GAS_LOW, pops: 2, pushes: 1, handler: div },
  { opcode: 0x05, name: "SDIV", gas: GAS_LOW, pops: 2, pushes: 1, handler: sdiv },
  { opcode: 0x06, name: "MOD", gas: GAS_LOW, pops: 2, pushes: 1, handler: mod },
  { opcode: 0x07, name: "SMOD", gas: GAS_LOW, pops: 2, pushes: 1, handler: smod },
  { opcode: 0x08, name: "ADDMOD", gas: GAS_MID, pops: 3, pushes: 1, handler: addmod },
  { opcode: 0x09, name: "MULMOD", gas: GAS_MID, pops: 3, pushes: 1, handler: mulmod },
  { opcode: 0x0a, name: "EXP", gas: GAS_EXPONENTIATION, pops: 2, pushes: 1, handler: exp },
  { opcode: 0x0b, name: "SIGNEXTEND", gas: GAS_LOW, pops: 2, pushes: 1, handler: signextend },
];
