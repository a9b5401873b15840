// The node's Prometheus metrics (prom-client), served at GET /metrics on the JSON-RPC port. Named as
// reth names the same measurement where it has one (so reth's dashboards and alerts read them), with
// a `weft_` prefix where reth has none. Durations are histograms in seconds. Gauges of the pool and
// the chain are read when scraped; block and request metrics are recorded as they happen.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { MinedBlock } from "../chain/chain.js";
import type { ServedRequest } from "../rpc/dispatch.js";
import type { TrieCacheStats } from "../state/trie/trie-store.js";

/** Block stages take from well under a millisecond (an empty block) to seconds (a full parallel one). */
const STAGE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** JSON-RPC calls: prom-client's default buckets start at 5 ms; most reads answer far below. */
const CALL_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** The `method` label of requests for methods the node does not have (a client cannot grow the label set). */
export const UNKNOWN_METHOD = "unknown";

/** What the gauges read when scraped. */
export interface MetricsSources {
  headNumber(): number;
  pool(): { pending: number; queued: number; bytes: number };
  /** The state trie's node cache (absent: no gauges for it). */
  stateCache?(): Promise<TrieCacheStats>;
}

interface MethodSeries {
  time: ReturnType<Histogram<"method">["labels"]>;
  successful: ReturnType<Counter<"method">["labels"]>;
}

export class NodeMetrics {
  readonly registry = new Registry();
  private readonly blocks: Counter<"mode">;
  private readonly transactions: Counter;
  private readonly gas: Counter;
  private readonly reexecutions: Counter;
  private readonly execution: Histogram;
  private readonly stateRoot: Histogram;
  private readonly commit: Histogram;
  private readonly callTime: Histogram<"method">;
  private readonly callsSuccessful: Counter<"method">;
  private readonly callsFailed: Counter<"method" | "code">;
  /** Labelled children by method: found once, not per request. */
  private readonly methods = new Map<string, MethodSeries>();

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.blocks = new Counter({
      name: "weft_blocks_mined_total",
      help: "Blocks mined, by the executor that ran them (sequential, or parallel: Block-STM on worker threads)",
      labelNames: ["mode"],
      registers,
    });
    this.transactions = new Counter({
      name: "weft_transactions_mined_total",
      help: "Transactions included in mined blocks",
      registers,
    });
    this.gas = new Counter({
      name: "sync_execution_gas_processed_total",
      help: "Gas used by mined blocks",
      registers,
    });
    this.reexecutions = new Counter({
      name: "weft_block_reexecutions_total",
      help: "Transaction executions beyond one per transaction (Block-STM aborts) in mined blocks",
      registers,
    });
    this.execution = new Histogram({
      name: "sync_execution_execution_histogram",
      help: "Seconds to execute a block (transactions, receipts, undo record)",
      buckets: STAGE_BUCKETS,
      registers,
    });
    this.stateRoot = new Histogram({
      name: "sync_block_validation_state_root_histogram",
      help: "Seconds to compute a block's state root (incremental)",
      buckets: STAGE_BUCKETS,
      registers,
    });
    this.commit = new Histogram({
      name: "consensus_engine_persistence_save_blocks_duration_seconds",
      help: "Seconds to commit a block to LMDB and flush it to disk",
      buckets: STAGE_BUCKETS,
      registers,
    });
    new Gauge({
      name: "blockchain_tree_canonical_chain_height",
      help: "The head block's number",
      registers,
      collect() {
        this.set(sources.headNumber());
      },
    });
    poolGauges(sources, registers);
    stateCacheGauges(sources, registers);
    this.callTime = new Histogram({
      name: "rpc_server_calls_time_seconds",
      help: "Seconds to answer a JSON-RPC call, by method",
      labelNames: ["method"],
      buckets: CALL_BUCKETS,
      registers,
    });
    this.callsSuccessful = new Counter({
      name: "rpc_server_calls_successful_total",
      help: "JSON-RPC calls answered with a result, by method",
      labelNames: ["method"],
      registers,
    });
    this.callsFailed = new Counter({
      name: "rpc_server_calls_failed_total",
      help: "JSON-RPC calls answered with an error, by method and error code",
      labelNames: ["method", "code"],
      registers,
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  observeBlock(mined: MinedBlock): void {
    const { stats } = mined;
    this.blocks.labels(stats.mode).inc();
    this.transactions.inc(mined.block.transactions.length);
    this.gas.inc(Number(mined.block.header.gasUsed));
    this.reexecutions.inc(stats.reexecutions);
    this.execution.observe(stats.executeMs / 1000);
    this.stateRoot.observe(stats.stateRootMs / 1000);
    this.commit.observe(stats.commitMs / 1000);
  }

  observeRequest(served: ServedRequest): void {
    const method = served.known ? served.method : UNKNOWN_METHOD;
    let series = this.methods.get(method);
    if (series === undefined) {
      series = { time: this.callTime.labels(method), successful: this.callsSuccessful.labels(method) };
      this.methods.set(method, series);
    }
    series.time.observe(served.ms / 1000);
    if (served.error === undefined) series.successful.inc();
    else this.callsFailed.labels(method, String(served.error.code)).inc();
  }
}

/** reth's pool gauges (its pending and queued sub-pools, and all); the byte count is the whole pool's. */
function poolGauges(sources: MetricsSources, registers: Registry[]): void {
  const gauges: [name: string, help: string, read: (pool: ReturnType<MetricsSources["pool"]>) => number][] = [
    ["transaction_pool_pending_pool_transactions", "Transactions that can run next (pending)", (p) => p.pending],
    ["transaction_pool_queued_pool_transactions", "Transactions behind a nonce gap (queued)", (p) => p.queued],
    ["transaction_pool_total_transactions", "Transactions in the pool", (p) => p.pending + p.queued],
    [
      "weft_transaction_pool_size_bytes",
      "Bytes the pooled transactions hold (--txpool-max-bytes caps it)",
      (p) => p.bytes,
    ],
  ];
  collectedGauges(gauges, sources.pool, registers);
}

/** The state trie's node cache, read when scraped. */
function stateCacheGauges(sources: MetricsSources, registers: Registry[]): void {
  const stats = sources.stateCache;
  if (stats === undefined) return;
  const gauges: [string, string, (s: TrieCacheStats) => number][] = [
    ["weft_state_cache_bytes", "Bytes the state trie's node cache holds (estimated)", (s) => s.bytes],
    [
      "weft_state_cache_limit_bytes",
      "Bytes the state trie's node cache may hold (--state-cache-mb)",
      (s) => s.limitBytes,
    ],
    ["weft_state_cache_nodes", "Trie nodes in the state trie's node cache", (s) => s.nodes],
    ["weft_state_cache_hits", "State trie node reads the cache answered, since start", (s) => s.hits],
    ["weft_state_cache_misses", "State trie node reads that went to LMDB, since start", (s) => s.misses],
    [
      "weft_state_trie_log_commits",
      "Commits whose trie nodes are in trie/log (held in memory too) until the path tables are next written",
      (s) => s.logCommits,
    ],
    ["weft_state_trie_log_paths", "Trie node paths in trie/log (held in memory too)", (s) => s.logPaths],
  ];
  collectedGauges(gauges, stats, registers);
}

/** Gauges that each read one figure of a snapshot taken when scraped. */
function collectedGauges<T>(
  gauges: [name: string, help: string, read: (snapshot: T) => number][],
  snapshot: () => T | Promise<T>,
  registers: Registry[],
): void {
  for (const [name, help, read] of gauges) {
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        this.set(read(await snapshot()));
      },
    });
  }
}
