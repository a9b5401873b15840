// send/read for the markets contracts: the core SDK's primitives, with reverts decoded against the
// markets' own errors too (the core decoder knows only the core contracts' errors), and the latest
// block's time for default deadlines.
import type { Abi, Address, ContractFunctionArgs, ContractFunctionName, ContractFunctionReturnType } from "viem";
import { type RwaClient, type RwaReader, read, send } from "./client.js";
import { RwaError, toRwaError } from "./errors.js";
import {
  BALLOT_ABI,
  DISTRIBUTION_ABI,
  DOCUMENT_REGISTRY_ABI,
  DVP_SETTLEMENT_ABI,
  FUND_VAULT_ABI,
  LENDING_MARKET_ABI,
  NAV_ORACLE_ABI,
  PERMISSIONED_POOL_ABI,
  PRICE_ORACLE_ABI,
  TEST_USD_ABI,
} from "./markets-abi.js";

/** Every custom error the markets contracts declare or let bubble up, once each. */
export const marketsErrorsAbi: Abi = (() => {
  const seen = new Map<string, Abi[number]>();
  for (const abi of [
    TEST_USD_ABI,
    DOCUMENT_REGISTRY_ABI,
    DISTRIBUTION_ABI,
    BALLOT_ABI,
    NAV_ORACLE_ABI,
    FUND_VAULT_ABI,
    DVP_SETTLEMENT_ABI,
    PERMISSIONED_POOL_ABI,
    PRICE_ORACLE_ABI,
    LENDING_MARKET_ABI,
  ] as readonly Abi[]) {
    for (const item of abi) {
      if (item.type === "error") seen.set(`${item.name}(${item.inputs.map((i) => i.type).join(",")})`, item);
    }
  }
  return [...seen.values()];
})();

/** An RwaError the core decoder could not name, decoded again with the markets' errors. */
function redecode(e: unknown, context: string): unknown {
  if (e instanceof RwaError && e.errorName === undefined && e.data !== undefined) {
    return toRwaError(e.cause ?? e, context, marketsErrorsAbi);
  }
  return e;
}

type Writable = "nonpayable" | "payable";
type Readable = "view" | "pure";

/** `send` (from the client's account, waits for the receipt) with the markets' errors decoded. */
export async function sendMarket<const abi extends Abi, fn extends ContractFunctionName<abi, Writable>>(
  client: RwaClient,
  call: { address: Address; abi: abi; functionName: fn; args: ContractFunctionArgs<abi, Writable, fn> },
) {
  try {
    return await send(client, call);
  } catch (e) {
    throw redecode(e, `${call.functionName} on ${call.address}`);
  }
}

/** `read` with the markets' errors decoded. */
export async function readMarket<const abi extends Abi, fn extends ContractFunctionName<abi, Readable>>(
  client: RwaReader,
  call: { address: Address; abi: abi; functionName: fn; args: ContractFunctionArgs<abi, Readable, fn> },
): Promise<ContractFunctionReturnType<abi, Readable, fn>> {
  try {
    return await read(client, call);
  } catch (e) {
    throw redecode(e, `${call.functionName} on ${call.address}`);
  }
}

/** A deadline `seconds` after the latest block (chain time, which dev nodes can move forward). */
export async function deadlineIn(client: RwaReader, seconds: bigint): Promise<bigint> {
  const block = await client.publicClient.getBlock();
  return block.timestamp + seconds;
}
