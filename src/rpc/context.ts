// What RPC methods see of the node: structural interfaces over the chain (src/chain/chain.ts), the
// pool (src/txpool), the miner (src/node/miner.ts) and the node's settings. Structural so the RPC
// layer depends on shapes only: the node passes its real parts, tests may pass small stand-ins.

import type { Block, BlockHeader, DroppedBlock, SignedTransaction, TransactionReceipt } from "../chain/types.js";
import type { BlockEnv, Host } from "../evm/host.js";
import type { AccountProof } from "../state/proof.js";
import type { FilterStore } from "./filters/filter-store.js";

/** The canonical chain, as src/chain/chain.ts's Chain provides it. */
export interface RpcChain {
  readonly chainId: bigint;
  head(): Block;
  blockByNumber(number: bigint): Block | undefined;
  blockByHash(hash: bigint): Block | undefined;
  /** Optional: the header of canonical block `number` alone (else read from blockByNumber's whole block). */
  headerByNumber?(number: bigint): BlockHeader | undefined;
  /** Optional: the header of block `hash` alone (else read from blockByHash's whole block). */
  headerByHash?(hash: bigint): BlockHeader | undefined;
  /**
   * Optional: transaction `index` of canonical block `number` with the block's hash and header, the
   * block's other transactions not decoded (else read from blockByNumber's whole block).
   */
  transactionInBlock?(
    number: bigint,
    index: number,
  ): { tx: SignedTransaction; block: Pick<Block, "hash" | "header"> } | undefined;
  transaction(
    hash: bigint,
  ): { tx: SignedTransaction; blockHash: bigint; blockNumber: bigint; index: number } | undefined;
  receipt(hash: bigint): TransactionReceipt | undefined;
  blockReceipts(number: bigint): TransactionReceipt[];
  /** Head state. */
  state(): Host;
  /** State after block `number` (historical reads). */
  stateAt(number: bigint): Host;
  /** Optional: EIP-1186 proofs of the head's state from the stored trie (else built from the whole state). */
  proveLatest?(address: bigint, slots: readonly bigint[]): Promise<AccountProof>;
  /** The environment of the block that would be mined next at `timestamp`. */
  nextBlockEnv(timestamp: bigint): BlockEnv;
}

/** The transaction pool, as src/txpool's TxPool provides it. */
export interface RpcPool {
  /** Decodes, recovers, validates, queues; resolves to the hash, or throws a TxPoolError / TxDecodeError. */
  addRaw(raw: Uint8Array): Promise<bigint>;
  /** A transaction already signed here or impersonated. */
  add(tx: SignedTransaction): bigint;
  /** Optional: the nonce `address`'s next transaction needs, counting pooled ones (else derived from pending()). */
  nonce?(address: bigint): bigint;
  /** Executable transactions in block order. */
  pending(): SignedTransaction[];
  /** Optional: what the next block can take, in block order: pending() up to a block's worth (else all of pending()). */
  candidates?(): SignedTransaction[];
  get(hash: bigint): SignedTransaction | undefined;
  /** Optional: every pooled transaction by sender, in nonce order, pending and queued apart (txpool_*). */
  content?(): { pending: Map<bigint, SignedTransaction[]>; queued: Map<bigint, SignedTransaction[]> };
}

/** Block production, as src/node/miner.ts provides it. */
export interface RpcMiner {
  /** Whether each arriving transaction is mined at once. */
  readonly automine: boolean;
  /** eth_mining: whether blocks are being produced by automine or interval mining (default: automine). */
  readonly mining?: boolean;
  /**
   * Optional: resolves once `hash` (just added to the pool) is mined or judged unminable under
   * automine. eth_send* await it when present, so the receipt exists when they return (anvil does so).
   */
  afterSubmit?(hash: bigint): Promise<void>;
  /** Timestamp the next block will carry (for eth_call/estimateGas on "pending"); default: now. */
  nextTimestamp?(): bigint;
}

