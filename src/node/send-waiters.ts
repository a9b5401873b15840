// Under automine, eth_send* answers once its transaction is in a durable block: the callers waiting
// for a transaction's block, by its hash.

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

export class SendWaiters {
  private readonly byHash = new Map<bigint, Waiter[]>();

  /** Resolves when `hash` is released, rejects when it is refused. */
  wait(hash: bigint): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const list = this.byHash.get(hash) ?? [];
      list.push({ resolve, reject });
      this.byHash.set(hash, list);
    });
  }

  /** Whoever waits for `hash` is done waiting. */
  release(hash: bigint): void {
    const list = this.byHash.get(hash);
    if (!list) return;
    this.byHash.delete(hash);
    for (const waiter of list) waiter.resolve();
  }

  /** Everyone is done waiting (the mode changed, the pool was emptied, a round ended). */
  releaseAll(): void {
    for (const hash of [...this.byHash.keys()]) this.release(hash);
  }

  /** Whoever waits for a hash that `done` accepts is done waiting. */
  releaseWhere(done: (hash: bigint) => boolean): void {
    for (const hash of [...this.byHash.keys()]) if (done(hash)) this.release(hash);
  }

  /** Whoever waits for `hash` gets `error`; false where nobody waits for it. */
  refuse(hash: bigint, error: Error): boolean {
    const list = this.byHash.get(hash);
    if (list === undefined) return false;
    this.byHash.delete(hash);
    for (const waiter of list) waiter.reject(error);
    return true;
  }
}
