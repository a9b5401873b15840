import {
  GAS_INIT_CODE_WORD_COST,
  TX_ACCESS_LIST_ADDRESS_COST,
  TX_ACCESS_LIST_STORAGE_KEY_COST,
  TX_BASE_COST,
  TX_CREATE_COST,
  TX_DATA_COST_PER_NON_ZERO,
  TX_DATA_COST_PER_ZERO,
} from "../evm/params.js";
import { wordOfNumber } from "../primitives/word-view.js";
import type { TxInput } from "./types.js";

/** Gas charged before any code runs: base, calldata, creation and access list (EIP-2028, EIP-2930, EIP-3860). */
export function intrinsicGas(tx: Pick<TxInput, "to" | "data" | "accessList">): bigint {
  const data = tx.data;
  const length = data.length;
  let zeros = 0;
  for (let i = 0; i < length; i++) if (data[i] === 0) zeros++;
  let gas = TX_BASE_COST + zeros * TX_DATA_COST_PER_ZERO + (length - zeros) * TX_DATA_COST_PER_NON_ZERO;
  if (tx.to === null) gas += TX_CREATE_COST + GAS_INIT_CODE_WORD_COST * Math.ceil(data.length / 32);
  for (const entry of tx.accessList) {
    gas += TX_ACCESS_LIST_ADDRESS_COST + TX_ACCESS_LIST_STORAGE_KEY_COST * entry.storageKeys.length;
  }
  // An integer far below 2^53: the word-view scratch, not BigInt()'s runtime call.
  return wordOfNumber(gas);
}
