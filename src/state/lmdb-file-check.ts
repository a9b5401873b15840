// Checks an LMDB environment's data file before LMDB maps it. LMDB trusts its file: a damaged meta
// page makes it read wild page numbers (a segfault), a file shorter than its newest commit makes
// reads past the end of the map (a bus error). Both kill the process with no message, so the node
// reads the two meta pages itself first and refuses a file they do not describe.
//
// The file's first two pages are meta pages (lmdb-js's LMDB 0.9.90, 64-bit; see MDB_page_header and
// MDB_meta in its mdb.c): a 24-byte page header (page number 8, txnid 8, pad 2, flags 2, bounds 4),
// then magic (4), version (4), fixed address (8), map size (8), the free and main databases' records
// (48 bytes each; the free one's first 4 bytes hold the page size), the last used page number (8),
// and the id of the transaction that wrote the page (8). Commits alternate between the two pages;
// the one with the higher transaction id is the newest. A database record ends with its root page (8).
//
// The file may be shorter than the newest commit's last page: a page allocated and freed in one
// transaction is never written, and LMDB allows that when the free list holds every page past the
// end. Only a page in use past the end is truncation.
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { FreeListUnreadable, forEachFreePage } from "./lmdb-free-list.js";
import { StoreDamagedError } from "./store-errors.js";

export const LMDB_DATA_FILE = "data.mdb";

const PAGE_HEADER_BYTES = 24;
const P_META = 0x08;
const MDB_MAGIC = 0xbeefc0de;
const MDB_DATA_VERSION = 2;
/** LMDB's smallest and largest page sizes (MIN_PAGESIZE, MAX_PAGESIZE). */
const MIN_PAGE_SIZE = 512;
const MAX_PAGE_SIZE = 0x10000;
/** More missing pages than this is truncation without reading the free list. */
const MAX_FREE_PAGES_PAST_END = 1 << 20;
/** Offsets inside the meta record (after the page header). */
const META = { magic: 0, version: 4, pageSize: 24, freeRoot: 64, lastPage: 120, txnId: 128, end: 136 } as const;

export interface LmdbMeta {
  pageSize: number;
  lastPage: bigint;
  txnId: bigint;
  /** The free database's root page (NO_PAGE when it is empty). */
  freeRoot: bigint;
}

export type LmdbFileState =
  /** No data file: LMDB would create an empty environment. */
  | { kind: "absent" }
  /** A data file of 0 bytes: LMDB would start it over as a new environment. */
  | { kind: "empty" }
  /** Both meta pages are valid and the file holds every page the newest one uses. */
  | {
      kind: "ok";
      fileBytes: number;
      newest: LmdbMeta;
      /** Pages past the end, all on the free list. */
      freePagesPastEnd: number;
    };

/** Reads the meta pages of `<dir>/data.mdb` and checks them against the file's size; throws StoreDamagedError. */
export function checkLmdbFile(dir: string): LmdbFileState {
  const path = join(dir, LMDB_DATA_FILE);
  let fileBytes: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new StoreDamagedError(path, "it is not a regular file");
    fileBytes = stat.size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { kind: "absent" };
    throw e;
  }
  if (fileBytes === 0) return { kind: "empty" };
  const fd = openSync(path, "r");
  try {
    // The second meta page starts one page in: the first one's record gives the page size.
    const first = parseMeta(readAt(fd, 0, PAGE_HEADER_BYTES + META.end), 0n, path);
    const second = parseMeta(readAt(fd, first.pageSize, PAGE_HEADER_BYTES + META.end), 1n, path);
    if (second.pageSize !== first.pageSize) {
      throw new StoreDamagedError(
        path,
        `its meta pages disagree on the page size (${first.pageSize}, ${second.pageSize})`,
      );
    }
    const newest = second.txnId > first.txnId ? second : first;
    const freePagesPastEnd = checkPagesPastEnd(fd, fileBytes, newest, path);
    return { kind: "ok", fileBytes, newest, freePagesPastEnd };
  } finally {
    closeSync(fd);
  }
}

