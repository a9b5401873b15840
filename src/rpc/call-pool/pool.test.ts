import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Chain } from "../../chain/chain.js";
import { ALICE, BOB, GENESIS_TIME, TempDirs, testGenesis, tx } from "../../chain/chain-testkit.js";
import type { Block } from "../../chain/types.js";
import { addressToHex } from "../../primitives/hex.js";
import type { RpcContext } from "../context.js";
import { createRpcContext } from "../create-context.js";
import type { RpcError } from "../errors.js";
import { EventBus } from "../events.js";
import { goDuration } from "./aborted.js";
import { CallPool } from "./pool.js";

const AT = "0x0000000000000000000000000000000000001234";
/** BALANCE(BOB), returned as one word. */
const BOB_BALANCE = `0x73${addressToHex(BOB).slice(2)}3160005260206000f3`;
/** keccak256 of 8 KiB in a loop, forever (given the gas). */
const KECCAK_LOOP = "0x5b6120006000205060005600";

const dirs = new TempDirs();
let chain: Chain;
let ctx: RpcContext;

function callParams(code: string, block = "latest", gas?: string): unknown[] {
  return [{ to: AT, ...(gas === undefined ? {} : { gas }) }, block, { [AT]: { code } }];
}

/** `ctx` as the main thread saw it when its head was `head` (a request that arrived then). */
function arrivedAt(head: Block): RpcContext {
  const view = Object.create(chain) as Chain;
  view.head = () => head;
  return { ...ctx, chain: view };
}

async function bobBalance(pool: CallPool, at: RpcContext, block = "latest"): Promise<bigint> {
  return BigInt((await pool.run("eth_call", callParams(BOB_BALANCE, block), at)) as string);
}

before(async () => {
  chain = await Chain.open({ datadir: dirs.make(), genesis: testGenesis() });
  ctx = createRpcContext({
    chain,
    pool: {
      addRaw: () => Promise.reject(new Error("unused")),
      add: () => 0n,
      pending: () => [],
      get: () => undefined,
    },
    miner: { automine: false },
    events: new EventBus(),
    config: { coinbase: 0n },
  });
});
after(async () => {
  await chain.close();
  dirs.cleanup();
});

