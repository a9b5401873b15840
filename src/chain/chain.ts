// The canonical chain on LMDB: genesis, blocks mined one after another, each committed with its
// state, receipts, transaction index and undo record in ONE transaction and reported only once that
// transaction is flushed (so kill -9 loses no block `mine` resolved); past blocks' state through the
// undo records (history.ts). Chain is the API; its parts share one ChainCore (chain-core.ts: stores,
// head, write queue, commits): block-production.ts mines (pipelined one block deep), dev-edits.ts
// edits and dumps the state, rewind.ts takes snapshots and rewinds.
//
// Every operation that writes (mine, setAccount, revert, loadState) runs through one queue, in call
// order, one at a time. Reads (head, blocks, receipts, state) see the last committed operation.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { BlockEnv, Host } from "../evm/host.js";
import { checkLmdbFile, LMDB_DATA_FILE } from "../state/lmdb-file-check.js";
import { LmdbState } from "../state/lmdb-state.js";
import { type AccountProof, proofOfAccount } from "../state/proof.js";
import { StoreDamagedError } from "../state/store-errors.js";
import { StateBulkLoader } from "../state/trie/bulk-load.js";
import { WorkerStateRoots } from "../state/trie/root-worker-client.js";
import { LocalStateRoots } from "../state/trie/state-roots.js";
import type { TrieCacheStats } from "../state/trie/trie-store.js";
import {
  BlockProduction,
  type ChainMetrics,
  MINING_SLICE_MS,
  type MinedBlock,
  type StartedBlock,
} from "./block-production.js";
import { readingStore, verifyChainStore } from "./chain-check.js";
import { ChainCore } from "./chain-core.js";
import { ChainStore, type TransactionLocation } from "./chain-store.js";
import { checkAddress, checkU64, dumpState, loadState, setAccount } from "./dev-edits.js";
import { nextBaseFee } from "./fees.js";
import {
  type ChainFork,
  type ForkRequest,
  type ForkReset,
  forkGenesisWrites,
  openFork,
  putForkRecord,
  recordOf,
} from "./fork.js";
import { type GenesisSpec, genesisHeader, writeGenesisState } from "./genesis.js";
import { beginGenesisLoad, discardInterruptedGenesisLoad, endGenesisLoad } from "./genesis-load.js";
import { hashHeader } from "./header.js";
import { HistoricalState } from "./history.js";
import { type BlocksDroppedListener, Rewinds } from "./rewind.js";
import type { AccountChange, StateDump } from "./snapshot.js";
import type { Block, BlockHeader, SignedTransaction, TransactionReceipt } from "./types.js";

export type { ChainMetrics, MinedBlock, MiningStats, StartedBlock } from "./block-production.js";
export { TipMovedError } from "./block-production.js";
export type { BlocksDroppedListener } from "./rewind.js";
export type { AccountChange, StateDump } from "./snapshot.js";

export interface ChainOptions {
  /** Directory of the node's data; the chain's LMDB environment is its `chain` subdirectory. */
  datadir: string;
  genesis: GenesisSpec;
  /** Block-STM worker threads when above 1 (executeBlock's `threads`). */
  threads?: number;
  /**
   * With threads above 1: "auto" (default) lets the executor run a block sequentially where
   * parallelism would not pay; "parallel" runs Block-STM on every block (tests that compare the two).
   */
  executorMode?: "auto" | "parallel";
  /**
   * The datadir is known to hold a chain (the node found its genesis.json): a store that is missing
   * or empty is damage, not a new chain.
   */
  resume?: boolean;
  /** Fork this upstream (fork.ts): the chain starts at its block, and state reads fall through to it. */
  fork?: ForkRequest;
  /** Bytes the state trie's node cache may hold (default 256 MiB). */
  stateCacheBytes?: number;
  /** Milliseconds of a mined block's execution and root between turns of the event loop (default MINING_SLICE_MS). */
  miningSliceMs?: number;
  /**
   * Compute state roots on a thread of their own (root-worker.ts), beside the main thread's work;
   * default false (the node turns it on). A forked chain keeps them on the caller's thread.
   */
  stateRootWorker?: boolean;
  /** Told of one-off work at open (building the state trie tables of a datadir from an older version), and of trie upkeep that failed. */
  log?: (line: string) => void;
}

