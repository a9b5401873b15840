// The RPC tests' node: a real Chain (LMDB in a temp dir) and TxPool, the event bus, and a small
// miner (automine, or manual with `mine()`), served by startRpcServer on a free port. The node's own
// miner (src/node/miner.ts) is tested with the node; this one only has to make blocks.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Chain } from "../chain/chain.js";
import { DEFAULT_MNEMONIC, devAccounts } from "../chain/dev-accounts.js";
import { nextBaseFee } from "../chain/fees.js";
import { devGenesis } from "../chain/genesis.js";
import type { Block } from "../chain/types.js";
import { TxPool } from "../txpool/tx-pool.js";
import type { RpcContext, RpcLimits, RpcMiner } from "./context.js";
import { createRpcContext } from "./create-context.js";
import { EventBus } from "./events.js";
import type { MethodTable } from "./handler.js";
import { type RpcServer, startRpcServer } from "./server.js";

export const ETHER = 10n ** 18n;
export const CHAIN_ID = 31337n;
export const ACCOUNTS = devAccounts(DEFAULT_MNEMONIC, 4);

/** Mines the pool's pending transactions; under automine, each submission waits for its block. */
export class TestMiner implements RpcMiner {
  automine: boolean;
  private queue: Promise<unknown> = Promise.resolve();
  private clock = 0n;

  constructor(
    private readonly chain: Chain,
    private readonly pool: TxPool,
    private readonly events: EventBus,
    automine: boolean,
  ) {
    this.automine = automine;
  }

  nextTimestamp(): bigint {
    const now = BigInt(Math.floor(Date.now() / 1000)) + this.clock;
    const head = this.chain.head().header.timestamp;
    return now > head ? now : head + 1n;
  }

  /** Moves the clock (tests of time-dependent answers). */
  advance(seconds: bigint): void {
    this.clock += seconds;
  }

  afterSubmit(): Promise<void> {
    return this.automine ? this.mine().then(() => undefined) : Promise.resolve();
  }

  /** One block from the pool's pending transactions (empty when none). */
  mine(): Promise<Block> {
    const run = this.queue.then(async () => {
      const mined = await this.chain.mine(this.pool.pending(), { timestamp: this.nextTimestamp() });
      this.pool.onBlock(mined.block.transactions);
      this.events.emitBlock(mined.block, mined.receipts);
      return mined.block;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

export interface TestNode {
  chain: Chain;
  pool: TxPool;
  events: EventBus;
  miner: TestMiner;
  ctx: RpcContext;
  server: RpcServer;
  url: string;
  wsUrl: string;
  close(): Promise<void>;
}

export interface TestNodeOptions {
  automine?: boolean;
  limits?: Partial<RpcLimits>;
  methods?: MethodTable;
}

export async function startTestNode(o: TestNodeOptions = {}): Promise<TestNode> {
  const datadir = mkdtempSync(join(tmpdir(), "weft-rpc-"));
  const genesis = devGenesis({
    chainId: CHAIN_ID,
    accounts: ACCOUNTS.map((a) => a.address),
    balance: 10_000n * ETHER,
    timestamp: BigInt(Math.floor(Date.now() / 1000)) - 10n,
  });
  const chain = await Chain.open({ datadir, genesis });
  const pool = new TxPool({
    chainId: chain.chainId,
    state: () => chain.state(),
    baseFee: () => nextBaseFee(chain.head().header),
    blockGasLimit: () => chain.head().header.gasLimit,
    recoverThreads: 0,
  });
  const events = new EventBus();
  pool.onPending((tx) => events.emitPendingTx(tx));
  const miner = new TestMiner(chain, pool, events, o.automine ?? true);
  const ctx = createRpcContext({
    chain,
    pool: {
      addRaw: (raw) => pool.addRaw(raw),
      add: (tx) => pool.add(tx),
      nonce: (address) => pool.pendingNonce(address),
      pending: () => pool.pending(),
      candidates: () => pool.candidates(),
      get: (hash) => pool.get(hash),
      content: () => pool.content(),
    },
    miner,
    events,
    accounts: ACCOUNTS,
    config: { coinbase: chain.head().header.coinbase },
    limits: o.limits,
  });
  const server = await startRpcServer(
    o.methods === undefined ? { ctx, port: 0 } : { ctx, port: 0, methods: o.methods },
  );
  return {
    chain,
    pool,
    events,
    miner,
    ctx,
    server,
    url: server.url,
    wsUrl: server.wsUrl,
    async close() {
      await server.close();
      ctx.filters.close();
      await pool.close();
      await chain.close();
      rmSync(datadir, { recursive: true, force: true });
    },
  };
}

/** POSTs a body to the node and returns status and parsed JSON (or the text when not JSON). */
export async function post(url: string, body: string | object): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    // not JSON: the text itself
  }
  return { status: res.status, json };
}

/** One JSON-RPC call over HTTP: the result, or throws an Error carrying code/data of the RPC error. */
export async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const { json } = await post(url, { jsonrpc: "2.0", id: 1, method, params });
  const r = json as { result?: unknown; error?: { code: number; message: string; data?: unknown } };
  if (r.error !== undefined) throw Object.assign(new Error(r.error.message), r.error);
  return r.result;
}

/** A small contract with storage, an indexed event, and several ways to fail (compiled once, cached). */
export const BOX_SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract Box {
  uint256 public value;
  event Stored(address indexed who, uint256 value);
  error Custom(uint256 x);
  constructor(uint256 v) { value = v; }
  function store(uint256 v) external { require(v != 13, "unlucky"); value = v; emit Stored(msg.sender, v); }
  function boom() external pure { assert(false); }
  function custom() external pure { revert Custom(7); }
  function spin(uint256 n) external { for (uint256 i; i < n; i++) value = value + 1; }
  function whoami() external view returns (address) { return msg.sender; }
  function stamp() external view returns (uint256, uint256) { return (block.number, block.timestamp); }
}`;

export const BOX_ABI = [
  "constructor(uint256 v)",
  "function value() view returns (uint256)",
  "event Stored(address indexed who, uint256 value)",
  "error Custom(uint256 x)",
  "function store(uint256 v)",
  "function boom() pure",
  "function custom() pure",
  "function spin(uint256 n)",
  "function whoami() view returns (address)",
  "function stamp() view returns (uint256, uint256)",
] as const;

export async function boxBytecode(): Promise<`0x${string}`> {
  const { compileSources } = await import("../bench/compile.js");
  const { bytesToHex } = await import("../primitives/hex.js");
  const artifacts = await compileSources({ "Box.sol": BOX_SOURCE });
  return bytesToHex(artifacts["Box.sol"]!.Box!.bytecode) as `0x${string}`;
}

export interface RpcFailure {
  code: number;
  message: string;
  data?: unknown;
}

/** One JSON-RPC call that must fail: its error (code, message, data); an assertion error if it succeeds. */
export async function rpcError(url: string, method: string, params: unknown[] = []): Promise<RpcFailure> {
  const { json } = await post(url, { jsonrpc: "2.0", id: 1, method, params });
  const r = json as { result?: unknown; error?: RpcFailure };
  if (r.error === undefined) throw new Error(`${method} succeeded (${JSON.stringify(r.result)}); expected an error`);
  return r.error;
}
