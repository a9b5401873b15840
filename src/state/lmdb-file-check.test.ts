import assert from "node:assert/strict";
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { open } from "lmdb";
import { checkLmdbFile, LMDB_DATA_FILE } from "./lmdb-file-check.js";
import { forEachFreePage, NO_PAGE, type ReadPages } from "./lmdb-free-list.js";
import { prng } from "./random-writes.js";
import { StoreDamagedError } from "./store-errors.js";

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Reads whole pages of a closed environment's data file. */
function withPages<T>(dir: string, use: (read: ReadPages, pageSize: number, lastPage: number) => T): T {
  const state = checkLmdbFile(dir);
  assert.equal(state.kind, "ok");
  const { pageSize, lastPage } = state.newest;
  const path = join(dir, LMDB_DATA_FILE);
  const pagesInFile = Math.floor(statSync(path).size / pageSize);
  const fd = openSync(path, "r");
  try {
    const read: ReadPages = (page, count) => {
      if (page + count > pagesInFile) return undefined;
      const buf = Buffer.alloc(count * pageSize);
      readSync(fd, buf, 0, buf.length, page * pageSize);
      return buf;
    };
    return use(read, pageSize, Number(lastPage));
  } finally {
    closeSync(fd);
  }
}

function freePages(dir: string): Set<number> {
  return withPages(dir, (read, _, lastPage) => {
    const state = checkLmdbFile(dir);
    assert.equal(state.kind, "ok");
    const free = new Set<number>();
    forEachFreePage(read, state.newest.freeRoot, lastPage + 1, (first, count) => {
      for (let page = first; page < first + count; page++) {
        assert.ok(!free.has(page), `page ${page} is listed free twice`);
        free.add(page);
      }
    });
    return free;
  });
}

/**
 * Every page the newest commit's trees reach (the free database, the main one and the named ones
 * in it, overflow pages), walked here independently of lmdb-free-list.ts.
 */
function reachablePages(dir: string): Set<number> {
  return withPages(dir, (read, pageSize) => {
    const metas = [read(0, 1), read(1, 1)].map((page) => page!.subarray(24));
    const meta = metas[0]!.readBigUInt64LE(128) > metas[1]!.readBigUInt64LE(128) ? metas[0]! : metas[1]!;
    const reached = new Set<number>();
    const reach = (page: number) => {
      assert.ok(!reached.has(page), `page ${page} is reached twice`);
      reached.add(page);
    };
    const walk = (root: bigint, named: boolean) => {
      if (root === NO_PAGE) return;
      const stack = [Number(root)];
      for (let pageNumber = stack.pop(); pageNumber !== undefined; pageNumber = stack.pop()) {
        reach(pageNumber);
        const page = read(pageNumber, 1)!;
        const flags = page.readUInt16LE(18);
        for (let i = 0; i < page.readUInt16LE(20) >> 1; i++) {
          const at = 24 + page.readUInt16LE(24 + 2 * i);
          const [lo, hi, nodeFlags, keySize] = [0, 2, 4, 6].map((o) => page.readUInt16LE(at + o)) as [
            number,
            number,
            number,
            number,
          ];
          const data = at + 8 + keySize;
          if (flags & 1) stack.push(lo + hi * 0x10000 + nodeFlags * 0x1_0000_0000);
          else if (nodeFlags & 1) {
            const first = Number(page.readBigUInt64LE(data));
            const span = Math.floor((23 + lo + hi * 0x10000) / pageSize) + 1;
            for (let p = first; p < first + span; p++) reach(p);
          } else if (named && nodeFlags & 2) walk(page.readBigUInt64LE(data + 40), false);
        }
      }
    };
    walk(meta.readBigUInt64LE(64), false);
    walk(meta.readBigUInt64LE(112), true);
    return reached;
  });
}

interface Env {
  dir: string;
  /** What the named database holds after the last commit. */
  entries: Map<string, string>;
  lastPage: number;
  /** How many of the last pages are free (at least one). */
  freeTail: number;
}

/** Random commits into a named database until the newest commit's last pages are free. */
async function envWithFreeTail(seed: number): Promise<Env> {
  const dir = mkdtempSync(join(tmpdir(), "weft-lmdb-check-"));
  dirs.push(dir);
  const random = prng(seed);
  const entries = new Map<string, string>();
  for (let commit = 0; commit < 200; commit++) {
    const env = open({ path: dir });
    const db = env.openDB<string, string>({ name: "a" });
    env.transactionSync(() => {
      for (let i = Math.floor(random() * 300); i >= 0; i--) {
        const key = `k${Math.floor(random() * 3000)}`;
        if (random() < 0.3) {
          db.removeSync(key);
          entries.delete(key);
        } else {
          const value = "v".repeat(Math.floor(random() * 400));
          db.putSync(key, value);
          entries.set(key, value);
        }
      }
    });
    await env.close();
    const free = freePages(dir);
    const lastPage = withPages(dir, (_, __, last) => last);
    let freeTail = 0;
    while (free.has(lastPage - freeTail)) freeTail++;
    if (commit >= 5 && freeTail > 0) return { dir, entries, lastPage, freeTail };
  }
  throw new Error(`seed ${seed}: no commit ended with a free page`);
}

function dataFile(env: Env): string {
  return join(env.dir, LMDB_DATA_FILE);
}

test("the free list read from the file is exactly the pages no tree of the newest commit reaches", async () => {
  for (const seed of [1, 2, 3]) {
    const env = await envWithFreeTail(seed);
    const free = freePages(env.dir);
    const reached = reachablePages(env.dir);
    for (let page = 2; page <= env.lastPage; page++) {
      assert.ok(
        free.has(page) !== reached.has(page),
        `seed ${seed}: page ${page} free ${free.has(page)}, reached ${reached.has(page)}`,
      );
    }
    assert.equal(free.size + reached.size, env.lastPage - 1, `seed ${seed}: pages 2..${env.lastPage}`);
  }
});

test("a file that lacks only free pages at its end (as LMDB leaves one) is accepted, reads whole and grows", async () => {
  const env = await envWithFreeTail(4);
  const pageSize = withPages(env.dir, (_, size) => size);
  truncateSync(dataFile(env), (env.lastPage + 1 - env.freeTail) * pageSize);
  const state = checkLmdbFile(env.dir);
  assert.equal(state.kind, "ok");
  assert.equal(state.freePagesPastEnd, env.freeTail);

  const lmdb = open({ path: env.dir });
  const db = lmdb.openDB<string, string>({ name: "a" });
  assert.equal(db.getCount(), env.entries.size);
  for (const [key, value] of env.entries) assert.equal(db.get(key), value, key);
  lmdb.transactionSync(() => {
    for (let i = 0; i < 500; i++) db.putSync(`more${i}`, "w".repeat(300));
  });
  await lmdb.close();
  assert.equal(checkLmdbFile(env.dir).kind, "ok");
  const reopened = open({ path: env.dir });
  assert.equal(reopened.openDB<string, string>({ name: "a" }).get("more499"), "w".repeat(300));
  await reopened.close();
});

test("a file that lacks a page in use is refused as truncated", async () => {
  const env = await envWithFreeTail(5);
  const pageSize = withPages(env.dir, (_, size) => size);
  truncateSync(dataFile(env), (env.lastPage - env.freeTail) * pageSize);
  assert.throws(
    () => checkLmdbFile(env.dir),
    (e: unknown) =>
      e instanceof StoreDamagedError &&
      /uses \d+ \(truncated: (page \d+ is past the end and not free|its free list uses page \d+, past the file's end)\)$/.test(
        e.what,
      ),
  );
});
