// Long work inside one request (eth_getLogs over many blocks, anvil_mine of many blocks) shares the
// event loop: it runs in slices of a few milliseconds and yields between them, so other requests are
// answered meanwhile; it stops when its client has gone away (CallInfo.signal), and, given a budget,
// fails once its own running time (not the time it spent yielding) passes it.
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { RpcError } from "./errors.js";

/** Milliseconds of work between two yields: short enough that other requests barely notice. */
export const SLICE_MS = 10;

/** What a request that was cancelled throws; nobody reads it (the client has gone). */
export class RequestCancelled extends RpcError {
  constructor() {
    super(-32000, "request cancelled: the client went away");
  }
}

export interface WorkSlicerOptions {
  /** Aborted when the client has gone: the next yield throws RequestCancelled. */
  signal?: AbortSignal | undefined;
  /** Most milliseconds of own work; past it, the next check throws what `overBudget` makes. */
  budgetMs?: number;
  overBudget?: (budgetMs: number) => Error;
  /** Milliseconds now (tests pass their own clock). */
  now?: () => number;
}

export class WorkSlicer {
  private readonly now: () => number;
  private sliceStart: number;
  /** Own work done before the current slice. */
  private spentMs = 0;

  constructor(private readonly options: WorkSlicerOptions = {}) {
    this.now = options.now ?? (() => performance.now());
    this.sliceStart = this.now();
    this.throwIfCancelled();
  }

  /** Own work so far, the current slice included. */
  get workMs(): number {
    return this.spentMs + (this.now() - this.sliceStart);
  }

  /**
   * Call between units of work: throws past the budget; once the slice is used up, yields to the
   * event loop (other requests run) and throws if the client left meanwhile.
   */
  async checkpoint(): Promise<void> {
    const now = this.now();
    const sliceMs = now - this.sliceStart;
    const { budgetMs, overBudget } = this.options;
    if (budgetMs !== undefined && this.spentMs + sliceMs > budgetMs) {
      throw overBudget?.(budgetMs) ?? new Error(`work exceeded its budget of ${budgetMs} ms`);
    }
    if (sliceMs < SLICE_MS) return;
    this.spentMs += sliceMs;
    await yieldToEventLoop();
    this.throwIfCancelled();
    this.sliceStart = this.now();
  }

  private throwIfCancelled(): void {
    if (this.options.signal?.aborted) throw new RequestCancelled();
  }
}
