// Records (table, key, value) a bulk load has built and not yet written, packed into flat buffers:
// per record, which table, its key and its value. Held as objects (a key Buffer and an RLP array
// each, up to 200k trie nodes per batch) they outlived several young-generation collections and were
// copied and promoted: GC time. Packed, a batch also crosses to the writer thread as a few
// transferred buffers (bulk-writer.ts).
import { copyInto } from "../../primitives/rlp.js";

/** A batch's records as handed to a writer: `tables` and `ends` have an entry per record. */
export interface PackedRecords {
  bytes: Uint8Array<ArrayBuffer>;
  /** Per record: where its key ends, then where its value ends, in `bytes`. */
  ends: Uint32Array<ArrayBuffer>;
  /** Per record: its table's index (the writer's numbering). */
  tables: Uint8Array<ArrayBuffer>;
  count: number;
}

export class RecordBatch {
  private bytes = new Uint8Array(1 << 16);
  private used = 0;
  /** Per record: where its key ends, then where its value ends, in `bytes`. */
  private ends = new Uint32Array(2 * 1024);
  private tableIndices = new Uint8Array(1024);
  count = 0;

  add(table: number, key: Uint8Array, value: Uint8Array): void {
    if (this.used + key.length + value.length > this.bytes.length) {
      this.bytes = grown(this.bytes, Math.max(this.bytes.length * 2, this.used + key.length + value.length));
    }
    if (this.count === this.tableIndices.length) {
      this.tableIndices = grown(this.tableIndices, this.count * 2);
      const ends = new Uint32Array(this.count * 4);
      ends.set(this.ends);
      this.ends = ends;
    }
    this.ends[2 * this.count] = this.used = copyInto(this.bytes, this.used, key);
    this.ends[2 * this.count + 1] = this.used = copyInto(this.bytes, this.used, value);
    this.tableIndices[this.count++] = table;
  }

  /**
   * Writes the records so far with `write` (on this thread, at once) and empties the batch, keeping
   * its buffers: a batch of trie nodes is hundreds of MB, and fresh memory is paid for again in page
   * faults as it is first written.
   */
  drain(write: (records: PackedRecords) => void): void {
    write({ bytes: this.bytes, ends: this.ends, tables: this.tableIndices, count: this.count });
    this.count = 0;
    this.used = 0;
  }

  /**
   * Hands over the records so far and starts an empty batch of the same capacity (a load's batches
   * are alike in size), whose buffers the caller may transfer to another thread.
   */
  take(): PackedRecords {
    const records = { bytes: this.bytes, ends: this.ends, tables: this.tableIndices, count: this.count };
    this.bytes = new Uint8Array(this.bytes.length);
    this.ends = new Uint32Array(this.ends.length);
    this.tableIndices = new Uint8Array(this.tableIndices.length);
    this.count = 0;
    this.used = 0;
    return records;
  }
}

/** Calls `put` with each record of `records`, in the order added (keys and values are views of its buffer). */
export function forEachRecord(
  records: PackedRecords,
  put: (table: number, key: Uint8Array, value: Uint8Array) => void,
): void {
  let start = 0;
  for (let i = 0; i < records.count; i++) {
    const keyEnd = records.ends[2 * i]!;
    const end = records.ends[2 * i + 1]!;
    put(records.tables[i]!, records.bytes.subarray(start, keyEnd), records.bytes.subarray(keyEnd, end));
    start = end;
  }
}

function grown(a: Uint8Array, length: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  out.set(a);
  return out;
}
