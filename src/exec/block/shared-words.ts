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

/** The word in four limbs at `u64[at]`; `u32` views the same memory. */
export function readLimbs(u32: Uint32Array, u64: BigUint64Array, at: number): bigint {
  const i = at * 2;
  if ((u32[i + 2]! | u32[i + 3]! | u32[i + 4]! | u32[i + 5]! | u32[i + 6]! | u32[i + 7]!) === 0) {
    const hi = u32[i + 1]!;
    // Below 2^53 a Number carries it exactly: one BigInt allocation.
    if (hi < 0x200000) return BigInt(hi * TWO_32 + u32[i]!);
    return u64[at]!;
  }
  return (((((u64[at + 3]! << 64n) | u64[at + 2]!) << 64n) | u64[at + 1]!) << 64n) | u64[at]!;
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
