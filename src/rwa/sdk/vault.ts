// The fund vault (FundVault, ERC-7540 style) and its NAV oracle. Subscriptions: approve the asset to
// the vault, requestDeposit, the manager settles at NAV, then claimDeposit mints the shares.
// Redemptions: approve the shares to the vault, requestRedeem, the manager settles, claimRedeem pays.
import { type Address, parseEventLogs } from "viem";
import { type RwaClient, type RwaReader, signer } from "./client.js";
import { FUND_VAULT_ABI as abi, NAV_ORACLE_ABI } from "./markets-abi.js";
import { readMarket, sendMarket } from "./markets-call.js";

/** Escrows `assets` from `owner` (default: the caller) as a subscription of `controller` (default: the
 * caller), which must be a verified, unfrozen wallet of the share token (else InvestorNotEligible). */
export function requestDeposit(
  client: RwaClient,
  vault: Address,
  params: { assets: bigint; controller?: Address; owner?: Address },
) {
  const me = signer(client);
  return sendMarket(client, {
    address: vault,
    abi,
    functionName: "requestDeposit",
    args: [params.assets, params.controller ?? me, params.owner ?? me],
  });
}

/** Fund manager: settles all of `controller`'s pending subscription at the NAV; resolves to the shares. */
export async function settleDeposit(client: RwaClient, vault: Address, controller: Address): Promise<bigint> {
  const receipt = await sendMarket(client, { address: vault, abi, functionName: "settleDeposit", args: [controller] });
  const [settled] = parseEventLogs({ abi, logs: receipt.logs, eventName: "DepositSettled" });
  return settled?.args.shares ?? 0n;
}

/** Claims settled subscription: `assets` of it (default: all), shares minted to `receiver`
 * (default: the caller). Resolves to the shares. */
export async function claimDeposit(
  client: RwaClient,
  vault: Address,
  params: { assets?: bigint; receiver?: Address; controller?: Address } = {},
): Promise<bigint> {
  const me = signer(client);
  const controller = params.controller ?? me;
  const assets =
    params.assets ??
    (await readMarket(client, { address: vault, abi, functionName: "maxDeposit", args: [controller] }));
  const receipt = await sendMarket(client, {
    address: vault,
    abi,
    functionName: "deposit",
    args: [assets, params.receiver ?? me, controller],
  });
  const [deposited] = parseEventLogs({ abi, logs: receipt.logs, eventName: "Deposit" });
  return deposited?.args.shares ?? 0n;
}

/** Escrows `shares` from `owner` (default: the caller) as a redemption of `controller`. */
export function requestRedeem(
  client: RwaClient,
  vault: Address,
  params: { shares: bigint; controller?: Address; owner?: Address },
) {
  const me = signer(client);
  return sendMarket(client, {
    address: vault,
    abi,
    functionName: "requestRedeem",
    args: [params.shares, params.controller ?? me, params.owner ?? me],
  });
}

/** Fund manager: settles all of `controller`'s pending redemption at the NAV; resolves to the assets. */
export async function settleRedeem(client: RwaClient, vault: Address, controller: Address): Promise<bigint> {
  const receipt = await sendMarket(client, { address: vault, abi, functionName: "settleRedeem", args: [controller] });
  const [settled] = parseEventLogs({ abi, logs: receipt.logs, eventName: "RedeemSettled" });
  return settled?.args.assets ?? 0n;
}

/** Claims settled redemption: `shares` of it (default: all), assets paid to `receiver` (default: the
 * caller). Resolves to the assets. */
export async function claimRedeem(
  client: RwaClient,
  vault: Address,
  params: { shares?: bigint; receiver?: Address; controller?: Address } = {},
): Promise<bigint> {
  const me = signer(client);
  const controller = params.controller ?? me;
  const shares =
    params.shares ?? (await readMarket(client, { address: vault, abi, functionName: "maxRedeem", args: [controller] }));
  const receipt = await sendMarket(client, {
    address: vault,
    abi,
    functionName: "redeem",
    args: [shares, params.receiver ?? me, controller],
  });
  const [withdrawn] = parseEventLogs({ abi, logs: receipt.logs, eventName: "Withdraw" });
  return withdrawn?.args.assets ?? 0n;
}

export function setVaultOperator(client: RwaClient, vault: Address, operator: Address, approved: boolean) {
  return sendMarket(client, { address: vault, abi, functionName: "setOperator", args: [operator, approved] });
}

export interface VaultRequests {
  /** Assets waiting for settlement. */
  pendingDeposit: bigint;
  /** Settled assets not yet claimed, and the shares they claim. */
  claimableDepositAssets: bigint;
  claimableDepositShares: bigint;
  /** Shares waiting for settlement. */
  pendingRedeem: bigint;
  /** Settled shares not yet claimed, and the assets they claim. */
  claimableRedeemShares: bigint;
  claimableRedeemAssets: bigint;
}

/** Where `controller`'s requests stand. */
export async function vaultRequests(client: RwaReader, vault: Address, controller: Address): Promise<VaultRequests> {
  const at = { address: vault, abi } as const;
  const [
    pendingDeposit,
    pendingRedeem,
    claimableDepositAssets,
    claimableDepositShares,
    claimableRedeemShares,
    claimableRedeemAssets,
  ] = await Promise.all([
    readMarket(client, { ...at, functionName: "pendingDepositRequest", args: [0n, controller] }),
    readMarket(client, { ...at, functionName: "pendingRedeemRequest", args: [0n, controller] }),
    readMarket(client, { ...at, functionName: "maxDeposit", args: [controller] }),
    readMarket(client, { ...at, functionName: "maxMint", args: [controller] }),
    readMarket(client, { ...at, functionName: "maxRedeem", args: [controller] }),
    readMarket(client, { ...at, functionName: "maxWithdraw", args: [controller] }),
  ]);
  return {
    pendingDeposit,
    claimableDepositAssets,
    claimableDepositShares,
    pendingRedeem,
    claimableRedeemShares,
    claimableRedeemAssets,
  };
}

/** Fund manager: moves assets not owed to anyone out of the vault (to be invested). */
export function withdrawVaultAssets(client: RwaClient, vault: Address, to: Address, assets: bigint) {
  return sendMarket(client, { address: vault, abi, functionName: "withdrawAssets", args: [to, assets] });
}

// ---- NAV oracle ----

/** Oracle role: publishes a NAV per share (asset base units per whole share), within the move bound. */
export function updateNav(client: RwaClient, navOracle: Address, nav: bigint) {
  return sendMarket(client, { address: navOracle, abi: NAV_ORACLE_ABI, functionName: "updateNav", args: [nav] });
}

export function navPerShare(client: RwaReader, navOracle: Address): Promise<bigint> {
  return readMarket(client, { address: navOracle, abi: NAV_ORACLE_ABI, functionName: "nav", args: [] });
}
