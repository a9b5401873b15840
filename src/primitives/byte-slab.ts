// Short-lived byte strings cut from shared slabs. `new Uint8Array(n)` above 64 bytes gets a backing
// store of its own outside V8's heap: measured 300-1,200 ns each for 65-532 bytes, against 70-200 ns
// for a view of a slab, and each such buffer later costs lmdb-js a native call for its address. For
// what lives until a commit is written (trie nodes, encodings hashed once): a view keeps its whole
// slab alive, so nothing kept long-term should come from here.

const SLAB_BYTES = 64 * 1024;
/** Larger strings get a buffer of their own. */
const MAX_SLAB_STRING = 4096;

let slab = new Uint8Array(SLAB_BYTES);
let used = 0;

/** `n` zeroed bytes, a view of a shared slab where small. */
export function slabBytes(n: number): Uint8Array {
  if (n > MAX_SLAB_STRING) return new Uint8Array(n);
  if (used + n > SLAB_BYTES) {
    slab = new Uint8Array(SLAB_BYTES);
    used = 0;
  }
  const out = slab.subarray(used, used + n);
  used += n;
  return out;
}
