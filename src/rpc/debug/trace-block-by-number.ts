import { resolveBlock } from "../block-ref.js";
import type { RpcContext } from "../context.js";
import { invalidParams } from "../errors.js";
import { expectParams, parseBlockNumberOrTag } from "../hex-codec.js";
import { traceBlock } from "./trace-block.js";
import { parseTraceConfig } from "./trace-config.js";

/** debug_traceBlockByNumber(block, config?): each transaction of a mined block traced, in order. */
export function debugTraceBlockByNumber(params: readonly unknown[], ctx: RpcContext): unknown {
  expectParams(params, 1, 2);
  const ref = parseBlockNumberOrTag(params[0], "block");
  // geth: the pending block has not been built, there is nothing to replay.
  if (ref.kind === "tag" && ref.tag === "pending")
    throw invalidParams("block: tracing the pending block is not supported");
  const config = parseTraceConfig(params[1]);
  return traceBlock(ctx, resolveBlock(ctx, ref), config);
}
