// A process's memory and CPU from /proc (Linux): the resident set sampled every 200 ms and the
// kernel's own high-water mark (VmHWM), so a peak between two samples is not missed; CPU time as
// user + system ticks of every thread. Elsewhere the figures are undefined ("n/a").
import { readFileSync } from "node:fs";

/** Kernel clock ticks per second for /proc/<pid>/stat; 100 on every common Linux build. */
const CLOCK_TICKS = 100;

/** VmRSS and VmHWM in bytes from the text of /proc/<pid>/status. */
export function parseStatusMemory(status: string): { rss?: number; hwm?: number } {
  const kib = (field: string) => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    return m ? Number(m[1]) * 1024 : undefined;
  };
  return { rss: kib("VmRSS"), hwm: kib("VmHWM") };
}

/** User + system CPU seconds from the text of /proc/<pid>/stat (fields 14 and 15, after the command name). */
export function parseStatCpuSeconds(stat: string): number | undefined {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / CLOCK_TICKS : undefined;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

export class ProcessSampler {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number) {
    this.sample();
    this.timer = setInterval(() => this.sample(), 200);
    this.timer.unref();
  }

  /** Reads the memory now; returns the peak so far in bytes (undefined without /proc). */
  sample(): number | undefined {
    const status = read(`/proc/${this.pid}/status`);
    if (status === undefined) return this.peak > 0 ? this.peak : undefined;
    const { rss, hwm } = parseStatusMemory(status);
    this.peak = Math.max(this.peak, rss ?? 0, hwm ?? 0);
    return this.peak > 0 ? this.peak : undefined;
  }

  /** CPU seconds the process has used since it started (undefined without /proc). */
  cpuSeconds(): number | undefined {
    const stat = read(`/proc/${this.pid}/stat`);
    return stat === undefined ? undefined : parseStatCpuSeconds(stat);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
