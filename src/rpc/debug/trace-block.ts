// What debug_traceBlockByNumber and debug_traceBlockByHash share.
import type { Block } from "../../chain/types.js";
import type { RpcContext } from "../context.js";
import { hash } from "../hex-codec.js";
import { BlockReplay } from "./trace.js";
import type { TraceConfig } from "./trace-config.js";

/** Every transaction of `block` traced in order, as geth lists them: `{ txHash, result }`. */
export function traceBlock(ctx: RpcContext, block: Block, config: TraceConfig): { txHash: string; result: unknown }[] {
  const replay = new BlockReplay(ctx, block);
  return block.transactions.map((tx) => ({ txHash: hash(tx.hash), result: replay.traceNext(config) }));
}
