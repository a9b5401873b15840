// StateRoots on a thread of its own (root-worker.ts). A block's writes cross as one transferred
// buffer (trie-changes.ts: no keccak, no Map on the way), its root and log record come back as bytes.
// One worker per chain, started at open; unref'd while nothing is asked of it.
import { Worker } from "node:worker_threads";
import type { StateWrites } from "../../evm/host.js";
import { bytesToBigint } from "../../primitives/hex.js";
import { stopWorker } from "../../threads/stop-worker.js";
import type { MergeFailure, StateRootCommit, StateRoots } from "./state-roots.js";
import type { TrieProof } from "./state-trie.js";
import { encodeTrieChanges } from "./trie-changes.js";
import type { TrieCacheStats } from "./trie-store.js";

export interface RootWorkerSetup {
  /** The chain's LMDB environment (its trie tables are current: StateTrie.open has run there). */
  path: string;
  cacheBytes?: number;
}

export type RootRequest =
  | { op: "apply"; id: number; changes: Uint8Array }
  | { op: "written"; id: 0; logKey: number }
  | { op: "discard"; id: 0 }
  | { op: "prove"; id: number; address: bigint; slots: readonly bigint[] }
  | { op: "stats"; id: number }
  | { op: "close"; id: number };

export interface RootReply {
  id: number;
  ready?: true;
  failure?: string;
  mergeFailed?: string;
  root?: Uint8Array;
  logKey?: number;
  record?: Uint8Array;
  proof?: TrieProof;
  /** The newest log key the worker had been told was written when it read the proof. */
  asOf?: number;
  stats?: TrieCacheStats;
}

export interface WorkerStateRootsOptions {
  cacheBytes?: number;
  /** Told of a failed move of the log to the path tables (kept, tried again later). */
  onMergeFailure?: MergeFailure;
}

export class WorkerStateRoots implements StateRoots {
  private readonly waiting = new Map<number, { resolve: (reply: RootReply) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private lastWritten = 0;
  private failure: Error | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly onMergeFailure: MergeFailure | undefined,
  ) {
    worker.on("message", (reply: RootReply) => this.receive(reply));
    worker.on("error", (e) => this.fail(new Error(`the state root worker crashed: ${e.message}`)));
    worker.on("exit", (code) => this.fail(new Error(`the state root worker exited (code ${code})`)));
    worker.unref();
  }

  /** Starts the worker on the trie tables at `path` and waits until it has opened them. */
  static async start(path: string, options: WorkerStateRootsOptions = {}): Promise<WorkerStateRoots> {
    const setup: RootWorkerSetup = { path };
    if (options.cacheBytes !== undefined) setup.cacheBytes = options.cacheBytes;
    const worker = new Worker(new URL("./root-worker.js", import.meta.url), { workerData: setup });
    const roots = new WorkerStateRoots(worker, options.onMergeFailure);
    await roots.request(0);
    return roots;
  }

  private receive(reply: RootReply): void {
    if (reply.mergeFailed !== undefined) {
      this.onMergeFailure?.(new Error(reply.mergeFailed));
      return;
    }
    const waiting = this.waiting.get(reply.id);
    if (waiting === undefined) return;
    this.waiting.delete(reply.id);
    if (this.waiting.size === 0) this.worker.unref();
    if (reply.failure !== undefined) waiting.reject(new Error(`the state root worker failed: ${reply.failure}`));
    else waiting.resolve(reply);
  }

  private fail(error: Error): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
  }

  /** Waits for the reply to request `id` (0: the worker's ready message), posting `message` if given. */
  private request(id: number, message?: RootRequest, transfer: ArrayBuffer[] = []): Promise<RootReply> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      if (this.waiting.size === 1) this.worker.ref();
      if (message !== undefined) this.worker.postMessage(message, transfer);
    });
  }

  private post(message: RootRequest): void {
    if (this.failure === undefined) this.worker.postMessage(message);
  }

  async rootAfter(writes: StateWrites): Promise<StateRootCommit> {
    const changes = encodeTrieChanges(writes);
    const id = this.nextId++;
    const reply = await this.request(id, { op: "apply", id, changes }, [changes.buffer]);
    return { root: bytesToBigint(reply.root!), logKey: reply.logKey!, record: reply.record };
  }

  written(commit: StateRootCommit): void {
    this.lastWritten = commit.logKey;
    this.post({ op: "written", id: 0, logKey: commit.logKey });
  }

  discard(): void {
    this.post({ op: "discard", id: 0 });
  }

  async prove(address: bigint, slots: readonly bigint[]): Promise<TrieProof> {
    // The caller reads the values from the state it sees now: the nodes must be of that state, so a
    // proof read before the worker heard of the newest durable commit is asked for again.
    for (;;) {
      const id = this.nextId++;
      const reply = await this.request(id, { op: "prove", id, address, slots });
      if (reply.asOf === this.lastWritten) return reply.proof!;
    }
  }

  async cacheStats(): Promise<TrieCacheStats> {
    const id = this.nextId++;
    return (await this.request(id, { op: "stats", id })).stats!;
  }

  async close(): Promise<void> {
    try {
      const id = this.nextId++;
      await this.request(id, { op: "close", id });
    } finally {
      await stopWorker(this.worker);
    }
  }
}
