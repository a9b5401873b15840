// Assembles a node: dev accounts, genesis, Chain (LMDB in --datadir), TxPool, Miner, the event bus
// and the JSON-RPC server on one port. startNode resolves once the server listens; close() stops
// everything in order (server, miner, pool, chain) so the database closes cleanly.
import type { Chain as ChainType } from "../chain/chain.js";
import { blobGasPrice, nextExcessBlobGas } from "../chain/fees.js";
import { initPrecompiles } from "../evm/precompiles/index.js";
import { EMPTY_CODE_HASH } from "../primitives/keccak.js";
import { CallPool } from "../rpc/call-pool/pool.js";
import type { DevAccount } from "../rpc/context.js";
import { CLIENT_VERSION, createRpcContext } from "../rpc/create-context.js";
import type { DispatchTiming } from "../rpc/dispatch.js";
import { EventBus } from "../rpc/events.js";
import type { MethodTable } from "../rpc/handler.js";
import { methods as defaultMethods } from "../rpc/methods.js";
import { type RpcServer, startRpcServer } from "../rpc/server.js";
import type { StoreWriteError } from "../state/store-errors.js";
import type { TrieCacheStats } from "../state/trie/trie-store.js";
import { TxPool } from "../txpool/tx-pool.js";
import { type NodeConfig, recoverThreadsOf } from "./config.js";
import { createLogger, type Logger } from "./log.js";
import { NodeMetrics } from "./metrics.js";
import { MinedConsoleLog } from "./mined-console-log.js";
import { type MinedBlock, Miner, WRITE_RETRY_MS } from "./miner.js";
import { openChain } from "./open-chain.js";
import { logRequest } from "./request-log.js";
import { writeStateFile } from "./state-file.js";

export interface NodeOptions {
  /** Called after each committed block (the CLI prints a line). */
  onBlock?: (mined: MinedBlock) => void;
  /** A block automine or interval mining failed to produce. */
  onError?: (error: Error) => void;
  /** The method table (default: src/rpc/methods.ts). */
  methods?: MethodTable;
  /** Wall clock in seconds (tests). */
  now?: () => bigint;
  /** Chain writes started failing (production paused: the error) or work again (undefined); default: logged. */
  onWriteStatus?: (failure: StoreWriteError | undefined) => void;
  /**
   * Where the node logs (src/node/log.ts): mining errors, write failures, console.log lines (at
   * info), a line per JSON-RPC request (at debug). Default: warnings and errors as text.
   */
  log?: Logger;
}

export interface WeftNode {
  /** The settings in force (a kept chain's recorded dev accounts; the datadir, temporary or not). */
  readonly config: NodeConfig & { datadir: string };
  /** True when the chain is a fresh one in a temporary folder, removed by close(). */
  readonly temporary: boolean;
  readonly chain: ChainType;
  readonly pool: TxPool;
  readonly miner: Miner;
  readonly server: RpcServer;
  /** What GET /metrics serves. */
  readonly metrics: NodeMetrics;
  readonly accounts: DevAccount[];
  /** True when the data folder already held this chain. */
  readonly resumed: boolean;
  /** Stops the server, the miner (after its block in progress), writes the --dump-state / --state
   * file, stops the pool's workers, then the chain; rejects (after closing all) if the file could not
   * be written. */
  close(): Promise<void>;
}

