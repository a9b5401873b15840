// Compact binary encoding shared by the base-state snapshot, the transaction wire and the results
// Block-STM publishes: unsigned bigints as a count of 64-bit chunks then the chunks (addresses take
// 3, small nonces 1, zero none), u32s, bytes. No JSON: structured clone and JSON of bigint-heavy
// objects cost more than the EVM step.
import { MAX_U256 } from "../primitives/word-view.js";

const MASK64 = (1n << 64n) - 1n;

function wideLimbs(v: bigint): bigint[] {
  const limbs: bigint[] = [];
  for (let t = v; t > 0n; t >>= 64n) limbs.push(t & MASK64);
  return limbs;
}

export class ByteWriter {
  private buf = new ArrayBuffer(1024);
  private view = new DataView(this.buf);
  private bytes = new Uint8Array(this.buf);
  length = 0;

  reset(): void {
    this.length = 0;
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.byteLength) return;
    let size = this.buf.byteLength * 2;
    while (size < this.length + n) size *= 2;
    const next = new ArrayBuffer(size);
    new Uint8Array(next).set(this.bytes.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next);
    this.bytes = new Uint8Array(next);
  }

  u8(v: number): void {
    this.room(1);
    this.view.setUint8(this.length, v);
    this.length += 1;
  }

  u32(v: number): void {
    this.room(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }

  i32(v: number): void {
    this.room(4);
    this.view.setInt32(this.length, v, true);
    this.length += 4;
  }

  big(v: bigint): void {
    if (v < 0n) throw new RangeError("ByteWriter.big: negative");
    if (v <= MASK64) {
      this.room(9);
      if (v === 0n) {
        this.view.setUint8(this.length++, 0);
        return;
      }
      this.view.setUint8(this.length++, 1);
      this.view.setBigUint64(this.length, v, true);
      this.length += 8;
      return;
    }
    // A word (up to 256 bits, the common case): two to four limbs, each stored truncated
    // (setBigUint64 keeps the low 64 bits), with three shifts and no array; wider values take the loop.
    if (v <= MAX_U256) {
      const high = v >> 128n;
      const top = high >> 64n;
      const count = top !== 0n ? 4 : high !== 0n ? 3 : 2;
      this.room(1 + 8 * count);
      this.view.setUint8(this.length++, count);
      this.view.setBigUint64(this.length, v, true);
      this.view.setBigUint64(this.length + 8, v >> 64n, true);
      if (count > 2) this.view.setBigUint64(this.length + 16, high, true);
      if (count > 3) this.view.setBigUint64(this.length + 24, top, true);
      this.length += 8 * count;
      return;
    }
    const limbs = wideLimbs(v);
    let count = limbs.length;
    while (limbs[count - 1] === 0n) count--;
    this.room(1 + 8 * count);
    this.view.setUint8(this.length++, count);
    for (let i = 0; i < count; i++) {
      this.view.setBigUint64(this.length, limbs[i]!, true);
      this.length += 8;
    }
  }

  /** A count, then that many bigints. */
  bigs(values: readonly bigint[]): void {
    this.u32(values.length);
    for (const v of values) this.big(v);
  }

  raw(data: Uint8Array): void {
    this.room(4 + data.length);
    this.u32(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }

  /** Hands over the buffer (its first `length` bytes are the data) and starts a fresh one. */
  detach(): ArrayBuffer {
    const out = this.buf;
    this.buf = new ArrayBuffer(1024);
    this.view = new DataView(this.buf);
    this.bytes = new Uint8Array(this.buf);
    this.length = 0;
    return out;
  }

  /** The bytes written so far (a view, valid until the next write). */
  view8(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

export class ByteReader {
  private readonly view: DataView;
  constructor(
    private readonly bytes: Uint8Array,
    public pos = 0,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  u8(): number {
    return this.view.getUint8(this.pos++);
  }

  u32(): number {
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  i32(): number {
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }

  big(): bigint {
    const count = this.view.getUint8(this.pos++);
    if (count === 0) return 0n;
    if (count === 1) {
      const v = this.view.getBigUint64(this.pos, true);
      this.pos += 8;
      return v;
    }
    // From the top limb down: no shift of a zero start.
    let i = count - 1;
    let v = this.view.getBigUint64(this.pos + 8 * i, true);
    while (--i >= 0) v = (v << 64n) | this.view.getBigUint64(this.pos + 8 * i, true);
    this.pos += 8 * count;
    return v;
  }

  /** The number of 64-bit limbs of the bigint at the position (what `big` would read), without reading it. */
  bigLimbs(): number {
    return this.view.getUint8(this.pos);
  }

  /**
   * What `big` reads, as little-endian 32-bit words into `out` (zero above the value), for a caller
   * that makes the BigInt itself or finds it made already. The value must fit `out`.
   */
  bigWords(out: Uint32Array): void {
    const count = this.view.getUint8(this.pos++);
    const words = 2 * count;
    if (words > out.length) throw new RangeError("ByteReader.bigWords: wider than the output");
    for (let i = 0; i < words; i++) out[i] = this.view.getUint32(this.pos + 4 * i, true);
    out.fill(0, words);
    this.pos += 8 * count;
  }

  /** What ByteWriter.bigs wrote. */
  bigs(): bigint[] {
    const values: bigint[] = new Array(this.u32());
    for (let i = 0; i < values.length; i++) values[i] = this.big();
    return values;
  }

  skipBig(): void {
    this.pos += 1 + 8 * this.view.getUint8(this.pos);
  }

  /** A copy: the source may be a reused shared buffer. */
  raw(): Uint8Array {
    const len = this.u32();
    const out = this.bytes.slice(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  /** What `raw` reads, as a view of the source instead of a copy (for a source that never changes). */
  rawView(): Uint8Array {
    const len = this.u32();
    const out = this.bytes.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  skipRaw(): void {
    const len = this.u32();
    this.pos += len;
  }
}
