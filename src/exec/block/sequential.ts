// The reference executor: each transaction in order, with processTransaction's default behaviour
// (coinbase fee written by the transaction itself), against the base state plus earlier writes. Also
// how a parallel run that stops paying finishes its block: from its last committed transaction on.
import type { BlockEnv, Host } from "../../evm/host.js";
import { processTransaction } from "../process-transaction.js";
import type { TxInput } from "../types.js";
import { BlockBuilder, invalidBlock } from "./block-builder.js";
import type { BlockResult, ExecutionMode } from "./types.js";

export function executeSequential(
  txs: readonly TxInput[],
  block: BlockEnv,
  state: Host,
  modeReason = "sequential requested",
): BlockResult {
  return finishSequentially(txs, 0, new BlockBuilder(block, state), "sequential", modeReason, 0);
}

/** Runs transactions `from`.. on the builder's overlay (which holds every earlier one's writes). */
export function finishSequentially(
  txs: readonly TxInput[],
  from: number,
  builder: BlockBuilder,
  mode: ExecutionMode,
  modeReason: string,
  reexecutions: number,
): BlockResult {
  // Deferred fees held back by the builder must be in the state the next transactions read.
  if (from < txs.length) builder.flushFees();
  for (let i = from; i < txs.length; i++) {
    const tx = txs[i]!;
    const unfit = builder.fits(i, tx);
    if (unfit !== undefined) return invalidBlock(i, unfit, mode, modeReason, reexecutions);
    const outcome = processTransaction(tx, builder.block, builder.overlay);
    if (!outcome.valid) return invalidBlock(i, outcome.error, mode, modeReason, reexecutions);
    // The outcome is dropped after this: its write objects become the overlay's, uncopied.
    builder.add(tx, outcome, true);
  }
  return builder.valid(mode, modeReason, reexecutions);
}
