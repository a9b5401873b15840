// Builds an RpcContext from the node's parts, filling in defaults (limits, filter store, empty sets).
import type {
  DevAccount,
  RpcChain,
  RpcConfig,
  RpcContext,
  RpcEvents,
  RpcLimits,
  RpcMiner,
  RpcPool,
} from "./context.js";
import { FilterStore } from "./filters/filter-store.js";
import { resolveLimits } from "./limits.js";
import { CLIENT_VERSION } from "./version.js";

export interface RpcContextParts {
  chain: RpcChain;
  pool: RpcPool;
  miner: RpcMiner;
  events: RpcEvents;
  accounts?: DevAccount[];
  impersonated?: Set<bigint>;
  config: Partial<RpcConfig> & Pick<RpcConfig, "coinbase">;
  limits?: Partial<RpcLimits>;
  metrics?: () => Record<string, number> | Promise<Record<string, number>>;
}

export { CLIENT_VERSION };

export function createRpcContext(parts: RpcContextParts): RpcContext {
  const limits = resolveLimits(parts.limits);
  return {
    chain: parts.chain,
    pool: parts.pool,
    miner: parts.miner,
    events: parts.events,
    accounts: parts.accounts ?? [],
    impersonated: parts.impersonated ?? new Set(),
    config: { clientVersion: CLIENT_VERSION, ...parts.config },
    limits,
    filters: new FilterStore(parts.events, limits),
    ...(parts.metrics === undefined ? {} : { metrics: parts.metrics }),
  };
}
