// A call worker thread: runs eth_call, eth_estimateGas, traces and the like (methods.ts) for the main
// thread, reading the committed chain straight from LMDB (read-only, the same memory map as the
// writer's). One request at a time; the main thread stops a running one through the interrupt word.
import { parentPort, workerData } from "node:worker_threads";
import { ChainStore } from "../../chain/chain-store.js";
import { ExecutionInterrupted, watchInterrupt } from "../../evm/interrupt.js";
import { initPrecompiles } from "../../evm/precompiles/index.js";
import { ConsoleCallCollector } from "../../evm/tracing/console-tracer.js";
import { LmdbState } from "../../state/lmdb-state.js";
import { VersionReadCache } from "../../state/version-read-cache.js";
import { CLOSE_WORKER } from "../../threads/stop-worker.js";
import { errorResponse, toRpcError } from "../dispatch.js";
import { type CallReply, type CallRequest, type CallWorkerData, WORKER_READY } from "./messages.js";
import { CALL_METHODS, INTERNAL_CALL_METHODS } from "./methods.js";
import { BlockCache, PinnedChain, StalePin } from "./pinned-chain.js";
import { workerContext } from "./worker-context.js";

const port = parentPort;
if (port === null) throw new Error("call-pool/worker.js runs only as a worker thread");

const data = workerData as CallWorkerData;
/** Accounts and slots a worker keeps between requests at one state version: some 20-40 MB at most. */
const READ_CACHE_ENTRIES = 200_000;
watchInterrupt(new Int32Array(data.interrupt));
const lmdb = LmdbState.openReadOnly(data.lmdbPath);
const store = new ChainStore(lmdb);
const blocks = new BlockCache();
const reads = new VersionReadCache(READ_CACHE_ENTRIES);
await initPrecompiles();
port.postMessage(WORKER_READY);

port.on("message", (msg: CallRequest | typeof CLOSE_WORKER) => {
  if (msg === CLOSE_WORKER) {
    // Closing the port lets the thread's event loop end once the database is closed.
    void lmdb.close().finally(() => port.close());
    return;
  }
  void serve(msg).then((reply) => port.postMessage(reply));
});

async function serve(req: CallRequest): Promise<CallReply> {
  const id = req.id;
  const handler = Object.hasOwn(CALL_METHODS, req.method)
    ? CALL_METHODS[req.method]
    : Object.hasOwn(INTERNAL_CALL_METHODS, req.method)
      ? INTERNAL_CALL_METHODS[req.method]
      : undefined;
  if (handler === undefined) return { id, error: { code: -32601, message: `${req.method} is not a call method` } };
  const consoleCalls = data.consoleLog ? new ConsoleCallCollector() : undefined;
  try {
    // A new read transaction: it holds every commit the main thread had seen when the request arrived.
    lmdb.refresh();
    const chain = new PinnedChain(lmdb, store, data.chainId, req.pin, blocks, reads);
    const result = await handler(
      req.params,
      workerContext(chain, req.pin),
      consoleCalls ? { console: consoleCalls } : {},
    );
    return withConsole({ id, result: result === undefined ? null : result }, consoleCalls);
  } catch (error) {
    if (error instanceof ExecutionInterrupted) return { id, interrupted: true };
    if (error instanceof StalePin) return { id, repin: error.message };
    return withConsole({ id, error: errorResponse(null, toRpcError(error)).error! }, consoleCalls);
  }
}

/** The reply with the lines of the console.log calls the request made (a reverted call's too, as anvil prints them). */
async function withConsole<R extends CallReply & { console?: string[] }>(
  reply: R,
  consoleCalls: ConsoleCallCollector | undefined,
): Promise<R> {
  if (consoleCalls === undefined || consoleCalls.inputs.length === 0) return reply;
  // Loaded on the first console call: most calls make none, and the ABI decoder takes a while to load.
  const { consoleLines } = await import("../console/console-format.js");
  reply.console = consoleLines(consoleCalls.inputs);
  return reply;
}
