// Trie nodes a bulk load has built and not yet written, packed into flat buffers: per node, which
// table, its key and its RLP. Held as objects (a key Buffer and an RLP array each, up to 200k per
// batch) they outlived several young-generation collections and were copied and promoted: GC time.
import type { Database } from "lmdb";

type Table = Database<Uint8Array, Uint8Array>;

export class NodeBatch {
  private bytes = new Uint8Array(1 << 16);
  private used = 0;
  /** Per node: where its key ends, then where its RLP ends, in `bytes`. */
  private ends = new Uint32Array(2 * 1024);
  private tableIndices = new Uint8Array(1024);
  count = 0;

  /** `tables` are named by their index in `add`. */
  constructor(private readonly tables: readonly Table[]) {}

  add(table: number, key: Uint8Array, rlp: Uint8Array): void {
    if (this.used + key.length + rlp.length > this.bytes.length) {
      this.bytes = grown(this.bytes, Math.max(this.bytes.length * 2, this.used + key.length + rlp.length));
    }
    if (this.count === this.tableIndices.length) {
      this.tableIndices = grown(this.tableIndices, this.count * 2);
      const ends = new Uint32Array(this.count * 4);
      ends.set(this.ends);
      this.ends = ends;
    }
    this.bytes.set(key, this.used);
    this.ends[2 * this.count] = this.used += key.length;
    this.bytes.set(rlp, this.used);
    this.ends[2 * this.count + 1] = this.used += rlp.length;
    this.tableIndices[this.count++] = table;
  }

  /** Puts every node (inside the caller's write transaction) and empties the batch, keeping its buffers. */
  putAll(): void {
    let start = 0;
    for (let i = 0; i < this.count; i++) {
      const keyEnd = this.ends[2 * i]!;
      const end = this.ends[2 * i + 1]!;
      this.tables[this.tableIndices[i]!]!.putSync(this.bytes.subarray(start, keyEnd), this.bytes.subarray(keyEnd, end));
      start = end;
    }
    this.count = 0;
    this.used = 0;
  }
}

function grown(a: Uint8Array, length: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  out.set(a);
  return out;
}
