// Shareholder ballots (Ballot): the issuer opens one (record-date snapshot), holders vote with their
// record-date balance, once each, until the deadline.
import { type Address, parseEventLogs } from "viem";
import type { RwaClient, RwaReader } from "./client.js";
import { BALLOT_ABI as abi } from "./markets-abi.js";
import { readMarket, sendMarket } from "./markets-call.js";

/** Opens a ballot; resolves to its id and its record snapshot. */
export async function createBallot(
  client: RwaClient,
  ballot: Address,
  params: { description: string; options: readonly string[]; deadline: bigint },
): Promise<{ id: bigint; snapshotId: bigint }> {
  const receipt = await sendMarket(client, {
    address: ballot,
    abi,
    functionName: "createBallot",
    args: [params.description, params.options, params.deadline],
  });
  const [created] = parseEventLogs({ abi, logs: receipt.logs, eventName: "BallotCreated" });
  if (!created) throw new Error(`createBallot: no BallotCreated event in ${receipt.transactionHash}`);
  return { id: created.args.id, snapshotId: created.args.snapshotId };
}

/** Casts the caller's record-date weight for option `option` (0-based); resolves to the weight. */
export async function castVote(client: RwaClient, ballot: Address, id: bigint, option: number): Promise<bigint> {
  const receipt = await sendMarket(client, { address: ballot, abi, functionName: "vote", args: [id, BigInt(option)] });
  const [cast] = parseEventLogs({ abi, logs: receipt.logs, eventName: "VoteCast" });
  return cast?.args.weight ?? 0n;
}

/** Weight per option, and whether voting has closed. */
export async function ballotResults(
  client: RwaReader,
  ballot: Address,
  id: bigint,
): Promise<{ tallies: readonly bigint[]; closed: boolean }> {
  const [tallies, closed] = await readMarket(client, { address: ballot, abi, functionName: "results", args: [id] });
  return { tallies, closed };
}

/** The option with the most weight (`tied` when another has as much). */
export async function leadingOption(
  client: RwaReader,
  ballot: Address,
  id: bigint,
): Promise<{ option: number; weight: bigint; tied: boolean }> {
  const [option, weight, tied] = await readMarket(client, {
    address: ballot,
    abi,
    functionName: "leadingOption",
    args: [id],
  });
  return { option: Number(option), weight, tied };
}

export function votingPower(client: RwaReader, ballot: Address, id: bigint, voter: Address): Promise<bigint> {
  return readMarket(client, { address: ballot, abi, functionName: "votingPower", args: [id, voter] });
}
