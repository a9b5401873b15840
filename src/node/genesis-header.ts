// A geth-style genesis.json read in chunks by a byte scanner (strings and nesting tracked, nothing
// decoded but what is asked for), so that a genesis of millions of accounts (hundreds of MB of JSON)
// is never held whole: the top level without its "alloc" is a small JSON object, and each alloc
// entry is handed over on its own (its address key and its value's JSON text) as it is read.
import { closeSync, openSync, readSync } from "node:fs";
import { GenesisError } from "../chain/errors.js";

const CHUNK = 1 << 20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;

/** Called with each alloc entry: its key as written and its value's JSON text (UTF-8 bytes). */
export type AllocEntryVisitor = (key: string, valueJson: Buffer) => void;

// Where the scanner is within an alloc entry.
const AT_KEY = 0;
const AT_COLON = 1;
const AT_VALUE = 2;
const IN_OBJECT_VALUE = 3;
const IN_SCALAR_VALUE = 4;

/** The JSON text of the file at `path` with its top-level "alloc" value replaced by {}. */
export function genesisWithoutAlloc(path: string): string {
  return scanGenesisFile(path);
}

/**
 * Scans the genesis file at `path` once: hands each entry of the top-level "alloc" object to
 * `visit` (when given), in file order, and returns the file's JSON text with that object replaced
 * by {}. A file that ends inside its JSON, or an alloc that is not an object of `"key": value`
 * pairs, is a GenesisError naming where.
 */
export function scanGenesisFile(path: string, visit?: AllocEntryVisitor): string {
  if (visit !== undefined) return scan(path, visit, false);
  try {
    return scan(path, undefined, true);
  } catch (e) {
    // The skip does not follow the entries: scanned again, the error names where it is.
    if (e instanceof GenesisError) return scan(path, undefined, false);
    throw e;
  }
}

/**
 * scanGenesisFile; with `skipAlloc` the alloc's text is passed over by nesting and strings alone (no
 * visitor: a header's pass over hundreds of MB), its entries not checked: a bad one is found by the
 * pass that reads them.
 */
