// The logs a rewind took back, as geth reports a reorg's dropped logs to "logs" subscribers and log
// filters: each matching log again, with `removed: true`. Anvil (1.7) sends nothing on evm_revert or
// anvil_reset; Weft does what geth does because clients depend on it (ethers' event listeners and
// viem's watchers skip or undo removed logs, indexers roll back on them).
import type { Block, DroppedBlock } from "../../chain/types.js";
import { blockLogs, type LogCriteria } from "./log-filter.js";

/**
 * The matching logs of `dropped` (a rewind's blocks, oldest first) in RPC form with `removed: true`,
 * in geth's order: oldest block first, each block's logs by log index (geth's reorg() sends them
 * "in forward order ... for legacy reasons"). `counts` picks the blocks a filter's range covers.
 */
export function removedLogs(
  dropped: readonly DroppedBlock[],
  criteria: LogCriteria,
  counts: (block: Block) => boolean = () => true,
): unknown[] {
  const out: unknown[] = [];
  for (const { block, receipts } of dropped) {
    if (!counts(block)) continue;
    for (const log of blockLogs(receipts, criteria, block.header.timestamp, true)) out.push(log);
  }
  return out;
}
