// The console.log lines of a mined block's transactions. Block execution runs without a tracer (the
// executors are not to pay for one), so a call worker replays the block on its parent state, each
// transaction under a ConsoleCallCollector, and decodes what they logged. Internal to the node: the
// call pool runs it (INTERNAL_CALL_METHODS), no client can call it.
import { ConsoleCallCollector } from "../../evm/tracing/console-tracer.js";
import type { RpcContext } from "../context.js";
import { BlockReplay } from "../debug/trace.js";
import { hash, parseHash, parseQuantity } from "../hex-codec.js";
import { consoleLines } from "./console-format.js";

/** What one transaction printed. */
export interface TxConsoleLines {
  txHash: string;
  lines: string[];
}

/**
 * params: [block number, block hash]. The transactions that printed something, in block order; none
 * when the block is no longer on the chain (a revert dropped it before the replay ran).
 */
export function blockConsoleLines(params: readonly unknown[], ctx: RpcContext): TxConsoleLines[] {
  const block = ctx.chain.blockByNumber(parseQuantity(params[0], "block number"));
  if (block === undefined || block.hash !== parseHash(params[1], "block hash")) return [];
  const replay = new BlockReplay(ctx, block);
  const printed: TxConsoleLines[] = [];
  for (const tx of block.transactions) {
    const collector = new ConsoleCallCollector();
    replay.next({ tracer: collector });
    const lines = consoleLines(collector.inputs);
    if (lines.length > 0) printed.push({ txHash: hash(tx.hash), lines });
  }
  return printed;
}
