// A genesis load cut short (a kill, a bad entry in a --genesis file) must not leave a store that holds
// state but no chain. A marker file sits in the store's folder from before the load's first write
// until block 0 is committed; an open that finds it discards the store's files and loads again.
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LMDB_DATA_FILE } from "../state/lmdb-file-check.js";

const MARKER = "genesis-loading";
const LMDB_LOCK_FILE = "lock.mdb";

export function beginGenesisLoad(storePath: string): void {
  writeFileSync(join(storePath, MARKER), "");
}

/** After block 0's commit (durable when it returns). */
export function endGenesisLoad(storePath: string): void {
  rmSync(join(storePath, MARKER), { force: true });
}

/** Removes the store of a genesis load cut short (before it is opened); true where there was one. */
export function discardInterruptedGenesisLoad(storePath: string): boolean {
  const marker = join(storePath, MARKER);
  if (!existsSync(marker)) return false;
  for (const file of [LMDB_DATA_FILE, LMDB_LOCK_FILE]) rmSync(join(storePath, file), { force: true });
  rmSync(marker);
  return true;
}
