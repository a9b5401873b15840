// The reference executor: each transaction in order, with processTransaction's default behaviour
// (coinbase fee written by the transaction itself), against the base state plus earlier writes. Also
// how a parallel run that stops paying finishes its block: from its last committed transaction on.
// The loop is a generator that yields every few transactions, so that the node can run a large
// block in slices (primitives/slices.ts) and serve requests between them; run whole, it is one loop.
import type { BlockEnv, Host } from "../../evm/host.js";
import { runWhole } from "../../primitives/slices.js";
import { processTransaction } from "../process-transaction.js";
import type { TxInput } from "../types.js";
import { BlockBuilder, invalidBlock } from "./block-builder.js";
import { canDeferFees } from "./coinbase.js";
import type { BlockResult, ExecutionMode } from "./types.js";

/** Transactions between two places the loop may stop (a look at the clock costs a cheap transfer's tenth). */
const YIELD_EVERY = 8;
const DEFER_FEE = { deferCoinbaseFee: true } as const;
const CREDIT_FEE = {} as const;

/** Runs transactions `from`.. on the builder's overlay (which holds every earlier one's writes), yielding every few. */
export function* sequentialSteps(
  txs: readonly TxInput[],
  from: number,
  builder: BlockBuilder,
  mode: ExecutionMode,
  modeReason: string,
  reexecutions: number,
): Generator<void, BlockResult, undefined> {
  // Deferred fees held back by the builder must be in the state the next transactions read.
  if (from < txs.length) builder.flushFees();
  // A transaction that never looks at the coinbase leaves its fee to the builder, which credits it to
  // the overlay's coinbase write at once (a lookup and an addition, instead of the coinbase's account
  // loaded, journaled, written and merged per transaction): the next transaction reads the same state.
  // Not where the coinbase exists empty (a zero fee would delete it; see canDeferFees).
  const options = canDeferFees(builder.overlay, builder.block.coinbase) ? DEFER_FEE : CREDIT_FEE;
  for (let i = from; i < txs.length; i++) {
    const tx = txs[i]!;
    const unfit = builder.fits(i, tx);
    if (unfit !== undefined) return invalidBlock(i, unfit, mode, modeReason, reexecutions);
    const outcome = processTransaction(tx, builder.block, builder.overlay, options);
    if (!outcome.valid) return invalidBlock(i, outcome.error, mode, modeReason, reexecutions);
    // The outcome is dropped after this: its write objects become the overlay's, uncopied.
    builder.add(tx, outcome, true);
    if (outcome.coinbaseFee !== undefined) builder.flushFees();
    if (i % YIELD_EVERY === YIELD_EVERY - 1) yield;
  }
  return builder.valid(mode, modeReason, reexecutions);
}

/** A whole block on `state`, sequentially, as steps. */
export function sequentialBlock(
  txs: readonly TxInput[],
  block: BlockEnv,
  state: Host,
  modeReason = "sequential requested",
): Generator<void, BlockResult, undefined> {
  return sequentialSteps(txs, 0, new BlockBuilder(block, state), "sequential", modeReason, 0);
}

export function executeSequential(
  txs: readonly TxInput[],
  block: BlockEnv,
  state: Host,
  modeReason?: string,
): BlockResult {
  return runWhole(sequentialBlock(txs, block, state, modeReason));
}
