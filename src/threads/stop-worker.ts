// Stopping a worker thread at a safe point. `worker.terminate()` stops a thread wherever it is, and a
// thread stopped inside a native addon's call or while the addon loads (secp256k1, lmdb) can abort the
// whole process ("terminate called after throwing an instance of 'Napi::Error'"). So the thread is
// asked to close its own ports and let its event loop end; terminate() only follows if it has not
// exited after a grace period (a thread stuck in a loop).

/** The message a pool sends a worker to ask it to close its ports and exit. */
export const CLOSE_WORKER = "close" as const;

interface StoppableWorker {
  readonly threadId: number;
  once(event: "exit", listener: (code: number) => void): unknown;
  postMessage(message: unknown): void;
  terminate(): Promise<number>;
}

/** Asks `worker` to exit (CLOSE_WORKER) and resolves when it has; terminates it after `graceMs`. */
export async function stopWorker(worker: StoppableWorker, graceMs = 5000): Promise<void> {
  if (worker.threadId === -1) return; // already exited
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  worker.postMessage(CLOSE_WORKER);
  const timer = setTimeout(() => void worker.terminate(), graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}
