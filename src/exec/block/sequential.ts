// The reference executor: each transaction in order, with processTransaction's default behaviour
// (coinbase fee written by the transaction itself), against the base state plus earlier writes.
import type { BlockEnv, Host } from "../../evm/host.js";
import { processTransaction } from "../process-transaction.js";
import type { TxInput } from "../types.js";
import { BlockBuilder, invalidBlock } from "./block-builder.js";
import type { BlockResult } from "./types.js";

export function executeSequential(txs: readonly TxInput[], block: BlockEnv, state: Host): BlockResult {
  const builder = new BlockBuilder(block, state);
  for (let i = 0; i < txs.length; i++) {
    const tx = txs[i]!;
    const unfit = builder.fits(i, tx);
    if (unfit !== undefined) return invalidBlock(i, unfit, "sequential", 0);
    const outcome = processTransaction(tx, block, builder.overlay);
    if (!outcome.valid) return invalidBlock(i, outcome.error, "sequential", 0);
    builder.add(tx, outcome);
  }
  return builder.valid("sequential", 0);
}
