// 256-bit words to and from big-endian bytes through a DataView. Every BigInt operation allocates, so
// the common shapes take short paths: a value below 2^64 (offsets, lengths, counters, booleans) costs
// one BigInt, an address-sized one a few, and only a full 256-bit word pays for all four limbs.
// Limbs cross between a BigInt and the view through a BigUint64Array scratch and two 32-bit accesses:
// in V8 (Node 20) DataView's getBigUint64/setBigUint64 are calls that TurboFan does not inline (about
// 9 ns each), while 32-bit accesses and a BigUint64Array element are inlined (measured: a small word
// written in 12 ns instead of 40-70, read in 13 instead of 16-22).

/** The largest 256-bit word. */
export const MAX_U256 = (1n << 256n) - 1n;
const MAX_U64 = 0xffffffffffffffffn;
const MAX_U128 = 0xffffffffffffffffffffffffffffffffn;
const MAX_U192 = 0xffffffffffffffffffffffffffffffffffffffffffffffffn;

// x mod 2^64 through the scratch; the halves' order is the platform's.
const LOW_BITS = new BigUint64Array(1);
const LOW_HALVES = new Uint32Array(LOW_BITS.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LOW_HALF = LITTLE_ENDIAN ? 0 : 1;
const HIGH_HALF = 1 - LOW_HALF;

/** The big-endian 64-bit limb at `offset`. */
function readLimb(view: DataView, offset: number): bigint {
  LOW_HALVES[HIGH_HALF] = view.getUint32(offset);
  LOW_HALVES[LOW_HALF] = view.getUint32(offset + 4);
  return LOW_BITS[0]!;
}

/** Writes `value` mod 2^64 as a big-endian 64-bit limb at `offset`. */
function writeLimb(view: DataView, offset: number, value: bigint): void {
  LOW_BITS[0] = value;
  view.setUint32(offset, LOW_HALVES[HIGH_HALF]!);
  view.setUint32(offset + 4, LOW_HALVES[LOW_HALF]!);
}

/** Words 0-1023, made once: small values (offsets, sizes, flags, PUSH1 immediates) need no new BigInt. */
export const SMALL_WORDS: readonly bigint[] = Array.from({ length: 1024 }, (_, i) => BigInt(i));

/** The word in the 32 bytes at `offset` of `view` (which must hold them). */
export function readWordAt(view: DataView, offset: number): bigint {
  if ((view.getUint32(offset) | view.getUint32(offset + 4) | view.getUint32(offset + 8)) === 0) {
    // At most 160 bits: an address, an amount, or a small number.
    if (view.getUint32(offset + 12) === 0) {
      // At most 128 bits (an amount): two limbs, or one.
      if ((view.getUint32(offset + 16) | view.getUint32(offset + 20)) === 0) {
        // A small number (a free memory pointer, a length, a flag): no new BigInt.
        const low = view.getUint32(offset + 28);
        if (low < 1024 && view.getUint32(offset + 24) === 0) return SMALL_WORDS[low]!;
        return readLimb(view, offset + 24);
      }
      return (readLimb(view, offset + 16) << 64n) | readLimb(view, offset + 24);
    }
    return (readLimb(view, offset + 8) << 128n) | (readLimb(view, offset + 16) << 64n) | readLimb(view, offset + 24);
  }
  return (
    (readLimb(view, offset) << 192n) |
    (readLimb(view, offset + 8) << 128n) |
    (readLimb(view, offset + 16) << 64n) |
    readLimb(view, offset + 24)
  );
}

/** Writes `value` (0 ≤ value < 2^256) as 32 big-endian bytes at `offset`. */
export function writeWordAt(view: DataView, offset: number, value: bigint): void {
  writeLimb(view, offset + 24, value);
  if (value <= MAX_U64) {
    view.setFloat64(offset + 16, 0);
    view.setFloat64(offset + 8, 0);
    view.setFloat64(offset, 0);
    return;
  }
  writeLimb(view, offset + 16, value >> 64n);
  if (value <= MAX_U128) {
    view.setFloat64(offset + 8, 0);
    view.setFloat64(offset, 0);
    return;
  }
  writeLimb(view, offset + 8, value >> 128n);
  if (value <= MAX_U192) {
    // An address: no fourth limb to shift out.
    view.setFloat64(offset, 0);
    return;
  }
  writeLimb(view, offset, value >> 192n);
}

/** Writes a 160-bit address as 20 big-endian bytes at `offset`. */
export function writeAddressAt(view: DataView, offset: number, address: bigint): void {
  view.setUint32(offset, low32(address >> 128n));
  writeLimb(view, offset + 4, address >> 64n);
  writeLimb(view, offset + 12, address);
}

// Number(x) of a BigInt is a runtime call in V8 (about 40 ns); the scratch above takes a few.
/** x mod 2^32, as a number: exact for any x ≥ 0, the value itself where the caller checked x < 2^32. */
export function low32(x: bigint): number {
  LOW_BITS[0] = x;
  return LOW_HALVES[LOW_HALF]!;
}

/**
 * x as a word, for an integer 0 ≤ x < 2^64 (the caller checks; exact, as every integer double in that
 * range splits exactly into two 32-bit halves): BigInt(x) is a runtime call (measured ~25 ns), the
 * scratch's two halves ~13.
 */
export function wordOfNumber(x: number): bigint {
  LOW_HALVES[LOW_HALF] = x >>> 0;
  LOW_HALVES[HIGH_HALF] = Math.floor(x / 0x100000000);
  return LOW_BITS[0]!;
}

/** x as a number, for 0 ≤ x < 2^53 (the caller checks the bound). */
export function safeNumber(x: bigint): number {
  LOW_BITS[0] = x;
  return LOW_HALVES[LOW_HALF]! + LOW_HALVES[HIGH_HALF]! * 0x100000000;
}
