// The RpcContext a call worker hands the ordinary method handlers: the pinned chain, the main thread's
// config and next-block timestamp, and nothing that writes. The pool and events are not reachable from
// a worker; a handler that needed them would fail loudly here, never answer from stale copies.
import type { RpcContext, RpcEvents, RpcPool } from "../context.js";
import { createRpcContext } from "../create-context.js";
import type { CallPin } from "./messages.js";
import type { PinnedChain } from "./pinned-chain.js";

function unavailable(what: string): never {
  throw new Error(`${what} is not available to a call worker`);
}

const NO_POOL: RpcPool = {
  addRaw: () => unavailable("the transaction pool"),
  add: () => unavailable("the transaction pool"),
  pending: () => unavailable("the transaction pool"),
  get: () => unavailable("the transaction pool"),
};

const NO_EVENTS: RpcEvents = {
  onBlock: () => unavailable("the event bus"),
  onPendingTx: () => unavailable("the event bus"),
  onBlocksDropped: () => unavailable("the event bus"),
};

export function workerContext(chain: PinnedChain, pin: CallPin): RpcContext {
  return createRpcContext({
    chain,
    pool: NO_POOL,
    miner: { automine: false, nextTimestamp: () => pin.nextEnv.timestamp },
    events: NO_EVENTS,
    config: pin.config,
  });
}
