// Fee rules between blocks: the EIP-1559 base fee and the EIP-4844 excess blob gas of a child block,
// and what a transaction pays per gas under a base fee.
import type { TxInput } from "../exec/types.js";
import type { BlockHeader } from "./types.js";

export const ELASTICITY_MULTIPLIER = 2n;
export const BASE_FEE_MAX_CHANGE_DENOMINATOR = 8n;
/** Cancun: three blobs per block on target (EIP-4844). */
export const TARGET_BLOB_GAS_PER_BLOCK = 393216n;

export { blobGasPrice } from "../exec/blob-gas.js";

/** EIP-1559: the base fee of the block after `parent`. */
export function nextBaseFee(parent: Pick<BlockHeader, "gasLimit" | "gasUsed" | "baseFeePerGas">): bigint {
  const target = parent.gasLimit / ELASTICITY_MULTIPLIER;
  const base = parent.baseFeePerGas;
  if (target === 0n || parent.gasUsed === target) return base;
  if (parent.gasUsed > target) {
    const delta = (base * (parent.gasUsed - target)) / target / BASE_FEE_MAX_CHANGE_DENOMINATOR;
    return base + (delta > 1n ? delta : 1n);
  }
  const delta = (base * (target - parent.gasUsed)) / target / BASE_FEE_MAX_CHANGE_DENOMINATOR;
  return base - delta > 0n ? base - delta : 0n;
}

/** EIP-4844: the excess blob gas of the block after `parent`. */
export function nextExcessBlobGas(parent: Pick<BlockHeader, "excessBlobGas" | "blobGasUsed">): bigint {
  const total = parent.excessBlobGas + parent.blobGasUsed;
  return total > TARGET_BLOB_GAS_PER_BLOCK ? total - TARGET_BLOB_GAS_PER_BLOCK : 0n;
}

type FeeFields = Pick<TxInput, "type" | "gasPrice" | "maxFeePerGas" | "maxPriorityFeePerGas">;

function dynamicFees(tx: FeeFields): { maxFee: bigint; maxTip: bigint } {
  if (tx.maxFeePerGas === undefined || tx.maxPriorityFeePerGas === undefined) {
    throw new Error(`type ${tx.type} transaction without maxFeePerGas / maxPriorityFeePerGas`);
  }
  return { maxFee: tx.maxFeePerGas, maxTip: tx.maxPriorityFeePerGas };
}

/** The price per gas the sender pays: gasPrice (types 0, 1), or min(maxFee, baseFee + maxPriorityFee). */
export function effectiveGasPrice(tx: FeeFields, baseFee: bigint): bigint {
  if (tx.type <= 1) {
    if (tx.gasPrice === undefined) throw new Error(`type ${tx.type} transaction without gasPrice`);
    return tx.gasPrice;
  }
  const { maxFee, maxTip } = dynamicFees(tx);
  const price = baseFee + maxTip;
  return price < maxFee ? price : maxFee;
}

/**
 * What the block producer earns per gas: effectiveGasPrice - baseFee. Negative where the
 * transaction cannot pay the base fee (it cannot be included then).
 */
export function effectiveTip(tx: FeeFields, baseFee: bigint): bigint {
  return effectiveGasPrice(tx, baseFee) - baseFee;
}