function scan(path: string, visit: AllocEntryVisitor | undefined, skipAlloc: boolean): string {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    throw new Error(`cannot read genesis file ${path}: ${(e as Error).message}`);
  }
  const kept: Buffer[] = [];
  try {
    const buf = Buffer.alloc(CHUNK);
    const skip: SkipState = { depth: 0, inString: false, escaped: false };
    let depth = 0;
    let inString = false;
    let escaped = false;
    // The key being read (a top-level key, or an alloc entry's): where it starts in this chunk (-1:
    // no key is being read) and its bytes from earlier chunks. Then the last top-level key.
    let keyFrom = -1;
    let keyParts: Buffer[] = [];
    let lastKey = "";
    let awaitingAllocValue = false;
    /** Inside the top-level alloc object (its entries are at depth 2). */
    let inAlloc = false;
    let entry: number = AT_KEY;
    let entryKey = "";
    let entries = 0;
    /** The current entry value's bytes from earlier chunks, and where it starts in this one (-1: none). */
    let valueParts: Buffer[] = [];
    let valueFrom = -1;
    const emit = (chunk: Buffer, end: number) => {
      // Decoded only for a visitor: the header's pass skips the alloc's hundreds of MB of text.
      if (visit !== undefined) {
        valueParts.push(chunk.subarray(valueFrom, end));
        visit(entryKey, valueParts.length === 1 ? valueParts[0]! : Buffer.concat(valueParts));
      }
      valueParts = [];
      valueFrom = -1;
      entry = AT_KEY;
      entries++;
      doneKey = entryKey;
    };
    /** The key of the last entry handed over. */
    let doneKey = "";
    const bad = (what: string) => {
      let where = entries === 0 ? "alloc" : `alloc after entry ${entries} (${doneKey})`;
      if (entry !== AT_KEY) where = `alloc[${entryKey}] (entry ${entries + 1})`;
      return new GenesisError(`${where}: ${what}`);
    };
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      let keepFrom = inAlloc ? -1 : 0;
      if (valueFrom === -2) valueFrom = 0; // a value that continues from the last chunk
      for (let i = 0; i < n; i++) {
        if (skipAlloc && inAlloc) {
          skip.depth = depth;
          skip.inString = inString;
          skip.escaped = escaped;
          i = skipNested(buf, i, n, skip, 1);
          ({ depth, inString, escaped } = skip);
          if (i < n) {
            inAlloc = false;
            keepFrom = i;
          }
          continue;
        }
        if (inAlloc && entry === IN_OBJECT_VALUE) {
          // An entry's value: to its closing bracket, by nesting and strings alone (the parser checks it).
          skip.depth = depth;
          skip.inString = inString;
          skip.escaped = escaped;
          i = skipNested(buf, i, n, skip, 2);
          ({ depth, inString, escaped } = skip);
          if (i < n) emit(buf, i + 1);
          continue;
        }
        if (inString && !escaped) {
          // A string's plain bytes need no look: skip to its next quote or backslash (a loop: the
          // strings are short, and a native indexOf per string costs more than the bytes it skips).
          let j = i;
          while (j < n) {
            const c = buf[j]!;
            if (c === QUOTE || c === BACKSLASH) break;
            j++;
          }
          if (j > i) {
            i = j - 1;
            continue;
          }
        }
        const b = buf[i]!;
        if (inString) {
          if (escaped) escaped = false;
          else if (b === BACKSLASH) escaped = true;
          else if (b === QUOTE) {
            inString = false;
            if (keyFrom >= 0) {
              const text = keyText(buf, keyFrom, i, keyParts);
              keyParts = [];
              if (inAlloc) {
                entryKey = text;
                entry = AT_COLON;
              } else lastKey = text;
            }
            keyFrom = -1;
          }
          continue;
        }
        if (inAlloc && depth === 2) {
          // Between and within the alloc's entries.
          const space = b <= 0x20;
          if (entry === AT_KEY) {
            if (b === QUOTE) {
              inString = true;
              keyFrom = i + 1;
            } else if (b === CLOSE_OBJECT) {
              inAlloc = false;
              depth--;
              keepFrom = i;
            } else if (!space && !(b === COMMA && entries > 0))
              throw bad(`expected an address key, got '${String.fromCharCode(b)}'`);
            continue;
          }
          if (entry === AT_COLON) {
            if (b === COLON) entry = AT_VALUE;
            else if (!space) throw bad("expected ':' after the key");
            continue;
          }
          if (entry === AT_VALUE) {
            if (space) continue;
            valueFrom = i;
            if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
              entry = IN_OBJECT_VALUE;
              depth++;
            } else {
              entry = IN_SCALAR_VALUE;
              if (b === QUOTE) inString = true;
            }
            continue;
          }
          if (entry === IN_SCALAR_VALUE && (b === COMMA || b === CLOSE_OBJECT)) {
            emit(buf, i);
            if (b === CLOSE_OBJECT) {
              inAlloc = false;
              depth--;
              keepFrom = i;
            }
            continue;
          }
          if (entry === IN_SCALAR_VALUE && b === QUOTE) inString = true;
          continue;
        }
        if (b === QUOTE) {
          inString = true;
          if (depth === 1) keyFrom = i + 1;
          continue;
        }
        if (depth === 1 && b === COLON && lastKey === "alloc") awaitingAllocValue = true;
        else if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
          depth++;
          if (awaitingAllocValue && depth === 2) {
            awaitingAllocValue = false;
            if (b === OPEN_ARRAY) throw new GenesisError("alloc: expected an object keyed by address");
            inAlloc = true;
            entry = AT_KEY;
            kept.push(Buffer.from(buf.subarray(keepFrom, i + 1)));
            keepFrom = -1;
          }
        } else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
          depth--;
          if (inAlloc && depth === 2 && entry === IN_OBJECT_VALUE) emit(buf, i + 1);
        } else if (b > 0x20 && depth === 1) {
          awaitingAllocValue = false; // a scalar alloc (null): kept as it is
        }
      }
      if (keepFrom >= 0) kept.push(Buffer.from(buf.subarray(keepFrom, n)));
      if (keyFrom >= 0) {
        keyParts.push(Buffer.from(buf.subarray(keyFrom, n)));
        keyFrom = 0; // the key goes on from the next chunk's start
      }
      if (valueFrom >= 0) {
        if (visit !== undefined) valueParts.push(Buffer.from(buf.subarray(valueFrom, n)));
        valueFrom = -2;
      }
    }
    if (depth !== 0 || inString) {
      throw inAlloc
        ? bad("the file ends inside alloc (truncated?)")
        : new GenesisError("the file ends before its JSON does (truncated?)");
    }
  } finally {
    closeSync(fd);
  }
  return Buffer.concat(kept).toString("utf8");
}

interface SkipState {
  depth: number;
  inString: boolean;
  escaped: boolean;
}

/**
 * Passes over buf[i, n) by nesting and strings alone, up to the bracket that brings `depth` back
 * to `until` (its index is returned) or the end (n); `state` is carried in and out. A function of its
 * own, so that this loop over hundreds of MB is optimized on its own.
 */
function skipNested(buf: Buffer, i: number, n: number, state: SkipState, until: number): number {
  let { depth, inString, escaped } = state;
  for (; i < n; i++) {
    if (inString) {
      if (escaped) {
        escaped = false;
        continue;
      }
      // To the string's next quote natively; it is escaped where an odd run of backslashes ends there.
      const q = buf.indexOf(QUOTE, i);
      const end = q < 0 || q >= n ? n : q;
      let backslashes = 0;
      while (end - backslashes - 1 >= i && buf[end - backslashes - 1] === BACKSLASH) backslashes++;
      if (end === n) {
        escaped = (backslashes & 1) === 1;
        i = n;
        break;
      }
      i = end;
      if ((backslashes & 1) === 0) inString = false;
      continue;
    }
    const c = buf[i]!;
    if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
    else if ((c === CLOSE_OBJECT || c === CLOSE_ARRAY) && --depth === until) break;
  }
  state.depth = depth;
  state.inString = inString;
  state.escaped = escaped;
  return i;
}

/** A key's text: its bytes from earlier chunks (`parts`), then `buf[from, to)`. */
function keyText(buf: Buffer, from: number, to: number, parts: Buffer[]): string {
  if (parts.length === 0) return buf.toString("utf8", from, to);
  parts.push(buf.subarray(from, to));
  return Buffer.concat(parts).toString("utf8");
}
