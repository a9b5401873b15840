// 0x10-0x1d: comparison and bitwise logic.
import type { Frame } from "../frame.js";
import { GAS_VERY_LOW } from "../params.js";
import { MAX_U256, type OpcodeDef, toSigned } from "./types.js";

function lt(f: Frame): void {
  const s = f.stack;
  const a = s[--f.sp]!;
  s[f.sp - 1] = a < s[f.sp - 1]! ? 1n : 0n;
}

function gt(f: Frame): void {
  const s = f.stack;
  const a = s[--f.sp]!;
  s[f.sp - 1] = a > s[f.sp - 1]! ? 1n : 0n;
}

/** 1 where a < b as two's-complement words, else 0 (shared with compiled blocks). */
export function sltWords(a: bigint, b: bigint): bigint {
  return toSigned(a) < toSigned(b) ? 1n : 0n;
}

function slt(f: Frame): void {
  const s = f.stack;
  const a = s[--f.sp]!;
  s[f.sp - 1] = sltWords(a, s[f.sp - 1]!);
}

function sgt(f: Frame): void {
  const s = f.stack;
  const a = s[--f.sp]!;
  s[f.sp - 1] = sltWords(s[f.sp - 1]!, a);
}

function eq(f: Frame): void {
  const s = f.stack;
  const a = s[--f.sp]!;
  s[f.sp - 1] = a === s[f.sp - 1]! ? 1n : 0n;
}

function iszero(f: Frame): void {
  const s = f.stack;
  s[f.sp - 1] = s[f.sp - 1] === 0n ? 1n : 0n;
}

function and(f: Frame): void {
  const s = f.stack;
  const a = s[--f.sp]!;
  s[f.sp - 1] = a & s[f.sp - 1]!;
}

function or(f: Frame): void {
  const s = f.stack;
  const a = s[--f.sp]!;
  s[f.sp - 1] = a | s[f.sp - 1]!;
}

function xor(f: Frame): void {
  const s = f.stack;
  const a = s[--f.sp]!;
  s[f.sp - 1] = a ^ s[f.sp - 1]!;
}

function not(f: Frame): void {
  const s = f.stack;
  s[f.sp - 1] = MAX_U256 ^ s[f.sp - 1]!;
}

/** Byte i of x counted from the most significant, 0 where i ≥ 32 (shared with compiled blocks). */
export function byteOfWord(i: bigint, x: bigint): bigint {
  return i < 32n ? (x >> (8n * (31n - i))) & 0xffn : 0n;
}

function byte(f: Frame): void {
  const s = f.stack;
  const i = s[--f.sp]!;
  s[f.sp - 1] = byteOfWord(i, s[f.sp - 1]!);
}

/** value << shift mod 2^256 (shared with compiled blocks); reduced only where it overflows. */
export function shlWord(shift: bigint, value: bigint): bigint {
  if (shift >= 256n) return 0n;
  const shifted = value << shift;
  return shifted > MAX_U256 ? shifted & MAX_U256 : shifted;
}

/** value >> shift (shared with compiled blocks). */
export function shrWord(shift: bigint, value: bigint): bigint {
  return shift < 256n ? value >> shift : 0n;
}

function shl(f: Frame): void {
  const s = f.stack;
  const shift = s[--f.sp]!;
  s[f.sp - 1] = shlWord(shift, s[f.sp - 1]!);
}

function shr(f: Frame): void {
  const s = f.stack;
  const shift = s[--f.sp]!;
  s[f.sp - 1] = shrWord(shift, s[f.sp - 1]!);
}

/** value >> shift, arithmetic (sign-filling), as a word (shared with compiled blocks). */
export function sarWord(shift: bigint, word: bigint): bigint {
  const value = toSigned(word);
  const shifted = shift < 256n ? value >> shift : value < 0n ? -1n : 0n;
  return shifted & MAX_U256;
}

function sar(f: Frame): void {
  const s = f.stack;
  const shift = s[--f.sp]!;
  s[f.sp - 1] = sarWord(shift, s[f.sp - 1]!);
}

export const BITWISE: OpcodeDef[] = [
  { opcode: 0x10, name: "LT", gas: GAS_VERY_LOW, pops: 2, pushes: 1, handler: lt },
  { opcode: 0x11, name: "GT", gas: GAS_VERY_LOW, pops: 2, pushes: 1, handler: gt },
  { opcode: 0x12, name: "SLT", gas: GAS_VERY_LOW, pops: 2, pushes: 1, handler: slt },
  { opcode: 0x13, name: "SGT", gas: GAS_VERY_LOW, pops: 2, pushes: 1, handler: sgt },
  { opcode: 0x14, name: "EQ", gas: GAS_VERY_LOW, pops: 2, pushes: 1, handler: eq },
  { opcode: 0x15, name: "ISZERO", gas: GAS_VERY_LOW, pops: 1, pushes: 1, handler: iszero },
  { opcode: 0x16, name: "AND", gas: GAS_VERY_LOW, pops: 2, pushes: 1, handler: and },
  { opcode: 0x17, name: "OR", gas: GAS_VERY_LOW, pops: 2, pushes: 1, handler: or },
  { opcode: 0x18, name: "XOR", gas: GAS_VERY_LOW, pops: 2, pushes: 1, handler: xor },
  { opcode: 0x19, name: "NOT", gas: GAS_VERY_LOW, pops: 1, pushes: 1, handler: not },
  { opcode: 0x1a, name: "BYTE", gas: GAS_VERY_LOW, pops: 2, pushes: 1, handler: byte },
  { opcode: 0x1b, name: "SHL", gas: GAS_VERY_LOW, pops: 2, pushes: 1, handler: shl },
  { opcode: 0x1c, name: "SHR", gas: GAS_VERY_LOW, pops: 2, pushes: 1, handler: shr },
  { opcode: 0x1d, name: "SAR", gas: GAS_VERY_LOW, pops: 2, pushes: 1, handler: sar },
];
