// The progress of a long run on stderr: one line rewritten in place on a terminal, else a line every
// few seconds (a log file or CI keeps a readable trace). Nothing goes to stdout, which holds the result.
export class Progress {
  private last = 0;
  private shown = false;

  constructor(
    private readonly tty: boolean = process.stderr.isTTY === true,
    private readonly write: (s: string) => void = (s) => void process.stderr.write(s),
    private readonly everyMs: number = tty ? 200 : 5000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Shows `line` now, or at the next allowed moment when `force` is false. */
  update(line: string, force = false): void {
    const t = this.now();
    if (!force && t - this.last < this.everyMs) return;
    this.last = t;
    if (this.tty) {
      const width = process.stderr.columns ?? 120;
      this.write(`\r\x1b[2K${line.slice(0, width - 1)}`);
      this.shown = true;
    } else this.write(`${line}\n`);
  }

  /** A line that stays (a phase finished, a note). */
  note(line: string): void {
    this.clear();
    this.write(`${line}\n`);
  }

  clear(): void {
    if (this.tty && this.shown) this.write("\r\x1b[2K");
    this.shown = false;
  }
}

/** "1:05" style minutes:seconds, or "?" when unknown. */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}
