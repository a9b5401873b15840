// Long synchronous work (a block's execution, its state root) run in slices on an event loop: the
// work is a generator that yields where it may stop, and a driver runs it either whole or a few
// milliseconds at a time with a pause (a turn of the event loop) between slices, so requests that
// arrive meanwhile wait one slice, not the whole job.

/** Where sliced work pauses, and how much of it runs between pauses. */
export interface Slices {
  /** Milliseconds of work per slice (the work checks the clock only where it yields). */
  ms: number;
  /** Awaited between slices. */
  pause(): Promise<void>;
}

/** Runs `steps` to its end at once. */
export function runWhole<T>(steps: Generator<void, T, undefined>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** Runs `steps` to its end, pausing once a slice's time is spent; also how long it ran (pauses left out). */
export async function runInSlices<T>(
  steps: Generator<void, T, undefined>,
  slices: Slices,
): Promise<{ value: T; busyMs: number }> {
  let busyMs = 0;
  let start = performance.now();
  for (;;) {
    const next = steps.next();
    if (next.done) return { value: next.value, busyMs: busyMs + performance.now() - start };
    const now = performance.now();
    if (now - start < slices.ms) continue;
    busyMs += now - start;
    await slices.pause();
    start = performance.now();
  }
}
