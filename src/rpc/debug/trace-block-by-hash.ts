import { resolveBlock } from "../block-ref.js";
import type { RpcContext } from "../context.js";
import { expectParams, parseHash } from "../hex-codec.js";
import { traceBlock } from "./trace-block.js";
import { parseTraceConfig } from "./trace-config.js";

/** debug_traceBlockByHash(hash, config?): each transaction of a mined block traced, in order. */
export function debugTraceBlockByHash(params: readonly unknown[], ctx: RpcContext): unknown {
  expectParams(params, 1, 2);
  const blockHash = parseHash(params[0], "block hash");
  const config = parseTraceConfig(params[1]);
  return traceBlock(ctx, resolveBlock(ctx, { kind: "hash", hash: blockHash, requireCanonical: false }), config);
}