export class Chain {
  readonly chainId: bigint;
  private readonly production: BlockProduction;
  private readonly rewinds: Rewinds;

  private constructor(
    private readonly core: ChainCore,
    threads: number,
    executorMode: "auto" | "parallel",
    /** True when `open` made the chain (its genesis) rather than finding it. */
    readonly created: boolean,
    miningSliceMs: number,
  ) {
    this.chainId = core.chainId;
    this.production = new BlockProduction(core, threads, executorMode, miningSliceMs);
    this.rewinds = new Rewinds(core);
  }

  /**
   * Starts the Block-STM worker threads now, where this chain runs blocks on threads, instead of in
   * the first block that starts Block-STM: a worker's start (an isolate loading the executor) then
   * falls in the node's startup, not in its first large block. Measured on 2 cores, a fresh process's
   * first four blocks of 6,600 ERC-20 transfers under "auto": 0.95-1.00 s of CPU for the first with
   * the pool started in it, 0.46-0.55 s with the pool started before (sequential: 0.21-0.30 s).
   */
  startExecutorWorkers(): void {
    this.production.startWorkers();
  }

  /** Counters since open (weft_metrics): mined blocks and transactions, and where mining's time went. */
  get metrics(): ChainMetrics {
    return { ...this.production.metrics, preparedDropped: this.core.preparedDropped };
  }

