// A commit's changed trie nodes as one record of the `trie/log` table, and the merging of such
// batches. Most commits write their nodes this way (trie-store.ts): one put of a few megabytes in
// place of thousands of puts scattered over the path tables, each of which made LMDB copy a page.
// The logged batches are merged in memory, and every so many commits the merged nodes go to the path
// tables at once: a node changed by several of those commits (the upper levels, every block) is
// written there once, and the pages are visited once for all of them.
//
// Record layout (little-endian): u32 count of cleared owners, each as u8 length ++ latin1 bytes;
// then u32 count of owners, each as u8 length ++ bytes ++ u32 count of nodes, each node as its path
// id (u8 0 ++ f64 number, or u8 1 ++ u8 length ++ latin1 string) ++ i32 length (-1: deleted) ++ RLP.
import type { NodeBatch, PathId } from "./trie-store.js";

export function emptyBatch(): NodeBatch {
  return { nodes: new Map(), cleared: new Set() };
}

/** Whether a batch names no path and clears no storage trie (its commit writes no log record). */
export function isEmptyBatch(batch: NodeBatch): boolean {
  return batch.cleared.size === 0 && batchPaths(batch) === 0;
}

/** The paths a batch names (written or deleted). */
export function batchPaths(batch: NodeBatch): number {
  let n = 0;
  for (const staged of batch.nodes.values()) n += staged.size;
  return n;
}

/**
 * Folds `later` (a batch committed after what `into` holds) into `into`: a storage trie `later`
 * cleared loses what `into` held of it and stays cleared below `later`'s own nodes. `later`'s maps
 * are taken over where `into` has none for their trie, so `later` is not to be used after.
 */
export function mergeBatch(into: NodeBatch, later: NodeBatch): void {
  for (const owner of later.cleared) {
    into.nodes.delete(owner);
    into.cleared.add(owner);
  }
  for (const [owner, staged] of later.nodes) {
    const held = into.nodes.get(owner);
    if (held === undefined) into.nodes.set(owner, staged);
    else for (const [path, rlp] of staged) held.set(path, rlp);
  }
}

/** `batch` as one log record. */
export function encodeNodeLog(batch: NodeBatch): Buffer {
  let size = 8;
  for (const owner of batch.cleared) size += 1 + owner.length;
  for (const [owner, staged] of batch.nodes) {
    size += 5 + owner.length;
    for (const [path, rlp] of staged) size += (typeof path === "number" ? 9 : 2 + path.length) + 4 + (rlp?.length ?? 0);
  }
  const out = Buffer.allocUnsafe(size);
  let at = out.writeUInt32LE(batch.cleared.size, 0);
  for (const owner of batch.cleared) at = writeShortString(out, at, owner);
  at = out.writeUInt32LE(batch.nodes.size, at);
  for (const [owner, staged] of batch.nodes) {
    at = writeShortString(out, at, owner);
    at = out.writeUInt32LE(staged.size, at);
    for (const [path, rlp] of staged) {
      if (typeof path === "number") {
        out[at] = 0;
        at = out.writeDoubleLE(path, at + 1);
      } else {
        out[at] = 1;
        at = writeShortString(out, at + 1, path);
      }
      if (rlp === null) at = out.writeInt32LE(-1, at);
      else {
        at = out.writeInt32LE(rlp.length, at);
        out.set(rlp, at);
        at += rlp.length;
      }
    }
  }
  return out;
}

/** A log record back as a batch; its nodes are views into `record` (kept, never written to). */
export function decodeNodeLog(record: Buffer): NodeBatch {
  const batch = emptyBatch();
  let at = 0;
  const readString = (): string => {
    const n = record[at]!;
    const s = record.toString("latin1", at + 1, at + 1 + n);
    at += 1 + n;
    return s;
  };
  const cleared = record.readUInt32LE(at);
  at += 4;
  for (let i = 0; i < cleared; i++) batch.cleared.add(readString());
  const owners = record.readUInt32LE(at);
  at += 4;
  for (let i = 0; i < owners; i++) {
    const owner = readString();
    const count = record.readUInt32LE(at);
    at += 4;
    const staged = new Map<PathId, Uint8Array | null>();
    for (let j = 0; j < count; j++) {
      let path: PathId;
      if (record[at++] === 0) {
        path = record.readDoubleLE(at);
        at += 8;
      } else path = readString();
      const length = record.readInt32LE(at);
      at += 4;
      if (length < 0) staged.set(path, null);
      else {
        staged.set(path, new Uint8Array(record.buffer, record.byteOffset + at, length));
        at += length;
      }
    }
    batch.nodes.set(owner, staged);
  }
  if (at !== record.length) throw new Error("a trie log record does not decode (the store is damaged)");
  return batch;
}

function writeShortString(out: Buffer, at: number, s: string): number {
  out[at] = s.length;
  return at + 1 + out.write(s, at + 1, "latin1");
}
