import { writeLastDigest } from "../../primitives/keccak.js";
import { low32, MAX_U256, readWordAt, SMALL_WORDS, wordOfNumber, writeWordAt } from "../../primitives/word-view.js";
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

export { MAX_U256 };
export const SIGN_BIT = 1n << 255n;
export const TWO_256 = 1n << 256n;
export const ADDRESS_MASK = (1n << 160n) - 1n;

/** The low 160 bits of a word: the word itself where it already fits, without a new BigInt. */
export function toAddress(word: bigint): bigint {
  return word <= ADDRESS_MASK ? word : word & ADDRESS_MASK;
}

/** A size (0 ≤ n < 2^53) as a word, from SMALL_WORDS where it is there. */
export function sizeWord(n: number): bigint {
  return n < 1024 ? SMALL_WORDS[n]! : wordOfNumber(n);
}

export function toSigned(x: bigint): bigint {
  return x >= SIGN_BIT ? x - TWO_256 : x;
}

export function fromSigned(x: bigint): bigint {
  return x < 0n ? x + TWO_256 : x;
}

/** Number of bytes in the minimal big-endian form of `x` (EXP's gas; a short exponent without a string). */
export function byteLength(x: bigint): number {
  if (x === 0n) return 0;
  if (x <= 0xffffffffn) return 4 - (Math.clz32(low32(x)) >> 3);
  return Math.ceil(x.toString(16).length / 2);
}

export function readWord(frame: Frame, offset: number): bigint {
  return readWordAt(frame.view, offset);
}

export function writeWord(frame: Frame, offset: number, value: bigint): void {
  if (!writeLastDigest(frame.view, offset, value)) writeWordAt(frame.view, offset, value);
}

// A word is read from a byte array by copying it here first: cheaper than a DataView per array.
const scratch = new Uint8Array(32);
const scratchView = new DataView(scratch.buffer);

/** A word from up to 32 big-endian bytes at `offset` of `bytes`, zero-padded on the right past the end. */
export function wordFromBytes(bytes: Uint8Array, offset: number): bigint {
  const available = bytes.length - offset;
  if (available >= 32) {
    for (let i = 0; i < 32; i++) scratch[i] = bytes[offset + i]!;
  } else {
    scratch.fill(0);
    for (let i = 0; i < available; i++) scratch[i] = bytes[offset + i]!;
  }
  return readWordAt(scratchView, 0);
}
