// The permissioned constant-product pool (PermissionedPool): liquidity and swaps for verified wallets,
// with slippage minimums and a deadline (default: 10 minutes of chain time from now); the issuer's
// kill switch. Approve the pool for what goes in (the regulated token and/or the stablecoin) first.
import { type Address, parseEventLogs } from "viem";
import type { RwaClient, RwaReader } from "./client.js";
import { PERMISSIONED_POOL_ABI as abi } from "./markets-abi.js";
import { deadlineIn, readMarket, sendMarket } from "./markets-call.js";

const DEFAULT_DEADLINE_SECONDS = 600n;

export async function addLiquidity(
  client: RwaClient,
  pool: Address,
  params: {
    tokenAmount: bigint;
    stableAmount: bigint;
    tokenMin?: bigint;
    stableMin?: bigint;
    deadline?: bigint;
  },
): Promise<{ tokenAmount: bigint; stableAmount: bigint; liquidity: bigint }> {
  const deadline = params.deadline ?? (await deadlineIn(client, DEFAULT_DEADLINE_SECONDS));
  const receipt = await sendMarket(client, {
    address: pool,
    abi,
    functionName: "addLiquidity",
    args: [params.tokenAmount, params.stableAmount, params.tokenMin ?? 0n, params.stableMin ?? 0n, deadline],
  });
  const [added] = parseEventLogs({ abi, logs: receipt.logs, eventName: "LiquidityAdded" });
  if (!added) throw new Error(`addLiquidity: no LiquidityAdded event in ${receipt.transactionHash}`);
  return added.args;
}

export async function removeLiquidity(
  client: RwaClient,
  pool: Address,
  params: { liquidity: bigint; tokenMin?: bigint; stableMin?: bigint; deadline?: bigint },
): Promise<{ tokenAmount: bigint; stableAmount: bigint }> {
  const deadline = params.deadline ?? (await deadlineIn(client, DEFAULT_DEADLINE_SECONDS));
  const receipt = await sendMarket(client, {
    address: pool,
    abi,
    functionName: "removeLiquidity",
    args: [params.liquidity, params.tokenMin ?? 0n, params.stableMin ?? 0n, deadline],
  });
  const [removed] = parseEventLogs({ abi, logs: receipt.logs, eventName: "LiquidityRemoved" });
  if (!removed) throw new Error(`removeLiquidity: no LiquidityRemoved event in ${receipt.transactionHash}`);
  return removed.args;
}

/** Sells exactly `amountIn` of `tokenIn` for at least `minOut` of the other side; resolves to what came out. */
export async function swapExactIn(
  client: RwaClient,
  pool: Address,
  params: { tokenIn: Address; amountIn: bigint; minOut: bigint; deadline?: bigint },
): Promise<bigint> {
  const deadline = params.deadline ?? (await deadlineIn(client, DEFAULT_DEADLINE_SECONDS));
  const receipt = await sendMarket(client, {
    address: pool,
    abi,
    functionName: "swapExactIn",
    args: [params.tokenIn, params.amountIn, params.minOut, deadline],
  });
  const [swap] = parseEventLogs({ abi, logs: receipt.logs, eventName: "Swap" });
  if (!swap) throw new Error(`swapExactIn: no Swap event in ${receipt.transactionHash}`);
  return swap.args.amountOut;
}

/** What selling `amountIn` of `tokenIn` would return now. */
export function quoteSwap(client: RwaReader, pool: Address, tokenIn: Address, amountIn: bigint): Promise<bigint> {
  return readMarket(client, { address: pool, abi, functionName: "getAmountOut", args: [tokenIn, amountIn] });
}

/** `amountOut` less `slippageBps` (a minOut that tolerates that much price movement). */
export function withSlippage(amountOut: bigint, slippageBps: bigint): bigint {
  return (amountOut * (10_000n - slippageBps)) / 10_000n;
}

export async function poolReserves(client: RwaReader, pool: Address): Promise<{ token: bigint; stable: bigint }> {
  const [token, stable] = await readMarket(client, { address: pool, abi, functionName: "getReserves", args: [] });
  return { token, stable };
}

export function liquidityOf(client: RwaReader, pool: Address, provider: Address): Promise<bigint> {
  return readMarket(client, { address: pool, abi, functionName: "liquidityOf", args: [provider] });
}

/** The issuer's kill switch: stops swaps and liquidity changes until `resumePool`. */
export function haltPool(client: RwaClient, pool: Address) {
  return sendMarket(client, { address: pool, abi, functionName: "halt", args: [] });
}

export function resumePool(client: RwaClient, pool: Address) {
  return sendMarket(client, { address: pool, abi, functionName: "resume", args: [] });
}
