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

/** Runs `steps` to its end, pausing once a slice's time is spent. */
export async function runInSlices<T>(steps: Generator<void, T, undefined>, slices: Slices): Promise<T> {
  let start = performance.now();
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() - start < slices.ms) continue;
    await slices.pause();
    start = performance.now();
  }
}

/** Time a piece of sliced work spent suspended at its yields (a caller serving other work meanwhile). */
export interface SuspendClock {
  suspendedMs: number;
}

/** One yield, the time suspended there added to `clock`. */
export function* suspendOnce(clock: SuspendClock): Generator<void, void, undefined> {
  const t = performance.now();
  yield;
  clock.suspendedMs += performance.now() - t;
}

/** Delegates to `steps`, adding the time suspended at its yields to `clock`: its own time is the rest. */
export function* counting<T>(steps: Generator<void, T, undefined>, clock: SuspendClock): Generator<void, T, undefined> {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    yield* suspendOnce(clock);
  }
}
