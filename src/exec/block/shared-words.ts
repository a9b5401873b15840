// 256-bit words and account values in a shared byte arena, as little-endian 64-bit limbs. Values that
// cross threads are written once here and read in place by every worker; a small value costs one
// BigInt to read back, a full word four limbs and three shifts.

const TWO_32 = 4294967296;

/** Writes `v` (0 <= v < 2^256) as four little-endian limbs at `u64[at]`. */
export function writeLimbs(u64: BigUint64Array, at: number, v: bigint): void {
  u64[at] = v; // the store keeps the low 64 bits
  if (v < 0x10000000000000000n) {
    u64[at + 1] = 0n;
    u64[at + 2] = 0n;
    u64[at + 3] = 0n;
    return;
  }
  u64[at + 1] = v >> 64n;
  u64[at + 2] = v >> 128n;
  u64[at + 3] = v >> 192n;
}

/**
 * The word in four limbs at `u64[at]`; `u32` views the same memory. Each BigInt operation allocates,
 * so only the limbs in use are joined: a 128-bit balance costs four allocations, a 160-bit address
 * seven, a full word ten.
 */
export function readLimbs(u32: Uint32Array, u64: BigUint64Array, at: number): bigint {
  const i = at * 2;
  if ((u32[i + 6]! | u32[i + 7]!) !== 0) {
    return (((((u64[at + 3]! << 64n) | u64[at + 2]!) << 64n) | u64[at + 1]!) << 64n) | u64[at]!;
  }
  if ((u32[i + 4]! | u32[i + 5]!) !== 0) return (((u64[at + 2]! << 64n) | u64[at + 1]!) << 64n) | u64[at]!;
  if ((u32[i + 2]! | u32[i + 3]!) !== 0) return (u64[at + 1]! << 64n) | u64[at]!;
  const hi = u32[i + 1]!;
  // Below 2^53 a Number carries it exactly: one BigInt allocation.
  if (hi < 0x200000) return BigInt(hi * TWO_32 + u32[i]!);
  return u64[at]!;
}

/** Entries of a WordCache (a power of two). */
const WORD_CACHE = 1 << 12;

/**
 * A direct-mapped cache of wide words (above 64 bits) by their limbs: a word decoded again (an
 * event's signature in every log, a contract's address in each of its logs) is one BigInt, made
 * once. The caller puts the word's limbs in `u32`/`u64` (index 0) and asks for `word()`. BigInts are
 * immutable: sharing one between results is safe. A miss costs more than making the BigInt (a
 * lookup, and a store the collector tracks): only for words that mostly repeat.
 */
export class WordCache {
  readonly u64 = new BigUint64Array(4);
  readonly u32 = new Uint32Array(this.u64.buffer);
  private readonly keys = new Uint32Array(8 * WORD_CACHE);
  private readonly values: (bigint | undefined)[] = new Array<bigint | undefined>(WORD_CACHE).fill(undefined);

  /** Forgets every word (a new block: what it reads back is its own). */
  clear(): void {
    this.values.fill(undefined);
  }

  /** The word in `u32`/`u64`. */
  word(): bigint {
    const k = this.u32;
    const k0 = k[0]!;
    const k1 = k[1]!;
    const k2 = k[2]!;
    const k3 = k[3]!;
    const k4 = k[4]!;
    const k5 = k[5]!;
    const k6 = k[6]!;
    const k7 = k[7]!;
    if ((k2 | k3 | k4 | k5 | k6 | k7) === 0) return readLimbs(k, this.u64, 0); // one or no allocation: not cached
    let h = Math.imul(k0 ^ k7, 0x9e3779b1) ^ k2 ^ Math.imul(k4 ^ k5, 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 15) ^ k1 ^ k3 ^ k6, 0x27d4eb2f);
    const e = (h ^ (h >>> 16)) & (WORD_CACHE - 1);
    const at = 8 * e;
    const keys = this.keys;
    const cached = this.values[e];
    if (
      cached !== undefined &&
      keys[at] === k0 &&
      keys[at + 1] === k1 &&
      keys[at + 2] === k2 &&
      keys[at + 3] === k3 &&
      keys[at + 4] === k4 &&
      keys[at + 5] === k5 &&
      keys[at + 6] === k6 &&
      keys[at + 7] === k7
    ) {
      return cached;
    }
    const v = readLimbs(k, this.u64, 0);
    keys[at] = k0;
    keys[at + 1] = k1;
    keys[at + 2] = k2;
    keys[at + 3] = k3;
    keys[at + 4] = k4;
    keys[at + 5] = k5;
    keys[at + 6] = k6;
    keys[at + 7] = k7;
    this.values[e] = v;
    return v;
  }
}

/** Views of one arena, made once per worker (typed-array construction is not free). */
export class WordArena {
  readonly u32: Uint32Array;
  readonly u64: BigUint64Array;
  readonly bytes: Uint8Array;

  constructor(buffer: SharedArrayBuffer) {
    this.u32 = new Uint32Array(buffer);
    this.u64 = new BigUint64Array(buffer);
    this.bytes = new Uint8Array(buffer);
  }

  /** Writes `v` (0 <= v < 2^256) at 8-byte index `at`. */
  writeWord(at: number, v: bigint): void {
    writeLimbs(this.u64, at, v);
  }

  /** The word at 8-byte index `at`. */
  readWord(at: number): bigint {
    return readLimbs(this.u32, this.u64, at);
  }
}
