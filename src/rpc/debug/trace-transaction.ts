import type { RpcContext } from "../context.js";
import { INVALID_INPUT, RpcError } from "../errors.js";
import { expectParams, parseHash } from "../hex-codec.js";
import { BlockReplay } from "./trace.js";
import { parseTraceConfig } from "./trace-config.js";

/**
 * debug_traceTransaction(hash, config?): the mined transaction executed again under a tracer (geth's
 * struct logger, or `callTracer`), after the transactions before it in its block, on the state its
 * block was built on.
 */
export function debugTraceTransaction(params: readonly unknown[], ctx: RpcContext): unknown {
  expectParams(params, 1, 2);
  const hash = parseHash(params[0], "transaction hash");
  const config = parseTraceConfig(params[1]);
  const found = ctx.chain.transaction(hash);
  if (found === undefined) throw new RpcError(INVALID_INPUT, "transaction not found");
  const block = ctx.chain.blockByNumber(found.blockNumber);
  if (block === undefined || block.hash !== found.blockHash) throw new RpcError(INVALID_INPUT, "transaction not found");
  const replay = new BlockReplay(ctx, block);
  replay.skipTo(found.index);
  return replay.traceNext(config);
}
