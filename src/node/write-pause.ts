// Production paused while chain writes fail. A chain write the disk refuses (full, I/O error) wrote
// nothing: the miner reports no block, the node refuses transactions (reads go on), and the store is
// probed every WRITE_RETRY_MS until a write succeeds, when production resumes.
import { INVALID_INPUT, RpcError } from "../rpc/errors.js";
import type { StoreWriteError } from "../state/store-errors.js";

/** How often a paused miner probes whether the store takes writes again. */
export const WRITE_RETRY_MS = 1000;

export interface WritePauseOptions {
  /** One probe write, queued like every write (resolves once the store takes writes again). */
  probe: () => Promise<void>;
  /** Told once when writes start failing (the error) and once when they work again (undefined). */
  onStatus?: (failure: StoreWriteError | undefined) => void;
  /** Writes work again: production may resume. */
  onResume: () => void;
}

export class WritePause {
  /** The last chain write's failure, while writes fail (cleared by a successful write). */
  private failure: StoreWriteError | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private probing = false;
  private closed = false;

  constructor(private readonly options: WritePauseOptions) {}

  get paused(): boolean {
    return this.failure !== undefined;
  }

  /** A chain write failed: pauses production (once per failure) and probes the store until it takes a write. */
  failed(error: StoreWriteError): void {
    const first = this.failure === undefined;
    this.failure = error;
    if (!first || this.closed) return;
    this.options.onStatus?.(error);
    this.retryTimer = setInterval(() => {
      if (this.probing) return;
      this.probing = true;
      this.options
        .probe()
        .then(() => this.worked())
        .catch(() => undefined)
        .finally(() => {
          this.probing = false;
        });
    }, WRITE_RETRY_MS);
  }

  /** A write succeeded: production resumes. */
  worked(): void {
    if (this.failure === undefined) return;
    this.failure = undefined;
    clearInterval(this.retryTimer);
    this.retryTimer = undefined;
    this.options.onStatus?.(undefined);
    this.options.onResume();
  }

  /** What a sender gets while writes fail (for `failure`, default the current one). */
  refusal(failure = this.failure): RpcError {
    const reason = failure?.reason ?? "a write failed";
    return new RpcError(
      INVALID_INPUT,
      `transaction not accepted: the node cannot write its chain to disk (${reason}); retry once it can`,
    );
  }

  /** Throws the refusal while writes fail. */
  assertWritable(): void {
    if (this.failure !== undefined) throw this.refusal();
  }

  close(): void {
    this.closed = true;
    clearInterval(this.retryTimer);
  }
}