  /**
   * Opens the chain in `o.datadir`, creating it from `o.genesis` where the directory holds none. A
   * datadir made from another genesis (another chain id or another block 0) is an error. The store is
   * checked first (LMDB's meta pages, then the head and the blocks below it, and the state against
   * the head's root: see chain-check.ts): damage is a StoreDamagedError, never served.
   */
  static async open(o: ChainOptions): Promise<Chain> {
    const path = join(o.datadir, "chain");
    const reloading = discardInterruptedGenesisLoad(path);
    if (reloading) o.log?.(`discarded a genesis load cut short in ${path}; loading it again`);
    const file = checkLmdbFile(path);
    if (o.resume === true && file.kind !== "ok" && !reloading) {
      const what = file.kind === "absent" ? "is missing" : "is empty";
      throw new StoreDamagedError(path, `${LMDB_DATA_FILE} ${what}, but the datadir holds a chain (its genesis.json)`);
    }
    mkdirSync(path, { recursive: true });
    const lmdb = readingStore(path, () => LmdbState.open(path));
    try {
      const { store, stored, holdsState } = readingStore(path, () => {
        const store = new ChainStore(lmdb);
        const stored = store.genesis();
        return {
          store,
          stored,
          holdsState: stored === undefined && (lmdb.head() !== undefined || hasAny(lmdb.addresses())),
        };
      });
      const fork = openFork(lmdb, store, o.fork, o.datadir, (read) => readingStore(path, read));
      const created = stored === undefined;
      let genesis: Block;
      if (stored === undefined) {
        if (holdsState) {
          throw new Error(`${path} holds state but no chain: not a Weft datadir, or made by another version`);
        }
        genesis = await Chain.createGenesis(lmdb, store, o.genesis, fork);
      } else {
        // A kept chain's restart reads no allocation (genesis.json's header only): block 0 has its root.
        const root = o.genesis.allocOmitted ? readingStore(path, () => store.header(0n))?.stateRoot : undefined;
        const header = genesisHeader(o.genesis, root);
        genesis = fork?.base ?? { header, hash: hashHeader(header), transactions: [] };
      }
      if (stored !== undefined && stored.chainId !== o.genesis.chainId) {
        throw new Error(
          `datadir ${o.datadir} holds chain id ${stored.chainId}, not ${o.genesis.chainId}: use another datadir or the same chain id`,
        );
      } else if (stored !== undefined && stored.hash !== genesis.hash) {
        throw new Error(
          `datadir ${o.datadir} was made from another genesis (block 0 is 0x${stored.hash.toString(16)} there, 0x${genesis.hash.toString(16)} from the given genesis): use another datadir`,
        );
      }
      const trieOptions = {
        ...(o.stateCacheBytes === undefined ? {} : { cacheBytes: o.stateCacheBytes }),
        ...(o.log === undefined ? {} : { log: o.log }),
      };
      const { head, trie } = verifyChainStore(lmdb, store, path, undefined, trieOptions);
      const core = new ChainCore(lmdb, store, o.genesis.chainId, head);
      const mergeFailed = (error: unknown) =>
        o.log?.(`moving the state trie's log to its tables failed (kept, tried again later): ${String(error)}`);
      core.roots =
        o.stateRootWorker === true && fork === undefined
          ? await WorkerStateRoots.start(path, {
              ...(o.stateCacheBytes === undefined ? {} : { cacheBytes: o.stateCacheBytes }),
              onMergeFailure: mergeFailed,
            })
          : new LocalStateRoots(trie!, mergeFailed);
      core.genesisNumber = genesis.header.number;
      core.genesisSpec = o.genesis;
      return new Chain(
        core,
        Math.max(1, Math.floor(o.threads ?? 1)),
        o.executorMode ?? "auto",
        created,
        o.miningSliceMs ?? MINING_SLICE_MS,
      );
    } catch (e) {
      await lmdb.close();
      // LMDB's own damage reports from a read not run through readingStore (the genesis load's,
      // for one): damage all the same.
      if (e instanceof Error && /^MDB_(CORRUPTED|PAGE_NOTFOUND|BAD_)/.test(e.message)) {
        throw new StoreDamagedError(path, `a record cannot be read (${e.message})`);
      }
      throw e;
    }
  }

  /** Writes block 0 and its state (the flat state and the trie, in bulk); returns the block. */
  private static async createGenesis(
    lmdb: LmdbState,
    store: ChainStore,
    spec: GenesisSpec,
    fork: ChainFork | undefined,
  ): Promise<Block> {
    if (fork !== undefined) {
      const genesis = fork.base;
      // The upstream's block N with the funded accounts set: the header's root is the upstream's, not the local state's.
      await lmdb.commit(forkGenesisWrites(spec, fork), undefined, () => {
        store.putGenesis(genesis.hash, spec.chainId);
        store.putBlock(genesis, []);
        putForkRecord(lmdb, recordOf(fork));
        return { number: genesis.header.number, hash: genesis.hash };
      });
      return genesis;
    }
    beginGenesisLoad(lmdb.path);
    const root = writeGenesisState(new StateBulkLoader(lmdb, { writeFlatState: true }), spec);
    const header = genesisHeader(spec, root);
    const genesis: Block = { header, hash: hashHeader(header), transactions: [] };
    await lmdb.commit(new Map(), undefined, () => {
      store.putGenesis(genesis.hash, spec.chainId);
      store.putBlock(genesis, []);
      return { number: 0n, hash: genesis.hash, stateRoot: root };
    });
    endGenesisLoad(lmdb.path);
    return genesis;
  }

  // ---- reads ----

  /** The directory of the chain's LMDB environment (worker threads open it read-only). */
  get lmdbPath(): string {
    return this.core.lmdb.path;
  }

  head(): Block {
    return this.core.head;
  }

  /** The newest block mined: the one whose commit is in flight, else the head. The next block's parent. */
  tip(): Block {
    return this.core.tip();
  }

