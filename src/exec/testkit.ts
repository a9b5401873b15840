// Shared by the transaction-processing tests only: one block environment and a dynamic-fee
// transaction builder, so each test states just the fields it is about.
import type { BlockEnv } from "../evm/host.js";
import type { TxInput } from "./types.js";

/** Block 1 of chain 1: base fee 10, a 30M gas limit, coinbase 0xcb, no excess blob gas. */
export const TEST_BLOCK: BlockEnv = {
  chainId: 1n,
  number: 1n,
  coinbase: 0xcbn,
  timestamp: 1000n,
  gasLimit: 30_000_000n,
  baseFee: 10n,
  prevRandao: 0n,
  excessBlobGas: 0n,
};

/**
 * A type-2 (EIP-1559) transaction on chain 1: nonce 0, 100k gas, a fee cap of 20, no value, data or
 * access list, unless `fields` says otherwise.
 */
export function dynamicFeeTx(
  fields: Pick<TxInput, "sender" | "to" | "maxPriorityFeePerGas"> & Partial<TxInput>,
): TxInput {
  return {
    type: 2,
    chainId: 1n,
    nonce: 0n,
    gasLimit: 100_000n,
    maxFeePerGas: 20n,
    value: 0n,
    data: new Uint8Array(0),
    accessList: [],
    ...fields,
  };
}
