import {
  GAS_INIT_CODE_WORD_COST,
  TX_ACCESS_LIST_ADDRESS_COST,
  TX_ACCESS_LIST_STORAGE_KEY_COST,
  TX_BASE_COST,
  TX_CREATE_COST,
  TX_DATA_COST_PER_NON_ZERO,
  TX_DATA_COST_PER_ZERO,
} from "../evm/params.js";
import type { TxInput } from "./types.js";

/** Gas charged before any code runs: base, calldata, creation and access list (EIP-2028, EIP-2930, EIP-3860). */
export function intrinsicGas(tx: Pick<TxInput, "to" | "data" | "accessList">): bigint {
  let gas = TX_BASE_COST;
  const data = tx.data;
  for (let i = 0; i < data.length; i++) gas += data[i] === 0 ? TX_DATA_COST_PER_ZERO : TX_DATA_COST_PER_NON_ZERO;
  if (tx.to === null) gas += TX_CREATE_COST + GAS_INIT_CODE_WORD_COST * Math.ceil(data.length / 32);
  for (const entry of tx.accessList) {
    gas += TX_ACCESS_LIST_ADDRESS_COST + TX_ACCESS_LIST_STORAGE_KEY_COST * entry.storageKeys.length;
  }
  return BigInt(gas);
}