  /** The chain's first block: block 0, or on a fork the upstream's block it forked at. */
  firstBlock(): Block {
    return this.core.blockByNumber(this.core.genesisNumber)!;
  }

  blockByNumber(n: bigint): Block | undefined {
    return this.core.blockByNumber(n);
  }

  /** Transaction `index` of canonical block `number`, with the block's hash and header, the others not decoded. */
  transactionInBlock(
    number: bigint,
    index: number,
  ): { tx: SignedTransaction; block: Pick<Block, "hash" | "header"> } | undefined {
    const view = this.core.blockView(number);
    if (view === undefined) return undefined;
    const tx = view.block !== undefined ? view.block.transactions[index] : this.core.store.transactionAt(number, index);
    return tx === undefined ? undefined : { tx, block: view };
  }

  /** The header of canonical block `number`, without decoding its transactions. */
  headerByNumber(number: bigint): BlockHeader | undefined {
    return this.core.blockView(number)?.header;
  }

  /** The header of the canonical block `hash`, without decoding its transactions. */
  headerByHash(hash: bigint): BlockHeader | undefined {
    const core = this.core;
    const n = hash === core.head.hash ? core.head.header.number : core.store.numberOf(hash);
    const view = n === undefined ? undefined : core.blockView(n);
    return view?.hash === hash ? view.header : undefined;
  }

  blockByHash(hash: bigint): Block | undefined {
    const core = this.core;
    if (hash === core.head.hash) return core.head;
    const n = core.store.numberOf(hash);
    if (n === undefined) return undefined;
    const block = core.blockByNumber(n);
    return block?.hash === hash ? block : undefined;
  }

  transaction(hash: bigint): TransactionLocation | undefined {
    return this.core.store.locateTransaction(hash, (n) => this.core.blockView(n));
  }

  /** A transaction's receipt: from the decoded receipts where its block's are kept, else decoded alone. */
  receipt(hash: bigint): TransactionReceipt | undefined {
    const loc = this.transaction(hash);
    if (loc === undefined) return undefined;
    const kept = this.core.receiptCache.get(loc.blockNumber);
    if (kept !== undefined && kept[0]?.blockHash === loc.blockHash) return kept[loc.index];
    return this.core.store.receiptAt(loc);
  }

  /** The receipts of block `number` (empty for an unknown block). */
  blockReceipts(number: bigint): TransactionReceipt[] {
    return this.core.blockReceipts(number);
  }

  /**
   * The head state (dev edits included); it follows the chain as blocks are added. While a block's
   * commit is in flight LMDB may already show it: the head's state then undoes it (its undo record).
   */
  state(): Host {
    const core = this.core;
    const committing = core.committing;
    if (committing === undefined || committing.block === core.head) return core.lmdb;
    if (committing.headState?.hash !== core.head.hash) committing.headState = this.headHistory();
    return committing.headState;
  }

  /**
   * The state after the tip (the block whose commit is in flight, else the head): what the next
   * block executes on. Not the head's while a commit is in flight.
   */
  tipState(): Host {
    return this.core.committing?.state ?? this.core.lmdb;
  }

  /** The head's state: LMDB with the undo records newer than the head (commits in flight) undone. */
  private headHistory(): HistoricalState {
    const core = this.core;
    const head = core.head;
    let from = core.published + 1n;
    for (const seq of core.inflight.keys()) if (seq < from) from = seq;
    return new HistoricalState(core.lmdb, core.history, head.header.number, head.hash, from);
  }

