// The pages an LMDB environment's free list holds, read from its data file without LMDB. LMDB
// allows a file shorter than its newest commit's last page when the free list holds every page past
// the end (mdb.c, MDB_meta.mm_last_pg): a page allocated and freed in one transaction is never
// written. lmdb-file-check.ts uses this to tell such a file from a truncated one.
//
// Layout (lmdb-js's LMDB 0.9.90, 64-bit, mdb.c): a page is a 24-byte header (page number 8, txnid 8,
// pad 2, flags 2, then lower and upper bounds 2 + 2, or an overflow page's page count 4) and, for
// branch and leaf pages, `lower / 2` node offsets of 2 bytes each (relative to the header's end).
// A node is lo 2, hi 2, flags 2, key size 2, then the key and, on a leaf, the data. A branch node's
// child page is lo | hi << 16 | flags << 32; a leaf node's data size is lo | hi << 16, and with
// F_BIGDATA its data is the number of the overflow page that holds it (after that page's header).
// The free database maps a transaction id to a list of page numbers: its first 8-byte word is the
// count of words after it; each word is 0 (an empty slot), a page number, or a negative run length
// whose next word is the run's first page.

const PAGE_HEADER_BYTES = 24;
const NODE_HEADER_BYTES = 8;
const P_BRANCH = 0x01;
const P_LEAF = 0x02;
const P_OVERFLOW = 0x04;
const F_BIGDATA = 0x01;
/** LMDB's empty tree (P_INVALID). */
export const NO_PAGE = 0xffff_ffff_ffff_ffffn;
/** Deeper than any LMDB tree can be: a cycle or garbage if reached. */
const MAX_DEPTH = 64;

/** Reads page `pageNumber` (`pages` consecutive pages); undefined where the file ends first. */
export type ReadPages = (pageNumber: number, pages: number) => Buffer | undefined;

/** Why the free list could not be read: a page it uses lies past the file's end, or is not what LMDB writes. */
export class FreeListUnreadable extends Error {
  constructor(
    readonly reason: string,
    readonly pastEnd: boolean,
  ) {
    super(reason);
  }
}

/**
 * Calls `onFree(first, count)` for every run of free pages the free database rooted at `root` lists.
 * `pageLimit` bounds page numbers (the meta page's last page + 1). Throws FreeListUnreadable.
 */
export function forEachFreePage(
  readPages: ReadPages,
  root: bigint,
  pageLimit: number,
  onFree: (first: number, count: number) => void,
): void {
  if (root === NO_PAGE) return;
  const pages: Array<{ pageNumber: number; depth: number }> = [{ pageNumber: pageNumberOf(root, pageLimit), depth: 0 }];
  for (let next = pages.pop(); next !== undefined; next = pages.pop()) {
    const { pageNumber, depth } = next;
    if (depth > MAX_DEPTH) throw new FreeListUnreadable("its free list is deeper than any LMDB tree", false);
    const page = readPage(readPages, pageNumber);
    const flags = page.readUInt16LE(18);
    const nodes = page.readUInt16LE(20) >> 1;
    for (let i = 0; i < nodes; i++) {
      const at = PAGE_HEADER_BYTES + page.readUInt16LE(PAGE_HEADER_BYTES + 2 * i);
      if (at + NODE_HEADER_BYTES > page.length) throw bad(pageNumber, "a node lies outside its page");
      const lo = page.readUInt16LE(at);
      const hi = page.readUInt16LE(at + 2);
      const nodeFlags = page.readUInt16LE(at + 4);
      const dataAt = at + NODE_HEADER_BYTES + page.readUInt16LE(at + 6);
      if (flags & P_BRANCH) {
        const child = BigInt(lo) | (BigInt(hi) << 16n) | (BigInt(nodeFlags) << 32n);
        pages.push({ pageNumber: pageNumberOf(child, pageLimit), depth: depth + 1 });
      } else if (flags & P_LEAF) {
        const size = lo | (hi << 16);
        let data: Buffer;
        if (nodeFlags & F_BIGDATA) {
          if (dataAt + 8 > page.length) throw bad(pageNumber, "an overflow reference lies outside its page");
          const overflow = pageNumberOf(page.readBigUInt64LE(dataAt), pageLimit);
          const span = Math.floor((PAGE_HEADER_BYTES - 1 + size) / page.length) + 1;
          const pagesRead = readPage(readPages, overflow, span);
          if ((pagesRead.readUInt16LE(18) & P_OVERFLOW) === 0) throw bad(overflow, "it is not an overflow page");
          data = pagesRead.subarray(PAGE_HEADER_BYTES, PAGE_HEADER_BYTES + size);
        } else {
          if (dataAt + size > page.length) throw bad(pageNumber, "a record lies outside its page");
          data = page.subarray(dataAt, dataAt + size);
        }
        readPageList(data, pageLimit, onFree);
      } else {
        throw bad(pageNumber, `its flags ${flags} are not a branch's or a leaf's`);
      }
    }
  }
}

/** One free-list record: a count, then page numbers, empty slots and runs (see the header). */
function readPageList(data: Buffer, pageLimit: number, onFree: (first: number, count: number) => void): void {
  const words = Math.floor(data.length / 8);
  if (words === 0) return;
  const count = Math.min(Number(data.readBigUInt64LE(0)), words - 1);
  for (let i = 1; i <= count; i++) {
    const word = data.readBigInt64LE(8 * i);
    if (word === 0n) continue;
    if (word > 0n) {
      onFree(pageNumberOf(word, pageLimit), 1);
    } else if (i < count) {
      i++;
      const first = pageNumberOf(data.readBigInt64LE(8 * i), pageLimit);
      const run = -word;
      if (BigInt(first) + run > BigInt(pageLimit))
        throw new FreeListUnreadable("its free list lists a page past its last", false);
      onFree(first, Number(run));
    }
  }
}

function readPage(readPages: ReadPages, pageNumber: number, count = 1): Buffer {
  const page = readPages(pageNumber, count);
  if (page === undefined)
    throw new FreeListUnreadable(`its free list uses page ${pageNumber}, past the file's end`, true);
  if (page.readBigUInt64LE(0) !== BigInt(pageNumber)) throw bad(pageNumber, "its header names another page");
  return page;
}

function pageNumberOf(value: bigint, pageLimit: number): number {
  if (value < 2n || value >= BigInt(pageLimit)) {
    throw new FreeListUnreadable(`its free list names page ${value}, outside the pages in use`, false);
  }
  return Number(value);
}

function bad(pageNumber: number, what: string): FreeListUnreadable {
  return new FreeListUnreadable(`free-list page ${pageNumber} is not what LMDB writes: ${what}`, false);
}
