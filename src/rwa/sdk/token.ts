// Regulated token actions: holder transfers, agents' powers (mint, burn, freeze, forced transfer,
// recovery, pause, snapshot), their batch forms, roles, and the ERC-3643 / ERC-7943 checks.
import { type Address, parseEventLogs } from "viem";
import { type RwaClient, type RwaReader, read, send } from "./client.js";
import { regulatedTokenAbi as abi } from "./core-abi.js";
import { TOKEN_ROLES } from "./roles.js";
import { type RuleName, ruleName } from "./rules.js";

// ---- holders ----

export function transfer(client: RwaClient, token: Address, to: Address, amount: bigint) {
  return send(client, { address: token, abi, functionName: "transfer", args: [to, amount] });
}

export function transferFrom(client: RwaClient, token: Address, from: Address, to: Address, amount: bigint) {
  return send(client, { address: token, abi, functionName: "transferFrom", args: [from, to, amount] });
}

export function approve(client: RwaClient, token: Address, spender: Address, amount: bigint) {
  return send(client, { address: token, abi, functionName: "approve", args: [spender, amount] });
}

export function batchTransfer(client: RwaClient, token: Address, to: readonly Address[], amounts: readonly bigint[]) {
  return send(client, { address: token, abi, functionName: "batchTransfer", args: [to, amounts] });
}

// ---- agents ----

export function mint(client: RwaClient, token: Address, to: Address, amount: bigint) {
  return send(client, { address: token, abi, functionName: "mint", args: [to, amount] });
}

export function burn(client: RwaClient, token: Address, from: Address, amount: bigint) {
  return send(client, { address: token, abi, functionName: "burn", args: [from, amount] });
}

export function forcedTransfer(client: RwaClient, token: Address, from: Address, to: Address, amount: bigint) {
  return send(client, { address: token, abi, functionName: "forcedTransfer", args: [from, to, amount] });
}

/** Moves a lost wallet's position to another wallet of the same identity (add that wallet to the
 * identity in the registry first). */
export function recoveryAddress(
  client: RwaClient,
  token: Address,
  lostWallet: Address,
  newWallet: Address,
  identityId: bigint,
) {
  return send(client, {
    address: token,
    abi,
    functionName: "recoveryAddress",
    args: [lostWallet, newWallet, identityId],
  });
}

export function pause(client: RwaClient, token: Address) {
  return send(client, { address: token, abi, functionName: "pause", args: [] });
}

export function unpause(client: RwaClient, token: Address) {
  return send(client, { address: token, abi, functionName: "unpause", args: [] });
}

export function setAddressFrozen(client: RwaClient, token: Address, wallet: Address, frozen: boolean) {
  return send(client, { address: token, abi, functionName: "setAddressFrozen", args: [wallet, frozen] });
}

export function freezePartialTokens(client: RwaClient, token: Address, wallet: Address, amount: bigint) {
  return send(client, { address: token, abi, functionName: "freezePartialTokens", args: [wallet, amount] });
}

export function unfreezePartialTokens(client: RwaClient, token: Address, wallet: Address, amount: bigint) {
  return send(client, { address: token, abi, functionName: "unfreezePartialTokens", args: [wallet, amount] });
}

/** ERC-7943: sets the frozen amount outright (it may exceed the balance). */
export function setFrozenTokens(client: RwaClient, token: Address, wallet: Address, amount: bigint) {
  return send(client, { address: token, abi, functionName: "setFrozenTokens", args: [wallet, amount] });
}

/** Takes a record-date snapshot; resolves to its id. */
export async function snapshot(client: RwaClient, token: Address): Promise<bigint> {
  const receipt = await send(client, { address: token, abi, functionName: "snapshot", args: [] });
  const [event] = parseEventLogs({ abi, logs: receipt.logs, eventName: "Snapshot" });
  if (!event) throw new Error("rwa: snapshot() emitted no Snapshot event");
  return event.args.id;
}

// ---- batches ----

export function batchMint(client: RwaClient, token: Address, to: readonly Address[], amounts: readonly bigint[]) {
  return send(client, { address: token, abi, functionName: "batchMint", args: [to, amounts] });
}

export function batchBurn(client: RwaClient, token: Address, from: readonly Address[], amounts: readonly bigint[]) {
  return send(client, { address: token, abi, functionName: "batchBurn", args: [from, amounts] });
}

