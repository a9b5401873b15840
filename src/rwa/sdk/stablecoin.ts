// Payment-token actions for the markets: any ERC-20 stablecoin (approve, balances), and minting the
// TestUSD stand-in (6 decimals, owner mints) that tests and demos pay with.
import type { Address } from "viem";
import type { RwaClient, RwaReader } from "./client.js";
import { TEST_USD_ABI as abi } from "./markets-abi.js";
import { readMarket, sendMarket } from "./markets-call.js";

/** TestUSD's owner mints `amount` (base units, 6 decimals) to `to`. */
export function mintTestUsd(client: RwaClient, stablecoin: Address, to: Address, amount: bigint) {
  return sendMarket(client, { address: stablecoin, abi, functionName: "mint", args: [to, amount] });
}

/** ERC-20 approve on a payment token (the markets pull payments with transferFrom). */
export function approveStable(client: RwaClient, stablecoin: Address, spender: Address, amount: bigint) {
  return sendMarket(client, { address: stablecoin, abi, functionName: "approve", args: [spender, amount] });
}

export function transferStable(client: RwaClient, stablecoin: Address, to: Address, amount: bigint) {
  return sendMarket(client, { address: stablecoin, abi, functionName: "transfer", args: [to, amount] });
}

export function stableBalanceOf(client: RwaReader, stablecoin: Address, account: Address): Promise<bigint> {
  return readMarket(client, { address: stablecoin, abi, functionName: "balanceOf", args: [account] });
}
