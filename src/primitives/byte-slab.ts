// Byte strings cut from shared slabs. `new Uint8Array(n)` above 64 bytes gets a backing store of its
// own outside V8's heap: measured 300-1,200 ns each for 65-532 bytes, against 70-200 ns for a view of
// a slab, and each such buffer later costs lmdb-js a native call for its address. A view keeps its
// whole slab alive, so a slab is for strings that are dropped together: each kind of lifetime has
// its own (`slabBytes`: what lives until a commit is written, trie nodes and encodings hashed once;
// nothing kept long-term should come from there).

export class ByteSlab {
  private slab: Uint8Array;
  private used = 0;

  /** Slabs of `slabSize` bytes; strings longer than `maxString` get a buffer of their own. */
  constructor(
    private readonly slabSize: number,
    private readonly maxString: number,
  ) {
    this.slab = new Uint8Array(slabSize);
  }

  /** `n` zeroed bytes, a view of the current slab where small. */
  bytes(n: number): Uint8Array {
    if (n > this.maxString) return new Uint8Array(n);
    if (this.used + n > this.slabSize) {
      this.slab = new Uint8Array(this.slabSize);
      this.used = 0;
    }
    const out = this.slab.subarray(this.used, this.used + n);
    this.used += n;
    return out;
  }
}

const shared = new ByteSlab(64 * 1024, 4096);

/** `n` zeroed bytes from the slab of strings that live until a commit is written. */
export function slabBytes(n: number): Uint8Array {
  return shared.bytes(n);
}
