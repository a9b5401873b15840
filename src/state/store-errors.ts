// The errors of a store on disk that the layers above handle, not just report: damage found in it
// (the node refuses to start and says how to repair) and a write it could not make (the node stops
// producing blocks until writes work again).

/** A store whose file or records are damaged: `what` says what, for a person to read. */
export class StoreDamagedError extends Error {
  constructor(
    readonly path: string,
    readonly what: string,
  ) {
    super(`${path} is damaged: ${what}`);
    this.name = "StoreDamagedError";
  }
}

/**
 * A commit the store could not write (full disk, I/O error): nothing of it was written, and what was
 * committed before is intact. `reason` is short, for a log line.
 */
export class StoreWriteError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot write to ${path}: ${reason}`, options);
    this.name = "StoreWriteError";
  }
}
