// Identity registry actions: identities and their wallets (registry agents), required claim topics
// and trusted issuers (the admin), claims (trusted issuers), and the verification views.
import { type Address, type Hex, parseEventLogs, type TransactionReceipt, zeroHash } from "viem";
import { type RwaClient, type RwaReader, read, send } from "./client.js";
import { identityRegistryAbi as abi } from "./core-abi.js";

/** Creates an identity holding `wallet` (registry agent); resolves to its id. */
export async function registerIdentity(
  client: RwaClient,
  registry: Address,
  wallet: Address,
  country: number,
): Promise<bigint> {
  const receipt = await send(client, {
    address: registry,
    abi,
    functionName: "registerIdentity",
    args: [wallet, country],
  });
  return identityIdsFrom(receipt)[0]!;
}

/** One identity per wallet, in one transaction; resolves to their ids in order. */
export async function batchRegisterIdentity(
  client: RwaClient,
  registry: Address,
  wallets: readonly Address[],
  countries: readonly number[],
): Promise<bigint[]> {
  const receipt = await send(client, {
    address: registry,
    abi,
    functionName: "batchRegisterIdentity",
    args: [wallets, countries],
  });
  return identityIdsFrom(receipt);
}

function identityIdsFrom(receipt: TransactionReceipt): bigint[] {
  return parseEventLogs({ abi, logs: receipt.logs, eventName: "IdentityCreated" }).map((l) => l.args.identityId);
}

/** Adds another wallet to an identity (e.g. before recovering a lost one to it). */
export function addWallet(client: RwaClient, registry: Address, identityId: bigint, wallet: Address) {
  return send(client, { address: registry, abi, functionName: "addWallet", args: [identityId, wallet] });
}

export function removeWallet(client: RwaClient, registry: Address, wallet: Address) {
  return send(client, { address: registry, abi, functionName: "removeWallet", args: [wallet] });
}

export function deleteIdentity(client: RwaClient, registry: Address, identityId: bigint) {
  return send(client, { address: registry, abi, functionName: "deleteIdentity", args: [identityId] });
}

export function updateCountry(client: RwaClient, registry: Address, identityId: bigint, country: number) {
  return send(client, { address: registry, abi, functionName: "updateCountry", args: [identityId, country] });
}

export function addClaimTopic(client: RwaClient, registry: Address, topic: bigint) {
  return send(client, { address: registry, abi, functionName: "addClaimTopic", args: [topic] });
}

export function removeClaimTopic(client: RwaClient, registry: Address, topic: bigint) {
  return send(client, { address: registry, abi, functionName: "removeClaimTopic", args: [topic] });
}

export function addTrustedIssuer(client: RwaClient, registry: Address, issuer: Address, topics: readonly bigint[]) {
  return send(client, { address: registry, abi, functionName: "addTrustedIssuer", args: [issuer, topics] });
}

export function removeTrustedIssuer(client: RwaClient, registry: Address, issuer: Address) {
  return send(client, { address: registry, abi, functionName: "removeTrustedIssuer", args: [issuer] });
}

export function updateIssuerClaimTopics(
  client: RwaClient,
  registry: Address,
  issuer: Address,
  topics: readonly bigint[],
) {
  return send(client, { address: registry, abi, functionName: "updateIssuerClaimTopics", args: [issuer, topics] });
}

export interface ClaimInput {
  identityId: bigint;
  topic: bigint;
  /** Unix seconds; 0 (the default) = never expires. */
  expiresAt?: bigint;
  /** Whether the issuer may revoke it later (default true). */
  revocable?: boolean;
  /** A reference to the evidence, e.g. a document hash (default zero). */
  data?: Hex;
}

/** Writes a claim as `client`'s account, which must be a trusted issuer for the topic. */
export function addClaim(client: RwaClient, registry: Address, claim: ClaimInput) {
  return send(client, {
    address: registry,
    abi,
    functionName: "addClaim",
    args: [claim.identityId, claim.topic, claim.expiresAt ?? 0n, claim.revocable ?? true, claim.data ?? zeroHash],
  });
}

/** The issuer (`client`'s account) revokes its claim. */
export function revokeClaim(client: RwaClient, registry: Address, identityId: bigint, topic: bigint) {
  return send(client, { address: registry, abi, functionName: "revokeClaim", args: [identityId, topic] });
}

/** A registry agent deletes a claim. */
export function removeClaim(client: RwaClient, registry: Address, identityId: bigint, topic: bigint, issuer: Address) {
  return send(client, { address: registry, abi, functionName: "removeClaim", args: [identityId, topic, issuer] });
}

export function isVerified(client: RwaReader, registry: Address, wallet: Address): Promise<boolean> {
  return read(client, { address: registry, abi, functionName: "isVerified", args: [wallet] });
}

/** 0 when the wallet has no identity. */
export function identityOf(client: RwaReader, registry: Address, wallet: Address): Promise<bigint> {
  return read(client, { address: registry, abi, functionName: "identityOf", args: [wallet] });
}

export function investorCountry(client: RwaReader, registry: Address, wallet: Address): Promise<number> {
  return read(client, { address: registry, abi, functionName: "investorCountry", args: [wallet] });
}

export function walletsOf(client: RwaReader, registry: Address, identityId: bigint): Promise<readonly Address[]> {
  return read(client, { address: registry, abi, functionName: "walletsOf", args: [identityId] });
}

export function getClaim(client: RwaReader, registry: Address, identityId: bigint, topic: bigint, issuer: Address) {
  return read(client, { address: registry, abi, functionName: "getClaim", args: [identityId, topic, issuer] });
}

export type VerificationStatus =
  | { status: "verified" }
  | { status: "no-identity" }
  | { status: "missing-claim"; topic: bigint };

/** Verified, or why not: the wallet has no identity, or which required topic lacks a valid claim. */
export async function verificationStatus(
  client: RwaReader,
  registry: Address,
  wallet: Address,
): Promise<VerificationStatus> {
  const [status, topic] = await read(client, {
    address: registry,
    abi,
    functionName: "verificationStatus",
    args: [wallet],
  });
  if (status === 0) return { status: "verified" };
  if (status === 1) return { status: "no-identity" };
  return { status: "missing-claim", topic };
}
