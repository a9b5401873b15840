// The collateralised lending market (LendingMarket) and its price oracle. Borrowers approve the
// regulated token to the market, deposit it, and borrow the stablecoin up to the loan-to-value;
// liquidators approve the stablecoin and repay an unhealthy position's debt for its collateral.
import { type Address, parseEventLogs } from "viem";
import type { RwaClient, RwaReader } from "./client.js";
import { LENDING_MARKET_ABI as abi, PRICE_ORACLE_ABI } from "./markets-abi.js";
import { readMarket, sendMarket } from "./markets-call.js";

export function depositCollateral(client: RwaClient, market: Address, amount: bigint) {
  return sendMarket(client, { address: market, abi, functionName: "depositCollateral", args: [amount] });
}

export function withdrawCollateral(client: RwaClient, market: Address, amount: bigint) {
  return sendMarket(client, { address: market, abi, functionName: "withdrawCollateral", args: [amount] });
}

export function borrow(client: RwaClient, market: Address, amount: bigint) {
  return sendMarket(client, { address: market, abi, functionName: "borrow", args: [amount] });
}

/** Pays down `borrower`'s debt from the caller (approve the stablecoin first); resolves to what was repaid. */
export async function repay(client: RwaClient, market: Address, borrower: Address, amount: bigint): Promise<bigint> {
  const receipt = await sendMarket(client, { address: market, abi, functionName: "repay", args: [borrower, amount] });
  const [repaid] = parseEventLogs({ abi, logs: receipt.logs, eventName: "Repaid" });
  return repaid?.args.amount ?? 0n;
}

/** Repays up to `maxRepay` of an unhealthy position; resolves to the debt repaid and collateral received. */
export async function liquidate(
  client: RwaClient,
  market: Address,
  borrower: Address,
  maxRepay: bigint,
): Promise<{ repaid: bigint; seized: bigint }> {
  const receipt = await sendMarket(client, {
    address: market,
    abi,
    functionName: "liquidate",
    args: [borrower, maxRepay],
  });
  const [event] = parseEventLogs({ abi, logs: receipt.logs, eventName: "Liquidated" });
  if (!event) throw new Error(`liquidate: no Liquidated event in ${receipt.transactionHash}`);
  return { repaid: event.args.repaid, seized: event.args.collateralSeized };
}

export interface LendingPosition {
  collateral: bigint;
  /** Including interest accrued up to the latest block. */
  debt: bigint;
  /** The most the position may owe at the current price. */
  borrowLimit: bigint;
  liquidatable: boolean;
}

export async function lendingPosition(client: RwaReader, market: Address, borrower: Address): Promise<LendingPosition> {
  const [collateral, debt, borrowLimit, liquidatable] = await readMarket(client, {
    address: market,
    abi,
    functionName: "position",
    args: [borrower],
  });
  return { collateral, debt, borrowLimit, liquidatable };
}

/** Oracle role: the price of one whole collateral token in stablecoin base units. */
export function setCollateralPrice(client: RwaClient, priceOracle: Address, price: bigint) {
  return sendMarket(client, { address: priceOracle, abi: PRICE_ORACLE_ABI, functionName: "setPrice", args: [price] });
}
