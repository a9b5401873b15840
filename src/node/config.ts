// The node's settings after the command line is read: every value resolved, anvil's defaults where
// the user gave none. `given` records which genesis-shaping flags were typed, so a restart on an
// existing data folder can tell a conflicting flag from a default.
import { availableParallelism } from "node:os";
import { DEFAULT_DERIVATION_PATH, DEFAULT_MNEMONIC } from "../chain/dev-accounts.js";
import type { RpcLimits } from "../rpc/context.js";
import { type AccessPolicy, LOCAL_ONLY } from "../rpc/http-guards.js";
import { DEFAULT_LOG_LEVEL, type LogLevel } from "./log-level.js";

/** How blocks are produced. */
export type MiningMode =
  | { kind: "auto" } // one block as soon as transactions arrive (anvil's default)
  | { kind: "interval"; ms: number } // one block every `ms`, empty or not (--block-time)
  | { kind: "manual" }; // only evm_mine / anvil_mine (--no-mining)

export interface NodeConfig {
  host: string;
  /** 0 picks a free port (the banner shows which). */
  port: number;
  chainId: bigint;
  /** Dev accounts derived from the mnemonic (keys held by the node). */
  accounts: number;
  /** Wei each dev account holds at genesis. */
  balance: bigint;
  mnemonic: string;
  derivationPath: string;
  mining: MiningMode;
  gasLimit: bigint;
  baseFee: bigint;
  /** Genesis timestamp (seconds); undefined = the time of the first start. */
  timestamp: bigint | undefined;
  /** Where the chain is kept (--datadir; resumed when it holds one); undefined: a fresh chain in a
   * temporary folder removed when the node stops, as anvil starts empty every time. */
  datadir: string | undefined;
  /** A state file (anvil's dump JSON) loaded at start (--load-state, or --state where it exists). */
  loadStateFile: string | undefined;
  /** Where the state is written (anvil's dump JSON, atomically) when the node stops (--dump-state, --state). */
  dumpStateFile: string | undefined;
  /** A geth-style genesis file; undefined = a dev genesis from the flags. */
  genesisFile: string | undefined;
  /** --fork-url / --fork-block-number: fork that upstream at that block (undefined: its latest). */
  fork: { url: string; blockNumber: bigint | undefined } | undefined;
  /** Block execution threads (undefined: one per core). */
  threads: number | undefined;
  /** Signature-recovery worker threads (undefined: the pool's default). */
  recoverThreads: number | undefined;
  /** MiB of state trie nodes cached in memory (--state-cache-mb; undefined: the chain's default). */
  stateCacheMb?: number;
  limits: Partial<RpcLimits>;
  /** The pool's caps (--txpool-*); absent ones take the pool's defaults. */
  txpool: TxPoolCaps;
  /** Worker threads that run eth_call, eth_estimateGas, traces and the like (--rpc-call-workers). */
  callWorkers: number;
  /** Most gas one call, estimate or traced call may use; 0n: no cap (--rpc-gas-cap). */
  rpcGasCap: bigint;
  /** Wall-clock limit of one call, estimate or trace in milliseconds; 0: none (--rpc-call-timeout). */
  rpcCallTimeoutMs: number;
  /** Who may use the node: --allowed-hosts, --allow-origin (CORS and WebSocket origins), --auth-token. */
  access: AccessPolicy;
  /** Addresses funded at genesis (with `balance`) besides the dev accounts. */
  fundAtGenesis: readonly bigint[];
  /** Deploy the RWA suite at its fixed addresses on start (`weft node --rwa`: src/rwa/predeploy.ts,
   * run by the CLI before it announces the node). */
  rwa: boolean;
  /** No banner, no per-block lines. */
  silent: boolean;
  /** What the node logs (--log-level, -v; --silent is "error"). */
  logLevel: LogLevel;
  /** Log lines as JSON objects (--log-json) instead of text. */
  logJson: boolean;
  /** Flags the user typed that shape a new chain's genesis (checked against an existing data folder). */
  given: ReadonlySet<GenesisFlag>;
}

export interface TxPoolCaps {
  /** Most bytes the pooled transactions hold (their encoding, and calldata kept decoded beside it). */
  maxBytes?: number;
  /** Most transactions in the pool. */
  maxTotal?: number;
  /** Most transactions one sender may have in the pool (the pool's default: none, as anvil's). */
  maxPerSender?: number;
  /** Largest transaction the pool takes, encoded (the pool's default: none, as anvil's). */
  maxTxBytes?: number;
  /** geth's replacement rule with this percentage (the pool's default: anvil's rule). */
  priceBump?: number;
}

export type GenesisFlag =
  | "chain-id"
  | "balance"
  | "gas-limit"
  | "base-fee"
  | "timestamp"
  | "accounts"
  | "mnemonic"
  | "derivation-path";

const ETH = 10n ** 18n;

/** anvil's defaults (a fresh chain each start: kept only with --datadir). */
export function defaultConfig(): NodeConfig {
  return {
    host: "127.0.0.1",
    port: 8545,
    chainId: 31337n,
    accounts: 10,
    balance: 10_000n * ETH,
    mnemonic: DEFAULT_MNEMONIC,
    derivationPath: DEFAULT_DERIVATION_PATH,
    mining: { kind: "auto" },
    gasLimit: 30_000_000n,
    baseFee: 1_000_000_000n,
    timestamp: undefined,
    datadir: undefined,
    loadStateFile: undefined,
    dumpStateFile: undefined,
    genesisFile: undefined,
    fork: undefined,
    threads: undefined,
    recoverThreads: undefined,
    limits: {},
    txpool: {},
    callWorkers: 2,
    // geth's --rpc.gascap and --rpc.evmtimeout defaults.
    rpcGasCap: 50_000_000n,
    rpcCallTimeoutMs: 5000,
    access: LOCAL_ONLY,
    fundAtGenesis: [],
    rwa: false,
    silent: false,
    logLevel: DEFAULT_LOG_LEVEL,
    logJson: false,
    given: new Set(),
  };
}

/**
 * Signature-recovery worker threads: --recover-threads, else one per core but the main thread's,
 * or one per core with mining off (--no-mining: nothing mines while transactions arrive, so
 * recovery may take every core; blocks come only on evm_mine). At most 8 by default.
 * bench e2e --mine-after (50,000 erc20, 2 cores), alternated: 1 thread 11,746-12,209 tx/s sent,
 * 2 threads 13,806-14,427. Under --block-time 1 a second thread took CPU from mining (p99
 * latency 2.4-3.0 s -> 3.9 s): the default there stays one core short.
 */
export function recoverThreadsOf(
  config: Pick<NodeConfig, "recoverThreads" | "mining">,
  cores = availableParallelism(),
): number {
  if (config.recoverThreads !== undefined) return config.recoverThreads;
  return Math.max(1, Math.min(8, config.mining.kind === "manual" ? cores : cores - 1));
}
