// Modular compliance actions: binding modules (the compliance owner) and configuring them. Modules
// take configuration only from a compliance they are bound to, so every setter here goes through
// `ModularCompliance.callModuleFunction` as the owner.
import { type Abi, type Address, type ContractFunctionArgs, type ContractFunctionName, encodeFunctionData } from "viem";
import { type RwaClient, type RwaReader, read, send } from "./client.js";
import {
  modularComplianceAbi as abi,
  countryAllowModuleAbi,
  countryRestrictModuleAbi,
  lockUpModuleAbi,
  maxBalanceModuleAbi,
  maxInvestorsModuleAbi,
  supplyLimitModuleAbi,
  timeWindowTransferLimitModuleAbi,
} from "./core-abi.js";
import { ruleName } from "./rules.js";

export function addModule(client: RwaClient, compliance: Address, module: Address) {
  return send(client, { address: compliance, abi, functionName: "addModule", args: [module] });
}

export function removeModule(client: RwaClient, compliance: Address, module: Address) {
  return send(client, { address: compliance, abi, functionName: "removeModule", args: [module] });
}

export function getModules(client: RwaReader, compliance: Address): Promise<readonly Address[]> {
  return read(client, { address: compliance, abi, functionName: "getModules", args: [] });
}

/** Calls a bound module's configuration function as the compliance (owner only). */
export function callModuleFunction<
  const moduleAbi extends Abi,
  fn extends ContractFunctionName<moduleAbi, "nonpayable" | "payable">,
>(
  client: RwaClient,
  compliance: Address,
  module: Address,
  call: { abi: moduleAbi; functionName: fn; args: ContractFunctionArgs<moduleAbi, "nonpayable" | "payable", fn> },
) {
  const data = encodeFunctionData(call as never);
  return send(client, { address: compliance, abi, functionName: "callModuleFunction", args: [data, module] });
}

/** The compliance's own verdict (modules only; the token's checkTransfer adds its rules first). */
export async function complianceCheck(
  client: RwaReader,
  compliance: Address,
  from: Address,
  to: Address,
  amount: bigint,
): Promise<{ ok: boolean; code: number; rule: string; reason: string }> {
  const [code, reason] = await read(client, {
    address: compliance,
    abi,
    functionName: "checkTransfer",
    args: [from, to, amount],
  });
  return { ok: code === 0, code, rule: ruleName(code), reason };
}

// ---- module configuration ----

type Target = { client: RwaClient; compliance: Address; module: Address };

export function allowCountries({ client, compliance, module }: Target, countries: readonly number[]) {
  return callModuleFunction(client, compliance, module, {
    abi: countryAllowModuleAbi,
    functionName: "batchAllowCountries",
    args: [countries],
  });
}

export function disallowCountries({ client, compliance, module }: Target, countries: readonly number[]) {
  return callModuleFunction(client, compliance, module, {
    abi: countryAllowModuleAbi,
    functionName: "batchDisallowCountries",
    args: [countries],
  });
}

export function restrictCountries({ client, compliance, module }: Target, countries: readonly number[]) {
  return callModuleFunction(client, compliance, module, {
    abi: countryRestrictModuleAbi,
    functionName: "batchRestrictCountries",
    args: [countries],
  });
}

export function unrestrictCountries({ client, compliance, module }: Target, countries: readonly number[]) {
  return callModuleFunction(client, compliance, module, {
    abi: countryRestrictModuleAbi,
    functionName: "batchUnrestrictCountries",
    args: [countries],
  });
}

/** Per-identity cap (0 = none). */
export function setMaxBalance({ client, compliance, module }: Target, max: bigint) {
  return callModuleFunction(client, compliance, module, {
    abi: maxBalanceModuleAbi,
    functionName: "setMaxBalance",
    args: [max],
  });
}

/** Seeds a per-identity module's balance for a holder that predates the module (MaxBalance, MaxInvestors, LockUp). */
export function presetIdentityBalance({ client, compliance, module }: Target, wallet: Address, balance: bigint) {
  return callModuleFunction(client, compliance, module, {
    abi: maxBalanceModuleAbi,
    functionName: "presetIdentityBalance",
    args: [wallet, balance],
  });
}

export function setMaxInvestors({ client, compliance, module }: Target, max: bigint) {
  return callModuleFunction(client, compliance, module, {
    abi: maxInvestorsModuleAbi,
    functionName: "setMaxInvestors",
    args: [max],
  });
}

export function setMaxInvestorsPerCountry({ client, compliance, module }: Target, country: number, max: bigint) {
  return callModuleFunction(client, compliance, module, {
    abi: maxInvestorsModuleAbi,
    functionName: "setMaxInvestorsPerCountry",
    args: [country, max],
  });
}

export function setSupplyLimit({ client, compliance, module }: Target, limit: bigint) {
  return callModuleFunction(client, compliance, module, {
    abi: supplyLimitModuleAbi,
    functionName: "setSupplyLimit",
    args: [limit],
  });
}

/** Seconds tokens stay locked after an identity receives them. */
export function setLockUpPeriod({ client, compliance, module }: Target, seconds: bigint) {
  return callModuleFunction(client, compliance, module, {
    abi: lockUpModuleAbi,
    functionName: "setLockUpPeriod",
    args: [seconds],
  });
}

export function setTimeWindowLimit({ client, compliance, module }: Target, windowSeconds: number, limit: bigint) {
  return callModuleFunction(client, compliance, module, {
    abi: timeWindowTransferLimitModuleAbi,
    functionName: "setTimeWindowLimit",
    args: [windowSeconds, limit],
  });
}

export function removeTimeWindowLimit({ client, compliance, module }: Target, windowSeconds: number) {
  return callModuleFunction(client, compliance, module, {
    abi: timeWindowTransferLimitModuleAbi,
    functionName: "removeTimeWindowLimit",
    args: [windowSeconds],
  });
}

// ---- module views ----

export function lockedAmount(client: RwaReader, module: Address, compliance: Address, identityId: bigint) {
  return read(client, {
    address: module,
    abi: lockUpModuleAbi,
    functionName: "lockedAmount",
    args: [compliance, identityId],
  });
}

export function investorCount(client: RwaReader, module: Address, compliance: Address) {
  return read(client, {
    address: module,
    abi: maxInvestorsModuleAbi,
    functionName: "investorCount",
    args: [compliance],
  });
}

export function identityBalance(client: RwaReader, module: Address, compliance: Address, identityId: bigint) {
  return read(client, {
    address: module,
    abi: maxBalanceModuleAbi,
    functionName: "identityBalance",
    args: [compliance, identityId],
  });
}
