// The parallel executor's activity over time, from the node's counters: weft_metrics' blocks and
// parallelBlocks, and Prometheus' weft_block_reexecutions_total (what Block-STM re-ran after a
// conflict). Each sample is the change since the previous one, per second.

export interface ExecutorCounters {
  blocks: number;
  parallelBlocks: number;
  reexecutions: number;
}

export interface ExecutorSample {
  /** Blocks per second executed in parallel (Block-STM). */
  parallelBlocks: number;
  /** Blocks per second executed one transaction after another. */
  sequentialBlocks: number;
  /** Transactions re-executed per second. */
  reexecutions: number;
}

/** A counter's value in Prometheus' text exposition (unlabelled series), or undefined. */
export function promCounter(exposition: string, name: string): number | undefined {
  for (const line of exposition.split("\n")) {
    if (line.startsWith(`${name} `))
      return Number(
        line
          .slice(name.length + 1)
          .trim()
          .split(" ", 1)[0],
      );
  }
  return undefined;
}

/** The change from `before` to `after`, `ms` apart, as rates per second. */
export function executorSample(before: ExecutorCounters, after: ExecutorCounters, ms: number): ExecutorSample {
  const perSecond = (delta: number) => (ms > 0 ? Math.max(0, delta) / (ms / 1000) : 0);
  const parallel = after.parallelBlocks - before.parallelBlocks;
  return {
    parallelBlocks: perSecond(parallel),
    sequentialBlocks: perSecond(after.blocks - before.blocks - parallel),
    reexecutions: perSecond(after.reexecutions - before.reexecutions),
  };
}

/** How the monitor reads the counters (the node client, or a stub in tests). */
export interface CounterSource {
  call<T>(method: string): Promise<T>;
  metrics(): Promise<string>;
}

/**
 * Samples the counters every `intervalMs` while started and keeps the last `keep` samples. A node
 * without weft_metrics (or /metrics) leaves the series empty and `unavailable` set.
 */
export class ExecutorMonitor {
  readonly samples: ExecutorSample[] = [];
  unavailable: string | undefined;
  private last: { at: number; counters: ExecutorCounters } | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly source: CounterSource,
    private readonly intervalMs = 2000,
    private readonly keep = 60,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    if (this.timer !== undefined) return;
    void this.sample();
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  async sample(): Promise<void> {
    try {
      const [metrics, exposition] = await Promise.all([
        this.source.call<{ blocks: number; parallelBlocks: number }>("weft_metrics"),
        this.source.metrics(),
      ]);
      const counters = {
        blocks: metrics.blocks,
        parallelBlocks: metrics.parallelBlocks,
        reexecutions: promCounter(exposition, "weft_block_reexecutions_total") ?? 0,
      };
      const at = this.now();
      if (this.last !== undefined) {
        this.samples.push(executorSample(this.last.counters, counters, at - this.last.at));
        if (this.samples.length > this.keep) this.samples.shift();
      }
      this.last = { at, counters };
      this.unavailable = undefined;
    } catch (error) {
      this.unavailable = (error as Error).message;
    }
  }
}