/** Pages past the end of the file that the newest commit counts: all must be free; returns how many. */
function checkPagesPastEnd(fd: number, fileBytes: number, newest: LmdbMeta, path: string): number {
  const { pageSize, lastPage, txnId } = newest;
  const needed = (lastPage + 1n) * BigInt(pageSize);
  if (BigInt(fileBytes) >= needed) return 0;
  const truncated = (detail: string) =>
    new StoreDamagedError(
      path,
      `the file is ${fileBytes} bytes, but its last commit (transaction ${txnId}) uses ${needed} (truncated: ${detail})`,
    );
  const pagesInFile = Math.floor(fileBytes / pageSize);
  const pastEnd = Number(lastPage) + 1 - pagesInFile;
  // A healthy file lacks at most a transaction's worth of freed pages; far more is truncation.
  if (pastEnd > MAX_FREE_PAGES_PAST_END) throw truncated(`${pastEnd} pages are missing`);
  const missing = new Uint8Array(pastEnd);
  const readPages = (pageNumber: number, pages: number) =>
    pageNumber + pages <= pagesInFile ? readAt(fd, pageNumber * pageSize, pages * pageSize) : undefined;
  try {
    forEachFreePage(readPages, newest.freeRoot, Number(lastPage) + 1, (firstPage, count) => {
      for (let page = Math.max(firstPage, pagesInFile); page < firstPage + count; page++)
        missing[page - pagesInFile] = 1;
    });
  } catch (e) {
    if (!(e instanceof FreeListUnreadable)) throw e;
    throw e.pastEnd ? truncated(e.reason) : new StoreDamagedError(path, e.reason);
  }
  const used = missing.indexOf(0);
  if (used >= 0) throw truncated(`page ${pagesInFile + used} is past the end and not free`);
  return pastEnd;
}

/** `bytes` bytes at `offset` (fewer where the file ends first). */
function readAt(fd: number, offset: number, bytes: number): Buffer {
  const buf = Buffer.alloc(bytes);
  const read = readSync(fd, buf, 0, bytes, offset);
  return buf.subarray(0, read);
}

function parseMeta(page: Buffer, pageNumber: bigint, path: string): LmdbMeta {
  const where = `meta page ${pageNumber}`;
  if (page.length < PAGE_HEADER_BYTES + META.end) {
    throw new StoreDamagedError(path, `${where} is cut off (the file is too short to hold it)`);
  }
  const flags = page.readUInt16LE(18);
  const meta = PAGE_HEADER_BYTES;
  const magic = page.readUInt32LE(meta + META.magic);
  if ((flags & P_META) === 0 || page.readBigUInt64LE(0) !== pageNumber || magic !== MDB_MAGIC) {
    const zero = page.every((b) => b === 0);
    throw new StoreDamagedError(path, `${where} is ${zero ? "zeroed" : "overwritten"} (not an LMDB meta page)`);
  }
  const version = page.readUInt32LE(meta + META.version) & 0xffff;
  if (version !== MDB_DATA_VERSION) {
    throw new StoreDamagedError(path, `${where} has LMDB data version ${version}, not ${MDB_DATA_VERSION}`);
  }
  const pageSize = page.readUInt32LE(meta + META.pageSize);
  if (pageSize < MIN_PAGE_SIZE || pageSize > MAX_PAGE_SIZE || (pageSize & (pageSize - 1)) !== 0) {
    throw new StoreDamagedError(path, `${where} has an impossible page size ${pageSize}`);
  }
  const lastPage = page.readBigUInt64LE(meta + META.lastPage);
  if (lastPage < 1n) throw new StoreDamagedError(path, `${where} has an impossible last page ${lastPage}`);
  return {
    pageSize,
    lastPage,
    txnId: page.readBigUInt64LE(meta + META.txnId),
    freeRoot: page.readBigUInt64LE(meta + META.freeRoot),
  };
}