describe("CallPool", () => {
  it("runs a call on a worker, seeing the dev edits the main thread made before it", async () => {
    const pool = new CallPool({ lmdbPath: chain.lmdbPath, chainId: chain.chainId, workers: 2, timeoutMs: 0 });
    try {
      await chain.setAccount(BOB, { balance: 123n });
      assert.equal(await bobBalance(pool, ctx), 123n);
      assert.equal(pool.metrics.callsOnWorkers, 1);
      // A handler's RpcError comes back as itself.
      await assert.rejects(pool.run("eth_call", [{ to: "0x12" }], ctx), (e: RpcError) => e.code === -32602);
    } finally {
      await pool.close();
    }
  });

  it("answers for the head the request arrived at, even once later blocks are committed", async () => {
    const pool = new CallPool({ lmdbPath: chain.lmdbPath, chainId: chain.chainId, workers: 1, timeoutMs: 0 });
    try {
      const before = chain.head();
      const balance = await bobBalance(pool, ctx);
      await chain.mine([tx(ALICE, { nonce: 0n, value: 5n })], { timestamp: GENESIS_TIME + 10n });
      assert.equal(await bobBalance(pool, ctx), balance + 5n);
      assert.equal(await bobBalance(pool, arrivedAt(before)), balance);
      assert.equal(await bobBalance(pool, arrivedAt(before), "pending"), balance);
      // The newer block is not there for a request that arrived before it.
      const newer = `0x${chain.head().header.number.toString(16)}`;
      await assert.rejects(pool.run("eth_call", callParams(BOB_BALANCE, newer), arrivedAt(before)), /header not found/);
    } finally {
      await pool.close();
    }
  });

  it("pins a request again when its head is gone (a revert), and refuses it rather than run it here", async () => {
    const pool = new CallPool({ lmdbPath: chain.lmdbPath, chainId: chain.chainId, workers: 1, timeoutMs: 0 });
    try {
      // Its context's head stays gone: every re-pin fails, as under reverts racing it each time.
      const gone = { ...chain.head(), hash: 1n };
      await assert.rejects(bobBalance(pool, arrivedAt(gone)), {
        code: -32000,
        message: "execution aborted (the chain was reverted under this call; send it again)",
      });
      assert.equal(pool.metrics.callsRefusedStale, 1);
      assert.equal(pool.metrics.callsOnWorkers, 4);
      // A pin the worker can show is served as usual.
      assert.equal(typeof (await bobBalance(pool, ctx)), "bigint");
    } finally {
      await pool.close();
    }
  });

  it("stops a call at the timeout with geth's error, and its worker serves the next one", async () => {
    const pool = new CallPool({ lmdbPath: chain.lmdbPath, chainId: chain.chainId, workers: 1, timeoutMs: 150 });
    try {
      // The limit counts from a call's arrival: on a loaded machine a worker's start-up could take it all.
      await pool.ready();
      const start = performance.now();
      await assert.rejects(pool.run("eth_call", callParams(KECCAK_LOOP, "latest", "0xffffffffffff"), ctx), {
        code: -32000,
        message: "execution aborted (timeout = 150ms)",
      });
      const ms = performance.now() - start;
      assert.ok(ms >= 140 && ms < 2000, `answered after ${ms} ms`);
      assert.equal(typeof (await bobBalance(pool, ctx)), "bigint");
      assert.equal(pool.metrics.callsTimedOut, 1);
    } finally {
      await pool.close();
    }
  });

  it("gives a trace the timeout its config names, shorter or longer than the node's", async () => {
    const pool = new CallPool({ lmdbPath: chain.lmdbPath, chainId: chain.chainId, workers: 1, timeoutMs: 400 });
    try {
      await pool.ready();
      const [call, block, overrides] = callParams(KECCAK_LOOP, "latest", "0xffffffffffff");
      const trace = (timeout: string) =>
        pool.run("debug_traceCall", [call, block, { tracer: "callTracer", stateOverrides: overrides, timeout }], ctx);
      // Go prints the duration its own way: "0.7s" is 700ms.
      for (const [timeout, ms, printed] of [
        ["150ms", 150, "150ms"],
        ["0.7s", 700, "700ms"],
      ] as const) {
        const start = performance.now();
        await assert.rejects(trace(timeout), { code: -32000, message: `execution aborted (timeout = ${printed})` });
        const took = performance.now() - start;
        assert.ok(took >= ms - 10 && took < ms + 1500, `"${timeout}" answered after ${took} ms`);
      }
      // An invalid one is the handler's -32602, not a timeout.
      await assert.rejects(trace("soon"), (e: RpcError) => e.code === -32602 && /timeout/.test(e.message));
    } finally {
      await pool.close();
    }
  });

  it("close() refuses queued calls and stops the running one", async () => {
    const pool = new CallPool({ lmdbPath: chain.lmdbPath, chainId: chain.chainId, workers: 1, timeoutMs: 0 });
    const running = pool.run("eth_call", callParams(KECCAK_LOOP, "latest", "0xffffffffffff"), ctx);
    const queued = pool.run("eth_call", callParams(BOB_BALANCE), ctx);
    const refused = Promise.all([assert.rejects(running, /shutting down/), assert.rejects(queued, /shutting down/)]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await pool.close();
    await refused;
    await assert.rejects(pool.run("eth_call", callParams(BOB_BALANCE), ctx), /shutting down/);
  });
});

describe("goDuration", () => {
  it("prints durations as Go does", () => {
    assert.deepEqual([300, 5000, 1500, 120_000, 90_500].map(goDuration), ["300ms", "5s", "1.5s", "2m0s", "1m30.5s"]);
  });
});
