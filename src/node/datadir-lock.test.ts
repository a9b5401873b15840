import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { TempDirs } from "../chain/chain-testkit.js";
import { DatadirLock, DatadirLockedError, LOCK_FILE, type LockHolder, procStartTime } from "./datadir-lock.js";

const dirs = new TempDirs();
after(() => dirs.cleanup());
const tempDir = (): string => dirs.make();

function writeLock(datadir: string, holder: LockHolder): void {
  writeFileSync(join(datadir, LOCK_FILE), JSON.stringify(holder));
}

/** A pid no process has now: one that ran and exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", ""]).pid!;
}

test("a datadir is held once: a second acquire names the holder; release lets the next one in", () => {
  const datadir = tempDir();
  const lock = DatadirLock.acquire(datadir);
  const held = JSON.parse(readFileSync(join(datadir, LOCK_FILE), "utf8")) as LockHolder;
  assert.equal(held.pid, process.pid);
  assert.equal(held.host, hostname());
  assert.ok(!Number.isNaN(Date.parse(held.startedAt)));
  assert.throws(
    () => DatadirLock.acquire(datadir),
    (e: unknown) =>
      e instanceof DatadirLockedError &&
      e.holder.pid === process.pid &&
      e.message.includes(
        `is in use by another weft node (pid ${process.pid} (this process), started ${held.startedAt})`,
      ),
  );
  lock.release();
  assert.ok(!existsSync(join(datadir, LOCK_FILE)));
  DatadirLock.acquire(datadir).release();
});

test("a stale lock (its process gone, or its pid reused by a later process) is taken over", () => {
  const datadir = tempDir();
  writeLock(datadir, { pid: deadPid(), host: hostname(), startedAt: "2020-01-01T00:00:00.000Z", procStart: "1" });
  DatadirLock.acquire(datadir).release();

  const reused = procStartTime(process.ppid);
  if (reused !== undefined) {
    // A live pid whose process started at another time than the lock records.
    writeLock(datadir, { pid: process.ppid, host: hostname(), startedAt: "2020-01-01T00:00:00.000Z", procStart: "0" });
    const lock = DatadirLock.acquire(datadir);
    assert.equal((JSON.parse(readFileSync(join(datadir, LOCK_FILE), "utf8")) as LockHolder).pid, process.pid);
    lock.release();
  }

  // A live process that is what the lock records holds it.
  const live: LockHolder = { pid: process.ppid, host: hostname(), startedAt: "2020-01-01T00:00:00.000Z" };
  if (reused !== undefined) live.procStart = reused;
  writeLock(datadir, live);
  assert.throws(() => DatadirLock.acquire(datadir), DatadirLockedError);

  // A lock file this code did not write is stale.
  writeFileSync(join(datadir, LOCK_FILE), "garbage");
  DatadirLock.acquire(datadir).release();
});

test("release leaves a lock that is no longer its own", () => {
  const datadir = tempDir();
  const lock = DatadirLock.acquire(datadir);
  const other: LockHolder = { pid: process.ppid, host: hostname(), startedAt: "2020-01-01T00:00:00.000Z" };
  writeLock(datadir, other);
  lock.release();
  assert.deepEqual(JSON.parse(readFileSync(join(datadir, LOCK_FILE), "utf8")), other);
});
