// 256-bit words and account values in a shared byte arena, as little-endian 64-bit limbs. Values that
// cross threads are written once here and read in place by every worker; a small value costs one
// BigInt to read back, a full word four limbs and three shifts.

const TWO_32 = 4294967296;

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

  /** Writes `v` (0 <= v < 2^256) as four limbs at 8-byte index `at`. */
  writeWord(at: number, v: bigint): void {
    const u = this.u64;
    u[at] = v; // the store keeps the low 64 bits
    if (v < 0x10000000000000000n) {
      u[at + 1] = 0n;
      u[at + 2] = 0n;
      u[at + 3] = 0n;
      return;
    }
    u[at + 1] = v >> 64n;
    u[at + 2] = v >> 128n;
    u[at + 3] = v >> 192n;
  }

  /** The word at 8-byte index `at`. */
  readWord(at: number): bigint {
    const w = this.u32;
    const i = at * 2;
    if ((w[i + 2]! | w[i + 3]! | w[i + 4]! | w[i + 5]! | w[i + 6]! | w[i + 7]!) === 0) {
      const hi = w[i + 1]!;
      // Below 2^53 a Number carries it exactly: one BigInt allocation.
      if (hi < 0x200000) return BigInt(hi * TWO_32 + w[i]!);
      return this.u64[at]!;
    }
    const u = this.u64;
    return (((((u[at + 3]! << 64n) | u[at + 2]!) << 64n) | u[at + 1]!) << 64n) | u[at]!;
  }
}
