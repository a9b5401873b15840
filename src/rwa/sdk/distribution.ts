// Cash distributions (Distribution): the issuer declares one (record-date snapshot + escrowed
// payment), holders claim pro rata until the deadline, the issuer reclaims the rest after it.
import { type Address, parseEventLogs } from "viem";
import type { RwaClient, RwaReader } from "./client.js";
import { DISTRIBUTION_ABI as abi } from "./markets-abi.js";
import { readMarket, sendMarket } from "./markets-call.js";

/** Declares a distribution of `amount` of `paymentToken` (approve the Distribution contract for it
 * first); the record date is now. Resolves to the distribution id and its snapshot id. */
export async function createDistribution(
  client: RwaClient,
  distribution: Address,
  params: { paymentToken: Address; amount: bigint; claimDeadline: bigint },
): Promise<{ id: bigint; snapshotId: bigint }> {
  const receipt = await sendMarket(client, {
    address: distribution,
    abi,
    functionName: "createDistribution",
    args: [params.paymentToken, params.amount, params.claimDeadline],
  });
  const [created] = parseEventLogs({ abi, logs: receipt.logs, eventName: "DistributionCreated" });
  if (!created) throw new Error(`createDistribution: no DistributionCreated event in ${receipt.transactionHash}`);
  return { id: created.args.id, snapshotId: created.args.snapshotId };
}

/** Claims the caller's entitlement; resolves to the amount paid. The caller must be a verified,
 * unfrozen wallet of the token now (else ClaimantNotEligible; the entitlement stays until the deadline). */
export async function claimDistribution(client: RwaClient, distribution: Address, id: bigint): Promise<bigint> {
  const receipt = await sendMarket(client, { address: distribution, abi, functionName: "claim", args: [id] });
  const [claimed] = parseEventLogs({ abi, logs: receipt.logs, eventName: "Claimed" });
  return claimed?.args.amount ?? 0n;
}

/** After the deadline, the issuer takes back what is unclaimed; resolves to that amount. */
export async function reclaimDistribution(client: RwaClient, distribution: Address, id: bigint): Promise<bigint> {
  const receipt = await sendMarket(client, { address: distribution, abi, functionName: "reclaim", args: [id] });
  const [reclaimed] = parseEventLogs({ abi, logs: receipt.logs, eventName: "Reclaimed" });
  return reclaimed?.args.amount ?? 0n;
}

/** What `holder` can claim now (0 once claimed). */
export function claimableDistribution(
  client: RwaReader,
  distribution: Address,
  id: bigint,
  holder: Address,
): Promise<bigint> {
  return readMarket(client, { address: distribution, abi, functionName: "claimable", args: [id, holder] });
}

export function getDistribution(client: RwaReader, distribution: Address, id: bigint) {
  return readMarket(client, { address: distribution, abi, functionName: "getDistribution", args: [id] });
}
