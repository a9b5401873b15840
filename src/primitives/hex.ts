// Conversions between hex strings, bytes and bigints. Addresses and words are bigints inside the EVM;
// hex appears only at the edges (RPC, fixtures, CLI).

import { MAX_U256, readWordAt, writeWordAt } from "./word-view.js";

const HEX_CHARS = "0123456789abcdef";
const BYTE_TO_HEX: string[] = [];
for (let i = 0; i < 256; i++) BYTE_TO_HEX.push(HEX_CHARS[i >> 4]! + HEX_CHARS[i & 15]!);

export function strip0x(hex: string): string {
  return hex.startsWith("0x") || hex.startsWith("0X") ? hex.slice(2) : hex;
}

// Nibble value of each char code (-1: not a hex digit); decoding sits on the RPC hot path (raw txs).
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  NIBBLE[HEX_CHARS.charCodeAt(i)] = i;
  NIBBLE[HEX_CHARS.toUpperCase().charCodeAt(i)] = i;
}

export function hexToBytes(hex: string): Uint8Array {
  const start = hex.startsWith("0x") || hex.startsWith("0X") ? 2 : 0;
  const digits = hex.length - start;
  const odd = digits & 1;
  const out = new Uint8Array((digits + odd) >> 1);
  let j = start;
  let i = 0;
  if (odd === 1) {
    const lo = nibble(hex, j++);
    out[i++] = lo;
  }
  for (; i < out.length; i++, j += 2) out[i] = (nibble(hex, j) << 4) | nibble(hex, j + 1);
  return out;
}

function nibble(hex: string, at: number): number {
  const c = hex.charCodeAt(at);
  const v = c < 128 ? NIBBLE[c]! : -1;
  if (v < 0) throw new Error(`invalid hex string: ${hex.slice(0, 32)}`);
  return v;
}

export function bytesToHex(bytes: Uint8Array): string {
  let s = "0x";
  for (let i = 0; i < bytes.length; i++) s += BYTE_TO_HEX[bytes[i]!];
  return s;
}

export function hexToBigint(hex: string): bigint {
  const h = strip0x(hex);
  return h.length === 0 ? 0n : BigInt(`0x${h}`);
}

export function bigintToHex(value: bigint): string {
  return `0x${value.toString(16)}`;
}

// Words up to 32 bytes go through one scratch word: a DataView over a small new array would make
// V8 move the array off its heap (`.buffer`), which costs more than the conversion.
const SCRATCH = new Uint8Array(32);
const SCRATCH_VIEW = new DataView(SCRATCH.buffer);

export function bytesToBigint(bytes: Uint8Array): bigint {
  const length = bytes.length;
  if (length === 0) return 0n;
  if (length > 32) return BigInt(bytesToHex(bytes));
  SCRATCH.fill(0, 0, 32 - length);
  for (let i = 0; i < length; i++) SCRATCH[32 - length + i] = bytes[i]!;
  return readWordAt(SCRATCH_VIEW, 0);
}

/** Big-endian bytes of `value`, left-padded to `length` (its low `length` bytes where it is longer). */
export function bigintToBytes(value: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  if (length <= 32 && value >= 0n && value <= MAX_U256) {
    writeWordAt(SCRATCH_VIEW, 0, value);
    for (let i = 0; i < length; i++) out[i] = SCRATCH[32 - length + i]!;
    return out;
  }
  let i = length;
  while (i > 0 && value > 0n) {
    i--;
    out[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return out;
}

/** Minimal big-endian bytes (no leading zeros; 0 is empty), as RLP wants integers. */
export function bigintToMinimalBytes(value: bigint): Uint8Array {
  if (value === 0n) return new Uint8Array(0);
  if (value < 0n || value > MAX_U256) {
    let hex = value.toString(16);
    if (hex.length % 2 === 1) hex = `0${hex}`;
    return hexToBytes(hex);
  }
  // Through the scratch word: no hex string (receipts, bodies, trie leaves and state values come here).
  writeWordAt(SCRATCH_VIEW, 0, value);
  let first = 0;
  while (SCRATCH[first] === 0) first++;
  return SCRATCH.slice(first);
}

export function addressToHex(address: bigint): string {
  return `0x${address.toString(16).padStart(40, "0")}`;
}

export function wordToHex(word: bigint): string {
  return `0x${word.toString(16).padStart(64, "0")}`;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