export async function startNode(given: NodeConfig, options: NodeOptions = {}): Promise<WeftNode> {
  const now = options.now ?? (() => BigInt(Math.floor(Date.now() / 1000)));
  await initPrecompiles(); // WebAssembly modexp and bn254 for the blocks and calls run on this thread
  const opened = await openChain(given, now);
  const { chain, config, accounts } = opened;
  chain.startExecutorWorkers();
  const log = options.log ?? createLogger({ level: "warn", json: false });
  const nodeLog = log.child({ component: "weft node" });

  const pool = new TxPool({
    chainId: chain.chainId,
    recoverThreads: recoverThreadsOf(config),
    // The pool's defaults are a dev node's, as anvil's; the --txpool-* flags set geth's caps.
    ...config.txpool,
    state: () => chain.state(),
    // The next block's, dev settings included (anvil_setNextBlockBaseFeePerGas, evm_setBlockGasLimit).
    baseFee: () => chain.nextBaseFee(),
    blockGasLimit: () => chain.nextGasLimit(),
    blobBaseFee: () => blobGasPrice(nextExcessBlobGas(chain.head().header)),
  });
  const events = new EventBus();
  const metrics = new NodeMetrics({
    headNumber: () => Number(chain.head().header.number),
    pool: () => ({ ...pool.status(), bytes: pool.bytes }),
    stateCache: () => chain.stateCacheStats(),
  });
  // Mined transactions' console.log lines, where they are printed (set once the call workers exist).
  let consoleLog: MinedConsoleLog | undefined;
  const miner = new Miner({
    chain,
    pool,
    mode: config.mining,
    now,
    onBlock: (mined) => {
      metrics.observeBlock(mined);
      events.emitBlock(mined.block, mined.receipts);
      options.onBlock?.(mined);
      consoleLog?.onBlock(mined.block);
    },
    onBlocksDropped: (dropped) => events.emitBlocksDropped(dropped),
    onError: options.onError ?? ((error) => nodeLog.error(`error while mining: ${error.stack ?? error.message}`)),
    onWriteStatus:
      options.onWriteStatus ??
      ((failure) =>
        failure === undefined
          ? nodeLog.warn("the chain is written to disk again: block production resumed")
          : nodeLog.error(
              `${failure.message}: block production paused (reads still served, transactions refused), retrying every ${WRITE_RETRY_MS / 1000} s`,
            )),
  });
  pool.onPending((tx) => {
    events.emitPendingTx(tx);
    miner.onPendingTx();
  });

  // Solidity console.log lines of eth_call / eth_estimateGas, printed as anvil prints them (info).
  const printCallConsole = (lines: string[], method: string) => {
    for (const line of lines) log.info({ console: true, method }, line);
  };
  // eth_call, estimates and traces run on worker threads that read the chain's LMDB environment.
  const callPool = new CallPool({
    lmdbPath: chain.lmdbPath,
    chainId: chain.chainId,
    workers: config.callWorkers,
    timeoutMs: config.rpcCallTimeoutMs,
    ...(log.isLevelEnabled("info") ? { onConsoleLines: printCallConsole } : {}),
  });
  /** The JSON-RPC dispatcher's own time on the main thread (weft_metrics' ingestMs). */
  const dispatchTiming: DispatchTiming = { ingestMs: 0 };
  const ctx = createRpcContext({
    chain,
    pool: {
      // While chain writes fail, nothing is accepted that could not be stored.
      addRaw: (raw) => {
        miner.assertWritable();
        return pool.addRaw(raw);
      },
      add: (tx) => {
        miner.assertWritable();
        return pool.add(tx);
      },
      nonce: (address) => pool.pendingNonce(address),
      pending: () => pool.pending(),
      candidates: () => pool.candidates(),
      get: (hash) => pool.get(hash),
      content: () => pool.content(),
    },
    miner,
    events,
    accounts,
    config: { coinbase: chain.head().header.coinbase, clientVersion: CLIENT_VERSION, callGasCap: config.rpcGasCap },
    limits: config.limits,
    metrics: async () => {
      const stateCache = await chain.stateCacheStats();
      const memory = process.memoryUsage();
      const mainThread = performance.eventLoopUtilization();
      return {
        ...chain.metrics,
        ingestMs: dispatchTiming.ingestMs,
        recoverMs: pool.recoverMs,
        admitMs: pool.admitMs,
        mainActiveMs: mainThread.active,
        mainIdleMs: mainThread.idle,
        recoveredInline: pool.recovered.inline,
        recoveredOnWorkers: pool.recovered.workers,
        pending: pool.status().pending,
        ...callPool.metrics,
        rssBytes: memory.rss,
        heapUsedBytes: memory.heapUsed,
        ...stateCacheMetrics(stateCache),
      };
    },
  });

  if (log.isLevelEnabled("info")) {
    consoleLog = new MinedConsoleLog({
      run: (method, params) => callPool.run(method, params, ctx),
      hasCode: (address) => (chain.state().account(address)?.codeHash ?? EMPTY_CODE_HASH) !== EMPTY_CODE_HASH,
      log,
    });
  }

  let server: RpcServer;
  try {
    server = await startRpcServer({
      ctx,
      // A fork's state reads may go upstream through the main thread's client: calls run there too.
      methods:
        config.fork === undefined
          ? callPool.wrap(options.methods ?? defaultMethods)
          : (options.methods ?? defaultMethods),
      host: config.host,
      port: config.port,
      access: config.access,
      log: (line) => log.warn(line),
      onRequest: (served) => {
        metrics.observeRequest(served);
        logRequest(log, served);
      },
      timing: dispatchTiming,
      metrics,
    });
  } catch (error) {
    await callPool.close();
    await miner.close();
    await pool.close();
    await chain.close();
    opened.release();
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    config,
    chain,
    pool,
    miner,
    server,
    metrics,
    accounts,
    temporary: opened.temporary,
    resumed: !chain.created,
    close: () => {
      closing ??= (async () => {
        await server.close();
        const consoleDrained = consoleLog?.close();
        await callPool.close();
        await consoleDrained;
        await miner.close();
        let dumpError: unknown;
        try {
          // The miner is stopped: the state is the last block's, plus dev edits.
          if (config.dumpStateFile !== undefined) writeStateFile(config.dumpStateFile, chain.dumpState());
        } catch (error) {
          dumpError = error;
        }
        await pool.close();
        await chain.close();
        opened.release();
        if (dumpError !== undefined) throw dumpError;
      })();
      return closing;
    },
  };
}

/** The state trie's node cache as weft_metrics reports it. */
function stateCacheMetrics(s: TrieCacheStats): Record<string, number> {
  return {
    stateCacheBytes: s.bytes,
    stateCacheLimitBytes: s.limitBytes,
    stateCacheNodes: s.nodes,
    stateCacheHits: s.hits,
    stateCacheMisses: s.misses,
    stateTrieLogCommits: s.logCommits,
    stateTrieLogPaths: s.logPaths,
  };
}
