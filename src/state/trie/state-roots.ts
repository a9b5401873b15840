// The state root as a service to the thread that commits: a block's writes go in, its root and the
// trie record its commit writes come out. Two ways to run it: `LocalStateRoots` keeps the trie on
// the caller's thread (tests, tools, a forked chain); `WorkerStateRoots` (root-worker-client.ts)
// keeps it on a thread of its own, so that a block's root is computed beside the main thread's other
// work (its receipts, its undo record, requests) instead of on it.
//
// Order is the caller's: `rootAfter` for each block in turn (each over the ones before it, written
// or not), `written` for each commit once durable and in order, `discard` where one failed (every
// sealed and pending node goes, and the trie is back at the stored root).
import type { StateWrites } from "../../evm/host.js";
import { bytesToBigint } from "../../primitives/hex.js";
import type { Slices } from "../../primitives/slices.js";
import type { StateTrie, TrieProof } from "./state-trie.js";
import { encodeTrieChanges } from "./trie-changes.js";
import type { TrieCacheStats, TrieLogRecord } from "./trie-store.js";

/** A block's root, and the trie record its commit writes (TrieLogWriter.write). */
export interface StateRootCommit extends TrieLogRecord {
  root: bigint;
}

export interface StateRoots {
  /**
   * The root once `writes` apply over every block given before, and the record of the changed nodes
   * for the commit that writes `writes`. `slices`: a trie on the caller's thread computes in slices.
   */
  rootAfter(writes: StateWrites, slices?: Slices): Promise<StateRootCommit>;
  /** `commit`'s transaction is durable (in commit order). */
  written(commit: StateRootCommit): void;
  /** A commit failed: every sealed and pending node goes, back to the stored root. */
  discard(): void;
  /** EIP-1186 nodes of the latest written state (not of a block whose commit is in flight). */
  prove(address: bigint, slots: readonly bigint[]): Promise<TrieProof>;
  cacheStats(): Promise<TrieCacheStats>;
  /** Moves the trie log to its path tables (the next open reads none) and stops; nothing is called after. */
  close(): Promise<void>;
}

/** Told when moving the log to the path tables failed (it stays logged and is tried again later). */
export type MergeFailure = (error: unknown) => void;

/**
 * The trie's side of StateRoots on its own thread: shared by LocalStateRoots and the root worker,
 * which differ only in where this runs. The log merge runs in the background once due.
 */
export class StateRootKeeper {
  private merging: Promise<void> | undefined;

  constructor(
    readonly trie: StateTrie,
    private readonly onMergeFailure: MergeFailure = () => undefined,
  ) {}

  /** Applies `changes` (trie-changes.ts) and seals them. */
  async rootAfter(changes: Uint8Array, slices?: Slices): Promise<{ root: Uint8Array } & TrieLogRecord> {
    if (slices !== undefined) await this.trie.applyInSlices(changes, slices);
    else this.trie.apply(changes);
    const root = this.trie.rootBytes();
    return { root, ...this.trie.seal() };
  }

  written(logKey: number): void {
    this.trie.written(logKey);
    if (this.merging === undefined && this.trie.mergeDue()) {
      this.merging = this.trie
        .mergeLog()
        .catch(this.onMergeFailure)
        .finally(() => {
          this.merging = undefined;
        });
    }
  }

  discard(): void {
    this.trie.discardPending();
  }

  /**
   * Moves the whole log to the path tables (after a merge in progress: the store runs one at a time),
   * in a synchronous transaction: a close then waits on nothing but its own transaction (one close,
   * of a chain on the root's thread, once went unanswered under a full test run's load with an
   * asynchronous merge: the thread idle, no reply).
   */
  close(): Promise<void> {
    return this.trie.mergeLog(true);
  }
}

/** StateRoots on the caller's thread. */
export class LocalStateRoots implements StateRoots {
  private readonly keeper: StateRootKeeper;

  constructor(trie: StateTrie, onMergeFailure?: MergeFailure) {
    this.keeper = new StateRootKeeper(trie, onMergeFailure);
  }

  async rootAfter(writes: StateWrites, slices?: Slices): Promise<StateRootCommit> {
    // Starts once the caller's synchronous work ends (a block's receipts), as a worker's would run beside it.
    await undefined;
    const { root, ...record } = await this.keeper.rootAfter(encodeTrieChanges(writes), slices);
    return { root: bytesToBigint(root), ...record };
  }

  written(commit: StateRootCommit): void {
    this.keeper.written(commit.logKey);
  }

  discard(): void {
    this.keeper.discard();
  }

  async prove(address: bigint, slots: readonly bigint[]): Promise<TrieProof> {
    return this.keeper.trie.prove(address, slots);
  }

  async cacheStats(): Promise<TrieCacheStats> {
    return this.keeper.trie.cacheStats();
  }

  close(): Promise<void> {
    return this.keeper.close();
  }
}
