// 256-bit words to and from big-endian bytes through a DataView. Every BigInt operation allocates, so
// the common shapes take short paths: a value below 2^64 (offsets, lengths, counters, booleans) costs
// one BigInt, an address-sized one a few, and only a full 256-bit word pays for all four limbs.

/** The largest 256-bit word. */
export const MAX_U256 = (1n << 256n) - 1n;
const MAX_U64 = 0xffffffffffffffffn;
const MAX_U128 = 0xffffffffffffffffffffffffffffffffn;
const MAX_U192 = 0xffffffffffffffffffffffffffffffffffffffffffffffffn;

/** The word in the 32 bytes at `offset` of `view` (which must hold them). */
export function readWordAt(view: DataView, offset: number): bigint {
  const low = view.getBigUint64(offset + 24);
  if ((view.getUint32(offset) | view.getUint32(offset + 4) | view.getUint32(offset + 8)) === 0) {
    // At most 160 bits: an address, an amount, or a small number.
    if ((view.getUint32(offset + 12) | view.getUint32(offset + 16) | view.getUint32(offset + 20)) === 0) return low;
    return (view.getBigUint64(offset + 8) << 128n) | (view.getBigUint64(offset + 16) << 64n) | low;
  }
  return (
    (view.getBigUint64(offset) << 192n) |
    (view.getBigUint64(offset + 8) << 128n) |
    (view.getBigUint64(offset + 16) << 64n) |
    low
  );
}

/** Writes `value` (0 ≤ value < 2^256) as 32 big-endian bytes at `offset`. setBigUint64 keeps the low 64 bits. */
export function writeWordAt(view: DataView, offset: number, value: bigint): void {
  view.setBigUint64(offset + 24, value);
  if (value <= MAX_U64) {
    view.setBigUint64(offset + 16, 0n);
    view.setBigUint64(offset + 8, 0n);
    view.setBigUint64(offset, 0n);
  } else if (value <= MAX_U128) {
    view.setBigUint64(offset + 16, value >> 64n);
    view.setBigUint64(offset + 8, 0n);
    view.setBigUint64(offset, 0n);
  } else if (value <= MAX_U192) {
    view.setBigUint64(offset + 16, value >> 64n);
    view.setBigUint64(offset + 8, value >> 128n);
    view.setBigUint64(offset, 0n);
  } else {
    view.setBigUint64(offset + 16, value >> 64n);
    view.setBigUint64(offset + 8, value >> 128n);
    view.setBigUint64(offset, value >> 192n);
  }
}

/** Writes a 160-bit address as 20 big-endian bytes at `offset`. */
export function writeAddressAt(view: DataView, offset: number, address: bigint): void {
  view.setUint32(offset, Number(address >> 128n));
  view.setBigUint64(offset + 4, address >> 64n);
  view.setBigUint64(offset + 12, address);
}

// Number(x) of a BigInt is a runtime call in V8 (about 40 ns); a store into a BigUint64Array, which
// keeps the low 64 bits, and two Uint32 loads take a few. The halves' order is the platform's.
const LOW_BITS = new BigUint64Array(1);
const LOW_HALVES = new Uint32Array(LOW_BITS.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LOW_HALF = LITTLE_ENDIAN ? 0 : 1;
const HIGH_HALF = 1 - LOW_HALF;

/** x mod 2^32, as a number: exact for any x ≥ 0, the value itself where the caller checked x < 2^32. */
export function low32(x: bigint): number {
  LOW_BITS[0] = x;
  return LOW_HALVES[LOW_HALF]!;
}

/** x as a number, for 0 ≤ x < 2^53 (the caller checks the bound). */
export function safeNumber(x: bigint): number {
  LOW_BITS[0] = x;
  return LOW_HALVES[LOW_HALF]! + LOW_HALVES[HIGH_HALF]! * 0x100000000;
}
