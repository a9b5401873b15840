// A transaction's fee caps as the pool compares them: legacy and access-list transactions offer
// gasPrice as both the fee cap and the tip cap (as geth treats them).
import { totalBlobGas } from "../exec/blob-gas.js";
import type { TxInput } from "../exec/types.js";

export function feeCap(tx: TxInput): bigint {
  return (tx.type >= 2 ? tx.maxFeePerGas : tx.gasPrice) ?? 0n;
}

export function tipCap(tx: TxInput): bigint {
  return (tx.type >= 2 ? tx.maxPriorityFeePerGas : tx.gasPrice) ?? 0n;
}

/** What the block producer earns per gas at `baseFee`; negative when the fee cap is below it. */
export function effectiveTip(tx: TxInput, baseFee: bigint): bigint {
  const cap = feeCap(tx) - baseFee;
  const tip = tipCap(tx);
  return tip < cap ? tip : cap;
}

/** The most the transaction can take from its sender: gas at the fee cap, blob gas at its cap, value. */
export function maxCost(tx: TxInput): bigint {
  let cost = tx.gasLimit * feeCap(tx) + tx.value;
  if (tx.type === 3) cost += totalBlobGas(tx.blobVersionedHashes?.length ?? 0) * (tx.maxFeePerBlobGas ?? 0n);
  return cost;
}
