// Assembles a node: dev accounts, genesis, Chain (LMDB in --datadir), TxPool, Miner, the event bus
// and the JSON-RPC server on one port. startNode resolves once the server listens; close() stops
// everything in order (server, miner, pool, chain) so the database closes cleanly.
import { Chain, type Chain as ChainType } from "../chain/chain.js";
import { devAccounts } from "../chain/dev-accounts.js";
import { blobGasPrice, nextExcessBlobGas } from "../chain/fees.js";
import { CallPool } from "../rpc/call-pool/pool.js";
import type { DevAccount } from "../rpc/context.js";
import { CLIENT_VERSION, createRpcContext } from "../rpc/create-context.js";
import { EventBus } from "../rpc/events.js";
import type { MethodTable } from "../rpc/handler.js";
import { methods as defaultMethods } from "../rpc/methods.js";
import { type RpcServer, startRpcServer } from "../rpc/server.js";
import type { StoreWriteError } from "../state/store-errors.js";
import { TxPool } from "../txpool/tx-pool.js";
import type { NodeConfig } from "./config.js";
import { DatadirLock } from "./datadir-lock.js";
import { resolveGenesis, storeGenesis } from "./genesis-file.js";
import { type MinedBlock, Miner } from "./miner.js";

export interface NodeOptions {
  /** Called after each committed block (the CLI prints a line). */
  onBlock?: (mined: MinedBlock) => void;
  /** A block automine or interval mining failed to produce. */
  onError?: (error: Error) => void;
  /** The method table (default: src/rpc/methods.ts). */
  methods?: MethodTable;
  /** Wall clock in seconds (tests). */
  now?: () => bigint;
  /** Chain writes started failing (production paused: the error) or work again (undefined). */
  onWriteStatus?: (failure: StoreWriteError | undefined) => void;
}

export interface WeftNode {
  readonly config: NodeConfig;
  readonly chain: ChainType;
  readonly pool: TxPool;
  readonly miner: Miner;
  readonly server: RpcServer;
  readonly accounts: DevAccount[];
  /** True when the data folder already held this chain. */
  readonly resumed: boolean;
  /** Stops the server, the miner (after its block in progress), the pool's workers, then the chain. */
  close(): Promise<void>;
}

export async function startNode(config: NodeConfig, options: NodeOptions = {}): Promise<WeftNode> {
  const now = options.now ?? (() => BigInt(Math.floor(Date.now() / 1000)));
  const accounts = devAccounts(config.mnemonic, config.accounts, config.derivationPath);
  // One process per datadir, for the node's whole life: taken before anything in it is read or written.
  const lock = DatadirLock.acquire(config.datadir);
  let chain: ChainType;
  try {
    const genesis = resolveGenesis(config, [...accounts.map((a) => a.address), ...config.fundAtGenesis], now);
    // Recorded before the chain exists: a crash in between leaves a genesis.json the restart reuses.
    if (!genesis.existing) storeGenesis(config.datadir, genesis.spec);
    chain = await Chain.open({
      datadir: config.datadir,
      genesis: genesis.spec,
      threads: config.threads,
      resume: genesis.existing,
    });
  } catch (error) {
    lock.release();
    throw error;
  }

  const pool = new TxPool({
    chainId: chain.chainId,
    ...(config.recoverThreads === undefined ? {} : { recoverThreads: config.recoverThreads }),
    // A dev node, as anvil: a script may queue any number of one account's transactions before mining.
    maxPerSender: Number.POSITIVE_INFINITY,
    ...config.txpool,
    state: () => chain.state(),
    // The next block's, dev settings included (anvil_setNextBlockBaseFeePerGas, evm_setBlockGasLimit).
    baseFee: () => chain.nextBaseFee(),
    blockGasLimit: () => chain.nextGasLimit(),
    blobBaseFee: () => blobGasPrice(nextExcessBlobGas(chain.head().header)),
  });
  const events = new EventBus();
  const miner = new Miner({
    chain,
    pool,
    mode: config.mining,
    now,
    onBlock: (mined) => {
      events.emitBlock(mined.block, mined.receipts);
      options.onBlock?.(mined);
    },
    onBlocksDropped: (dropped) => events.emitBlocksDropped(dropped),
    onError: options.onError,
    onWriteStatus: options.onWriteStatus,
  });
  pool.onPending((tx) => {
    events.emitPendingTx(tx);
    miner.onPendingTx();
  });

  // eth_call, estimates and traces run on worker threads that read the chain's LMDB environment.
  const callPool = new CallPool({
    lmdbPath: chain.lmdbPath,
    chainId: chain.chainId,
    workers: config.callWorkers,
    timeoutMs: config.rpcCallTimeoutMs,
  });
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
      get: (hash) => pool.get(hash),
      content: () => pool.content(),
    },
    miner,
    events,
    accounts,
    config: { coinbase: chain.head().header.coinbase, clientVersion: CLIENT_VERSION, callGasCap: config.rpcGasCap },
    limits: config.limits,
    metrics: () => {
      const memory = process.memoryUsage();
      return {
        ...chain.metrics,
        recoverMs: pool.recoverMs,
        recoveredInline: pool.recovered.inline,
        recoveredOnWorkers: pool.recovered.workers,
        pending: pool.pending().length,
        ...callPool.metrics,
        rssBytes: memory.rss,
        heapUsedBytes: memory.heapUsed,
      };
    },
  });

  let server: RpcServer;
  try {
    server = await startRpcServer({
      ctx,
      methods: callPool.wrap(options.methods ?? defaultMethods),
      host: config.host,
      port: config.port,
      access: config.access,
    });
  } catch (error) {
    await callPool.close();
    await miner.close();
    await pool.close();
    await chain.close();
    lock.release();
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    config,
    chain,
    pool,
    miner,
    server,
    accounts,
    resumed: !chain.created,
    close: () => {
      closing ??= (async () => {
        await server.close();
        await callPool.close();
        await miner.close();
        await pool.close();
        await chain.close();
        lock.release();
      })();
      return closing;
    },
  };
}