export function batchForcedTransfer(
  client: RwaClient,
  token: Address,
  from: readonly Address[],
  to: readonly Address[],
  amounts: readonly bigint[],
) {
  return send(client, { address: token, abi, functionName: "batchForcedTransfer", args: [from, to, amounts] });
}

export function batchSetAddressFrozen(
  client: RwaClient,
  token: Address,
  wallets: readonly Address[],
  frozen: readonly boolean[],
) {
  return send(client, { address: token, abi, functionName: "batchSetAddressFrozen", args: [wallets, frozen] });
}

export function batchFreezePartialTokens(
  client: RwaClient,
  token: Address,
  wallets: readonly Address[],
  amounts: readonly bigint[],
) {
  return send(client, { address: token, abi, functionName: "batchFreezePartialTokens", args: [wallets, amounts] });
}

export function batchUnfreezePartialTokens(
  client: RwaClient,
  token: Address,
  wallets: readonly Address[],
  amounts: readonly bigint[],
) {
  return send(client, {
    address: token,
    abi,
    functionName: "batchUnfreezePartialTokens",
    args: [wallets, amounts],
  });
}

// ---- roles (admin) ----

export type TokenRoleName = keyof typeof TOKEN_ROLES;

export function grantTokenRole(client: RwaClient, token: Address, role: TokenRoleName, account: Address) {
  return send(client, { address: token, abi, functionName: "grantRole", args: [TOKEN_ROLES[role], account] });
}

export function revokeTokenRole(client: RwaClient, token: Address, role: TokenRoleName, account: Address) {
  return send(client, { address: token, abi, functionName: "revokeRole", args: [TOKEN_ROLES[role], account] });
}

export function hasTokenRole(client: RwaReader, token: Address, role: TokenRoleName, account: Address) {
  return read(client, { address: token, abi, functionName: "hasRole", args: [TOKEN_ROLES[role], account] });
}

// ---- views ----

export interface TransferCheck {
  ok: boolean;
  code: number;
  /** The rule's name (see rules.ts), "OK" when it passes. */
  rule: RuleName | string;
  reason: string;
}

/** The pre-check: the first rule the transfer would break now, or ok. */
export async function checkTransfer(
  client: RwaReader,
  token: Address,
  from: Address,
  to: Address,
  amount: bigint,
): Promise<TransferCheck> {
  const [code, reason] = await read(client, {
    address: token,
    abi,
    functionName: "checkTransfer",
    args: [from, to, amount],
  });
  return { ok: code === 0, code, rule: ruleName(code), reason };
}

export function canTransfer(client: RwaReader, token: Address, from: Address, to: Address, amount: bigint) {
  return read(client, { address: token, abi, functionName: "canTransfer", args: [from, to, amount] });
}

export function canSend(client: RwaReader, token: Address, account: Address) {
  return read(client, { address: token, abi, functionName: "canSend", args: [account] });
}

export function canReceive(client: RwaReader, token: Address, account: Address) {
  return read(client, { address: token, abi, functionName: "canReceive", args: [account] });
}

export function balanceOf(client: RwaReader, token: Address, account: Address) {
  return read(client, { address: token, abi, functionName: "balanceOf", args: [account] });
}

export function totalSupply(client: RwaReader, token: Address) {
  return read(client, { address: token, abi, functionName: "totalSupply", args: [] });
}

export function allowance(client: RwaReader, token: Address, owner: Address, spender: Address) {
  return read(client, { address: token, abi, functionName: "allowance", args: [owner, spender] });
}

export function getFrozenTokens(client: RwaReader, token: Address, wallet: Address) {
  return read(client, { address: token, abi, functionName: "getFrozenTokens", args: [wallet] });
}

export function isFrozen(client: RwaReader, token: Address, wallet: Address) {
  return read(client, { address: token, abi, functionName: "isFrozen", args: [wallet] });
}

export function isPaused(client: RwaReader, token: Address) {
  return read(client, { address: token, abi, functionName: "paused", args: [] });
}

export function balanceOfAt(client: RwaReader, token: Address, account: Address, snapshotId: bigint) {
  return read(client, { address: token, abi, functionName: "balanceOfAt", args: [account, snapshotId] });
}

export function totalSupplyAt(client: RwaReader, token: Address, snapshotId: bigint) {
  return read(client, { address: token, abi, functionName: "totalSupplyAt", args: [snapshotId] });
}
