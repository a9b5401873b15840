// A kept chain's genesis.json without its allocation: on a restart the accounts are already in the
// store, and a genesis of a million accounts is hundreds of MB of JSON. The file is read in chunks
// and the value of the top-level "alloc" is skipped by a byte scanner (strings and nesting
// tracked, nothing decoded); what is left is a small JSON object.
import { closeSync, openSync, readSync } from "node:fs";

const CHUNK = 1 << 20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = new Set([0x7b, 0x5b]); // { [
const CLOSE = new Set([0x7d, 0x5d]); // } ]

/** The JSON text of the file at `path` with its top-level "alloc" value replaced by {}. */
export function genesisWithoutAlloc(path: string): string {
  const fd = openSync(path, "r");
  const kept: Buffer[] = [];
  try {
    const buf = Buffer.alloc(CHUNK);
    let depth = 0;
    let inString = false;
    let escaped = false;
    /** The bytes of the string being read at depth 1 (a key), and the last such string. */
    let key: number[] | undefined;
    let lastKey = "";
    /** Depth at which the skipped alloc value started (0: not skipping). */
    let skipFrom = 0;
    let awaitingAllocValue = false;
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      let keepFrom = skipFrom > 0 ? -1 : 0;
      for (let i = 0; i < n; i++) {
        const b = buf[i]!;
        if (inString) {
          if (escaped) escaped = false;
          else if (b === BACKSLASH) escaped = true;
          else if (b === QUOTE) {
            inString = false;
            if (key !== undefined) lastKey = Buffer.from(key).toString("utf8");
            key = undefined;
          } else key?.push(b);
          continue;
        }
        if (b === QUOTE) {
          inString = true;
          if (depth === 1 && skipFrom === 0) key = [];
          continue;
        }
        if (depth === 1 && b === 0x3a && lastKey === "alloc")
          awaitingAllocValue = true; // ':'
        else if (OPEN.has(b)) {
          depth++;
          if (awaitingAllocValue && depth === 2) {
            awaitingAllocValue = false;
            skipFrom = depth;
            kept.push(Buffer.from(buf.subarray(keepFrom, i + 1)));
            keepFrom = -1;
          }
        } else if (CLOSE.has(b)) {
          if (skipFrom > 0 && depth === skipFrom) {
            skipFrom = 0;
            keepFrom = i;
          }
          depth--;
        } else if (b > 0x20 && depth === 1) {
          awaitingAllocValue = false; // a scalar alloc (null): kept as it is
        }
      }
      if (keepFrom >= 0) kept.push(Buffer.from(buf.subarray(keepFrom, n)));
    }
  } finally {
    closeSync(fd);
  }
  return Buffer.concat(kept).toString("utf8");
}