  /**
   * The state after block `number` (with the dev edits made while it was the head: the state the
   * next block was built on). It stays at that block while the chain grows; it throws once a revert
   * drops the block. Cost: see history.ts (reads every undo record since the block, once).
   */
  stateAt(number: bigint): Host {
    const core = this.core;
    const head = core.head;
    if (number < 0n || number > head.header.number) {
      throw new Error(`block ${number} is not in the chain (head is ${head.header.number})`);
    }
    if (number === head.header.number) return this.headHistory();
    if (number < core.genesisNumber)
      throw new Error(`block ${number} is before the fork (block ${core.genesisNumber})`);
    const block = core.blockByNumber(number)!;
    const cached = core.historical.get(number);
    if (cached !== undefined && cached.hash === block.hash) return cached;
    const from = core.store.blockSeq(number + 1n);
    if (from === undefined) throw new Error(`chain store: block ${number + 1n} has no undo record`);
    const state = new HistoricalState(core.lmdb, core.history, number, block.hash, from);
    core.historical.set(number, state);
    return state;
  }

  /**
   * The environment of the next block: parent's gas limit and coinbase, EIP-1559 base fee, EIP-4844
   * excess blob gas (coinbase, gas limit and base fee as the dev setters left them, where they did).
   */
  nextBlockEnv(timestamp: bigint): BlockEnv {
    return this.production.envOn(this.core.head, timestamp);
  }

  /** The next mined block's base fee: a dev-set one, else EIP-1559's from the tip. */
  nextBaseFee(): bigint {
    return this.production.nextBaseFeeOverride ?? nextBaseFee(this.core.tip().header);
  }

  /** The next mined block's gas limit: a dev-set one, else the tip's. */
  nextGasLimit(): bigint {
    return this.production.gasLimitOverride ?? this.core.tip().header.gasLimit;
  }

  /** The environment block `block` was executed in (for re-executing or tracing its transactions). */
  blockEnvOf(block: Block): BlockEnv {
    const h = block.header;
    return {
      chainId: this.chainId,
      number: h.number,
      coinbase: h.coinbase,
      timestamp: h.timestamp,
      gasLimit: h.gasLimit,
      baseFee: h.baseFeePerGas,
      prevRandao: h.mixHash,
      excessBlobGas: h.excessBlobGas,
    };
  }

  // ---- mining (block-production.ts) ----

  /**
   * Mines the next block from `txs` (in the order given; see buildBlock for what is dropped or
   * deferred) and resolves once it is durably committed. The timestamp may equal the parent's, not
   * precede it.
   */
  mine(txs: readonly SignedTransaction[], o: { timestamp: bigint }): Promise<MinedBlock> {
    return this.startMining(txs, o).then((started) => started.mined);
  }

  /**
   * Mines the next block on the tip and resolves once it is executed and its commit is under way:
   * the next block may then be mined on top while this one is written. `mined` resolves once it is
   * durable and the head. With `parent`, fails with a TipMovedError unless the tip is that block.
   */
  startMining(txs: readonly SignedTransaction[], o: { timestamp: bigint; parent?: bigint }): Promise<StartedBlock> {
    return this.production.startMining(txs, o);
  }

  /**
   * Executes the block that `startMining(txs, o)` would mine next on the tip, ahead of that call
   * (a dev script's next evm_mine, while this block is written): its execution, receipts, undo
   * record and encodings are made and its root is under way. The next startMining takes it where
   * nothing changed meanwhile (the same parent, environment and transactions, and no other write);
   * otherwise it is dropped. Never fails: a block that cannot be prepared is mined afresh.
   */
  prepareMining(txs: readonly SignedTransaction[], o: { timestamp: bigint }): Promise<void> {
    return this.production.prepareMining(txs, o).catch(() => undefined);
  }

  // ---- dev settings of later blocks (in memory: a restart goes back to the parent's values) ----

  /** anvil_setCoinbase: every later block's beneficiary (and who gets its fees). */
  setCoinbase(address: bigint): void {
    checkAddress(address);
    this.production.coinbaseOverride = address;
  }

  /** evm_setBlockGasLimit: every later block's gas limit. */
  setGasLimit(limit: bigint): void {
    checkU64(limit, "gas limit");
    this.production.gasLimitOverride = limit;
  }