export type BlockListener = (block: Block, receipts: TransactionReceipt[]) => void;
export type PendingTxListener = (tx: SignedTransaction) => void;
/** The blocks one rewind (evm_revert, anvil_reset) dropped, oldest first, with their receipts. */
export type BlocksDroppedListener = (dropped: readonly DroppedBlock[]) => void;

/** The node's events; `on*` return a function that removes the listener. See events.ts for an implementation. */
export interface RpcEvents {
  onBlock(listener: BlockListener): () => void;
  onPendingTx(listener: PendingTxListener): () => void;
  /** Once per rewind that removed blocks, before any block mined after it. */
  onBlocksDropped(listener: BlocksDroppedListener): () => void;
}

export interface DevAccount {
  address: bigint;
  privateKey: Uint8Array;
}

export interface RpcConfig {
  /** web3_clientVersion. */
  clientVersion: string;
  /** net_version; defaults to the chain id. */
  networkId?: bigint;
  /** eth_coinbase: the address blocks are mined to. */
  coinbase: bigint;
  /** Lowest tip eth_maxPriorityFeePerGas / eth_gasPrice suggest (default 1 gwei, as anvil). */
  minPriorityFee?: bigint;
  /**
   * Most gas eth_call, eth_estimateGas, eth_createAccessList and debug_traceCall may use: a request
   * asking more runs with this (geth's --rpc.gascap). Absent or 0n: no cap. A request without gas
   * gets the block's gas limit, capped. The calls of one eth_simulateV1 share it (geth's gas pool).
   */
  callGasCap?: bigint;
}

/** Limits of the server; every one has a default (limits.ts). */
export interface RpcLimits {
  /** Largest HTTP body / WebSocket message, in bytes. */
  maxBodyBytes: number;
  /** Most requests in one batch. */
  maxBatchLength: number;
  /** Most blocks one eth_getLogs / eth_getFilterLogs may span. */
  maxLogsBlockRange: bigint;
  /** Most logs one eth_getLogs / eth_getFilterLogs may return. */
  maxLogsResults: number;
  /** Most addresses one log filter (eth_getLogs, eth_newFilter, the logs subscription) may list. */
  maxLogsAddresses: number;
  /** Most alternatives one topic position of a log filter may list. */
  maxLogsTopicValues: number;
  /** Milliseconds of work one eth_getLogs / eth_getFilterLogs may take before it fails (-32005). */
  logsQueryBudgetMs: number;
  /** Most eth_subscribe subscriptions one WebSocket connection may hold. */
  maxSubscriptionsPerConnection: number;
  /** Most installed filters (eth_newFilter & co.) at once; past it the least recently polled one goes. */
  maxFilters: number;
  /** Most installed filters one client (a WebSocket, or an HTTP remote address) may hold. */
  maxFiltersPerClient: number;
  /** Largest anvil_loadState dump once inflated (and its JSON text), in bytes. */
  maxStateDumpBytes: number;
  /** Seconds after which an unpolled filter is removed (geth: 5 minutes). */
  filterTimeoutSeconds: number;
  /** Bytes of subscription notifications a WebSocket may leave unread; past it the socket is closed (1008). */
  maxUnsentNotificationBytes: number;
}

/** Everything a method handler may use. Built by the node (H6) and passed to startRpcServer. */
export interface RpcContext {
  chain: RpcChain;
  pool: RpcPool;
  miner: RpcMiner;
  events: RpcEvents;
  /** Accounts with keys (eth_accounts, eth_sendTransaction, eth_sign, eth_signTypedData_v4). */
  accounts: DevAccount[];
  /** Accounts that may send without a key (anvil_impersonateAccount); H6's dev methods edit the set. */
  impersonated: Set<bigint>;
  /** anvil_autoImpersonateAccount: while true, eth_sendTransaction sends from any address without its key. */
  autoImpersonate?: boolean;
  config: RpcConfig;
  limits: RpcLimits;
  /** Filters installed by eth_new*Filter (createRpcContext makes one). */
  filters: FilterStore;
  /** weft_metrics: the node's counters (absent: the method answers "not available"). */
  metrics?: () => Record<string, number> | Promise<Record<string, number>>;
}
