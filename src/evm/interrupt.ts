// Cooperative cancellation of running EVM code. A thread that runs calls for others (the RPC call
// workers) points `watchInterrupt` at a word of shared memory; another thread sets that word to ask
// it to stop. The interpreter checks it at every taken jump and every message call or creation, which
// every long run passes through, so checking costs one load there and nothing elsewhere. Threads that
// never watch keep a private word that stays 0.

let word: Int32Array = new Int32Array(1);

/** Thrown out of the EVM (through every frame, not caught as a halt) once the watched word is set. */
export class ExecutionInterrupted extends Error {
  constructor() {
    super("execution interrupted");
    this.name = "ExecutionInterrupted";
  }
}

/** From now on this thread's EVM stops when `flag[0]` is non-zero (a view over a SharedArrayBuffer). */
export function watchInterrupt(flag: Int32Array): void {
  word = flag;
}

/** Throws ExecutionInterrupted if another thread asked this one to stop. */
export function checkInterrupt(): void {
  if (word[0] !== 0) throw new ExecutionInterrupted();
}