  /** anvil_setNextBlockBaseFeePerGas: the next mined block's base fee (later ones follow EIP-1559 from it). */
  setNextBaseFee(fee: bigint): void {
    checkU64(fee, "base fee");
    this.production.nextBaseFeeOverride = fee;
  }

  // ---- dev edits of the state (dev-edits.ts) ----

  /**
   * Sets fields of an account (dev methods: anvil_setBalance, setNonce, setCode, setStorageAt).
   * Durable once resolved; seen by the next block and by `state()`; undone by a revert to a
   * snapshot taken before it.
   */
  setAccount(address: bigint, change: AccountChange): Promise<void> {
    return setAccount(this.core, address, change);
  }

  /** anvil_loadState: sets every account of the dump (see snapshot.ts), in one commit. */
  loadState(dump: StateDump | Uint8Array | string): Promise<void> {
    return loadState(this.core, dump);
  }

  /** anvil_dumpState: every account with its code and storage, the head's environment and header. */
  dumpState(): StateDump {
    return dumpState(this.core);
  }

  // ---- snapshots and rewinds (rewind.ts) ----

  /** A snapshot id (evm_snapshot): the state once every operation called before it is done. */
  snapshot(): bigint {
    return this.rewinds.snapshot();
  }

  /**
   * Rewinds blocks and state to snapshot `id` (evm_revert), durably; false where `id` is unknown or
   * already used. Removes `id` and every later snapshot. `onDropped` (when given) is told which
   * blocks were dropped, with their receipts (read for it only, so pass it only when someone listens).
   */
  revert(id: bigint, onDropped?: BlocksDroppedListener): Promise<boolean> {
    return this.rewinds.revert(id, onDropped);
  }

  /**
   * anvil_reset: back to the first block (0, or a fork's block) and its state (every block and dev
   * edit since undone, durably, as a revert does), every snapshot dropped; `onDropped` as for revert.
   * With `forking` (a forked chain only) it then forks again: that upstream (default: the same) at
   * that block (default: its latest).
   */
  reset(onDropped?: BlocksDroppedListener, forking?: ForkReset): Promise<void> {
    return this.rewinds.reset(onDropped, forking);
  }

  /** The live snapshots with the block each returns to (anvil_metadata's `snapshots`), by id. */
  snapshotHeads(): { id: bigint; number: bigint; hash: bigint }[] {
    return this.rewinds.snapshotHeads();
  }

  // ---- the store ----

  /**
   * Whether the store takes writes again after a StoreWriteError (resolves), or still not (rejects
   * with one): queued like every write, so it never runs beside a block's commit.
   */
  probeWrite(): Promise<void> {
    return this.core.serialize(() => this.core.lmdb.probeWrite());
  }

  /** Waits for queued operations, then closes the database. Later calls fail. */
  async close(): Promise<void> {
    const core = this.core;
    if (core.closed) return;
    const last = core.queue;
    core.closed = true;
    await last;
    await core.drain();
    await core.dropPrepared();
    // The trie's logged nodes go to its path tables: the next open reads no log. A failure leaves
    // them logged, read back at the next open.
    try {
      await core.roots.close();
    } catch {}
    const upstream = core.lmdb.forkPoint?.client;
    await core.lmdb.close();
    await upstream?.close();
  }

  /** The state trie's node cache: its size, its limit and how often it answered (weft_metrics). */
  stateCacheStats(): Promise<TrieCacheStats> {
    return this.core.roots.cacheStats();
  }

  /** EIP-1186 proofs of the head's state, read from the stored trie along each key's path. */
  async proveLatest(address: bigint, slots: readonly bigint[]): Promise<AccountProof> {
    return proofOfAccount(await this.core.roots.prove(address, slots), this.core.lmdb, address, slots);
  }
}

function hasAny(items: Iterable<unknown>): boolean {
  for (const _ of items) return true;
  return false;
}
