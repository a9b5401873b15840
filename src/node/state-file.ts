// State files (--state, --load-state, --dump-state): anvil's dump JSON (src/chain/snapshot.ts) on
// disk, so a file anvil wrote loads here and one written here loads into anvil. A file is replaced
// whole (written beside it, then renamed over it): a node killed mid-write leaves the previous file.
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { type StateDump, stateDumpJson } from "../chain/snapshot.js";

/** A state file's bytes (JSON, or gzip-compressed JSON as anvil_dumpState's), for Chain.loadState. */
export function readStateFile(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new Error(`cannot read state file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Writes `dump` to `path` as JSON, atomically. */
export function writeStateFile(path: string, dump: StateDump): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, stateDumpJson(dump));
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new Error(`cannot write state file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
