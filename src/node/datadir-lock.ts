// One process at a time in a datadir. LMDB lets any number of processes open one environment, and
// two nodes each mining on it overwrite each other's blocks; so a node holds `<datadir>/weft.lock`
// for its whole life, and a second one refuses to start, naming the holder. The file records the
// holder's pid, its host, when it started and its kernel start time (/proc/<pid>/stat, field 22): a
// lock whose process is gone, or whose pid now belongs to another process, is stale (kill -9 leaves
// one) and is taken over. Worker threads of the holder open the environment read-only and need no
// lock of their own.
//
// Taking it is atomic: the record is written to a file of this process's own, then hard-linked to
// the lock's name, which fails where the lock exists (readers never see a half-written lock).
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

export const LOCK_FILE = "weft.lock";

/** Who holds a datadir, as its lock file records it. */
export interface LockHolder {
  pid: number;
  host: string;
  /** When the process started (ISO 8601). */
  startedAt: string;
  /** The kernel's start time of the process (clock ticks since boot), where /proc has it. */
  procStart?: string;
}

/** The datadir is held by a live process. */
export class DatadirLockedError extends Error {
  constructor(
    readonly datadir: string,
    readonly holder: LockHolder,
  ) {
    const who = holder.host === hostname() ? `pid ${holder.pid}` : `pid ${holder.pid} on host ${holder.host}`;
    const self = holder.pid === process.pid && holder.host === hostname() ? " (this process)" : "";
    super(
      `datadir ${datadir} is in use by another weft node (${who}${self}, started ${holder.startedAt}): ` +
        `stop that node or use another --datadir${holder.host === hostname() ? "" : ` (if it is not running, remove ${join(datadir, LOCK_FILE)})`}`,
    );
    this.name = "DatadirLockedError";
  }
}

/** Tries to take over a stale lock before giving up (another process may be taking it at once). */
const ATTEMPTS = 5;

export class DatadirLock {
  private released = false;
  private readonly onExit = () => this.release();

  private constructor(
    readonly path: string,
    private readonly record: string,
  ) {
    // A process that exits without closing the node (an uncaught error, process.exit) lets go too.
    process.on("exit", this.onExit);
  }

  /** Takes the lock of `datadir` (created if needed); throws DatadirLockedError while a live process holds it. */
  static acquire(datadir: string): DatadirLock {
    mkdirSync(datadir, { recursive: true });
    const path = join(datadir, LOCK_FILE);
    const record = JSON.stringify(currentProcess());
    const own = `${path}.${process.pid}.tmp`;
    writeFileSync(own, record);
    try {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        if (tryLink(own, path, record)) return new DatadirLock(path, record);
        const holder = readHolder(path);
        if (holder === "gone") continue;
        if (holder !== "unreadable" && isAlive(holder)) throw new DatadirLockedError(datadir, holder);
        takeOverStale(path, holder);
      }
    } finally {
      unlinkQuietly(own);
    }
    throw new Error(`cannot lock datadir ${datadir}: ${path} keeps changing (several nodes starting at once?)`);
  }

  /** Removes the lock file if it is still this lock's. */
  release(): void {
    if (this.released) return;
    this.released = true;
    process.off("exit", this.onExit);
    try {
      if (readFileSync(this.path, "utf8") === this.record) unlinkSync(this.path);
    } catch {
      // Already gone: nothing to release.
    }
  }
}

function currentProcess(): LockHolder {
  const holder: LockHolder = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date(Date.now() - process.uptime() * 1000).toISOString(),
  };
  const procStart = procStartTime(process.pid);
  if (procStart !== undefined) holder.procStart = procStart;
  return holder;
}

/** Field 22 of /proc/<pid>/stat (the process's start time); undefined where there is no such file. */
export function procStartTime(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields[22 - 3];
}

/** Links `own` to `path`: true where this made the lock. Where hard links are not supported, an exclusive create. */
function tryLink(own: string, path: string, record: string): boolean {
  try {
    linkSync(own, path);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "ENOSYS") throw e;
  }
  try {
    writeFileSync(path, record, { flag: "wx" });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  }
}

function readHolder(path: string): LockHolder | "gone" | "unreadable" {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return "gone";
    throw e;
  }
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    if (typeof h.pid === "number" && typeof h.host === "string" && typeof h.startedAt === "string") {
      return h as LockHolder;
    }
  } catch {
    // Not a lock this code wrote: treated as stale.
  }
  return "unreadable";
}

/** Whether the holder still runs: on another host that cannot be known, so it is taken to run. */
function isAlive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (e) {
    // EPERM: the pid exists, owned by another user.
    if ((e as NodeJS.ErrnoException).code === "ESRCH") return false;
  }
  if (holder.procStart === undefined) return true;
  const now = procStartTime(holder.pid);
  // The pid was reused by a process that started later: the holder is gone.
  return now === undefined || now === holder.procStart;
}

/**
 * Removes a stale lock. Renamed aside first, then compared: where another process replaced it in
 * between (took it over and holds it now), that lock is put back rather than deleted.
 */
function takeOverStale(path: string, seen: LockHolder | "unreadable"): void {
  const aside = `${path}.stale.${process.pid}`;
  try {
    renameSync(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw e;
  }
  const moved = readHolder(aside);
  const same =
    moved === seen ||
    (typeof moved === "object" &&
      typeof seen === "object" &&
      moved.pid === seen.pid &&
      moved.procStart === seen.procStart &&
      moved.startedAt === seen.startedAt);
  if (!same) {
    try {
      linkSync(aside, path);
    } catch {
      // A third process took the name meanwhile: it holds the lock, and the next attempt sees it.
    }
  }
  unlinkQuietly(aside);
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}
