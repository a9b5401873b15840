import type { Frame } from "../frame.js";

export type Handler = (frame: Frame) => void;

/** One opcode: its handler, static gas (charged by the loop before the handler) and stack effect. */
export interface OpcodeDef {
  opcode: number;
  name: string;
  gas: number;
  pops: number;
  pushes: number;
  handler: Handler;
}

export const MAX_U256 = (1n << 256n) - 1n;
export const SIGN_BIT = 1n << 255n;
export const TWO_256 = 1n << 256n;
export const ADDRESS_MASK = (1n << 160n) - 1n;

export function toSigned(x: bigint): bigint {
  return x >= SIGN_BIT ? x - TWO_256 : x;
}

export function fromSigned(x: bigint): bigint {
  return x < 0n ? x + TWO_256 : x;
}

/** Number of bytes in the minimal big-endian form of `x`. */
export function byteLength(x: bigint): number {
  return x === 0n ? 0 : Math.ceil(x.toString(16).length / 2);
}

export function readWord(frame: Frame, offset: number): bigint {
  const v = frame.view;
  return (
    (v.getBigUint64(offset) << 192n) |
    (v.getBigUint64(offset + 8) << 128n) |
    (v.getBigUint64(offset + 16) << 64n) |
    v.getBigUint64(offset + 24)
  );
}

export function writeWord(frame: Frame, offset: number, value: bigint): void {
  const v = frame.view;
  v.setBigUint64(offset, value >> 192n);
  v.setBigUint64(offset + 8, BigInt.asUintN(64, value >> 128n));
  v.setBigUint64(offset + 16, BigInt.asUintN(64, value >> 64n));
  v.setBigUint64(offset + 24, BigInt.asUintN(64, value));
}

/** Big-endian 32 bytes of a word. */
export function wordToBytes(value: bigint): Uint8Array {
  const out = new Uint8Array(32);
  const v = new DataView(out.buffer);
  v.setBigUint64(0, value >> 192n);
  v.setBigUint64(8, BigInt.asUintN(64, value >> 128n));
  v.setBigUint64(16, BigInt.asUintN(64, value >> 64n));
  v.setBigUint64(24, BigInt.asUintN(64, value));
  return out;
}

/** A word from up to 32 big-endian bytes at `offset` of `bytes`, zero-padded on the right past the end. */
export function wordFromBytes(bytes: Uint8Array, offset: number): bigint {
  if (offset + 32 <= bytes.length) {
    const v = new DataView(bytes.buffer, bytes.byteOffset + offset, 32);
    return (v.getBigUint64(0) << 192n) | (v.getBigUint64(8) << 128n) | (v.getBigUint64(16) << 64n) | v.getBigUint64(24);
  }
  const padded = new Uint8Array(32);
  if (offset < bytes.length) padded.set(bytes.subarray(offset, offset + 32));
  return wordFromBytes(padded, 0);
}
