// Delivery-versus-payment (DvPSettlement): propose legs, each delivering party affirms (after
// approving the settlement contract for what it delivers), then anyone executes all legs at once.
import { type Address, parseEventLogs } from "viem";
import type { RwaClient, RwaReader } from "./client.js";
import { DVP_SETTLEMENT_ABI as abi, SettlementStatus } from "./markets-abi.js";
import { readMarket, sendMarket } from "./markets-call.js";

export interface SettlementLeg {
  token: Address;
  from: Address;
  to: Address;
  amount: bigint;
}

export type SettlementStatusName = keyof typeof SettlementStatus;

const STATUS_NAMES = Object.fromEntries(Object.entries(SettlementStatus).map(([k, v]) => [v, k])) as Record<
  number,
  SettlementStatusName
>;

/** Proposes a settlement expiring at `expiry` (chain time); resolves to its id. */
export async function createSettlement(
  client: RwaClient,
  dvp: Address,
  legs: readonly SettlementLeg[],
  expiry: bigint,
): Promise<bigint> {
  const receipt = await sendMarket(client, {
    address: dvp,
    abi,
    functionName: "createSettlement",
    args: [legs, expiry],
  });
  const [created] = parseEventLogs({ abi, logs: receipt.logs, eventName: "SettlementCreated" });
  if (!created) throw new Error(`createSettlement: no SettlementCreated event in ${receipt.transactionHash}`);
  return created.args.id;
}

export function affirmSettlement(client: RwaClient, dvp: Address, id: bigint) {
  return sendMarket(client, { address: dvp, abi, functionName: "affirm", args: [id] });
}

export function revokeAffirmation(client: RwaClient, dvp: Address, id: bigint) {
  return sendMarket(client, { address: dvp, abi, functionName: "revokeAffirmation", args: [id] });
}

export function cancelSettlement(client: RwaClient, dvp: Address, id: bigint) {
  return sendMarket(client, { address: dvp, abi, functionName: "cancel", args: [id] });
}

/** Moves every leg in one transaction (all parties must have affirmed). */
export function executeSettlement(client: RwaClient, dvp: Address, id: bigint) {
  return sendMarket(client, { address: dvp, abi, functionName: "execute", args: [id] });
}

export async function settlementStatus(client: RwaReader, dvp: Address, id: bigint): Promise<SettlementStatusName> {
  const status = await readMarket(client, { address: dvp, abi, functionName: "status", args: [id] });
  return STATUS_NAMES[status] ?? "None";
}

export async function getSettlement(client: RwaReader, dvp: Address, id: bigint) {
  const [info, legs] = await readMarket(client, { address: dvp, abi, functionName: "getSettlement", args: [id] });
  return { ...info, status: STATUS_NAMES[info.status] ?? "None", legs };
}
