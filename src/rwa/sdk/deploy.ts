// deployCore: the registry, the compliance, every compliance module and the token, wired together:
// claim topics and trusted issuers set, agent roles granted, the chosen modules bound and configured.
// The deploying account becomes the admin / owner of everything.
import type { Address } from "viem";
import { deployRwaContract, type RwaClient, send, signer } from "./client.js";
import {
  addModule,
  allowCountries,
  restrictCountries,
  setLockUpPeriod,
  setMaxBalance,
  setMaxInvestors,
  setMaxInvestorsPerCountry,
  setSupplyLimit,
  setTimeWindowLimit,
} from "./compliance.js";
import { identityRegistryAbi } from "./core-abi.js";
import { addClaimTopic, addTrustedIssuer } from "./identity.js";
import { REGISTRY_AGENT_ROLE, TOKEN_AGENT_ROLES, type TokenRole } from "./roles.js";
import { grantTokenRole } from "./token.js";

/** Which modules to bind and how to configure them; a module left out is deployed but not bound. */
export interface ModulesConfig {
  /** Allow list of ISO-3166 numeric countries. */
  countryAllow?: { countries: readonly number[] };
  /** Block list of ISO-3166 numeric countries. */
  countryRestrict?: { countries: readonly number[] };
  maxBalance?: { max: bigint };
  maxInvestors?: { max?: bigint; perCountry?: readonly { country: number; max: bigint }[] };
  supplyLimit?: { limit: bigint };
  lockUp?: { periodSeconds: bigint };
  timeWindow?: { limits: readonly { windowSeconds: number; limit: bigint }[] };
}

export interface DeployCoreOptions {
  client: RwaClient;
  name: string;
  symbol: string;
  /** Default 18. */
  decimals?: number;
  /** Claim topics every investor needs (e.g. 1 = KYC). */
  claimTopics?: readonly bigint[];
  trustedIssuers?: readonly { issuer: Address; topics: readonly bigint[] }[];
  /** Accounts given the registry's agent role (default: the deployer). */
  registryAgents?: readonly Address[];
  /** Accounts per token role (default: the deployer holds every agent role). */
  tokenAgents?: Partial<Record<TokenRole, readonly Address[]>>;
  modules?: ModulesConfig;
}

export interface ModuleAddresses {
  countryAllow: Address;
  countryRestrict: Address;
  maxBalance: Address;
  maxInvestors: Address;
  supplyLimit: Address;
  lockUp: Address;
  timeWindow: Address;
}

export interface CoreDeployment {
  identityRegistry: Address;
  compliance: Address;
  token: Address;
  /** Every module is deployed; only those in `modules` are bound. */
  modules: ModuleAddresses;
}

const MODULE_CONTRACTS: Record<keyof ModuleAddresses, string> = {
  countryAllow: "CountryAllowModule",
  countryRestrict: "CountryRestrictModule",
  maxBalance: "MaxBalanceModule",
  maxInvestors: "MaxInvestorsModule",
  supplyLimit: "SupplyLimitModule",
  lockUp: "LockUpModule",
  timeWindow: "TimeWindowTransferLimitModule",
};

export async function deployCore(options: DeployCoreOptions): Promise<CoreDeployment> {
  const { client } = options;
  const admin = signer(client);
  const identityRegistry = await deployRwaContract(client, "IdentityRegistry", [admin]);
  const compliance = await deployRwaContract(client, "ModularCompliance", [admin]);
  // The token binds itself to the compliance in its constructor.
  const token = await deployRwaContract(client, "RegulatedToken", [
    options.name,
    options.symbol,
    options.decimals ?? 18,
    identityRegistry,
    compliance,
    admin,
  ]);
  const modules = {} as ModuleAddresses;
  for (const [key, contract] of Object.entries(MODULE_CONTRACTS) as [keyof ModuleAddresses, string][]) {
    modules[key] = await deployRwaContract(client, contract);
  }

  for (const topic of options.claimTopics ?? []) await addClaimTopic(client, identityRegistry, topic);
  for (const { issuer, topics } of options.trustedIssuers ?? []) {
    await addTrustedIssuer(client, identityRegistry, issuer, topics);
  }
  for (const agent of options.registryAgents ?? [admin]) {
    await send(client, {
      address: identityRegistry,
      abi: identityRegistryAbi,
      functionName: "grantRole",
      args: [REGISTRY_AGENT_ROLE, agent],
    });
  }
  for (const role of TOKEN_AGENT_ROLES) {
    for (const agent of options.tokenAgents?.[role] ?? [admin]) await grantTokenRole(client, token, role, agent);
  }

  await configureModules(client, compliance, modules, options.modules ?? {});
  return { identityRegistry, compliance, token, modules };
}

/** Binds and configures the modules named in `config` (the compliance owner's client). */
export async function configureModules(
  client: RwaClient,
  compliance: Address,
  modules: ModuleAddresses,
  config: ModulesConfig,
): Promise<void> {
  const at = (module: Address) => ({ client, compliance, module });
  if (config.countryAllow) {
    await addModule(client, compliance, modules.countryAllow);
    if (config.countryAllow.countries.length > 0)
      await allowCountries(at(modules.countryAllow), config.countryAllow.countries);
  }
  if (config.countryRestrict) {
    await addModule(client, compliance, modules.countryRestrict);
    if (config.countryRestrict.countries.length > 0) {
      await restrictCountries(at(modules.countryRestrict), config.countryRestrict.countries);
    }
  }
  if (config.maxBalance) {
    await addModule(client, compliance, modules.maxBalance);
    await setMaxBalance(at(modules.maxBalance), config.maxBalance.max);
  }
  if (config.maxInvestors) {
    await addModule(client, compliance, modules.maxInvestors);
    if (config.maxInvestors.max !== undefined) await setMaxInvestors(at(modules.maxInvestors), config.maxInvestors.max);
    for (const { country, max } of config.maxInvestors.perCountry ?? []) {
      await setMaxInvestorsPerCountry(at(modules.maxInvestors), country, max);
    }
  }
  if (config.supplyLimit) {
    await addModule(client, compliance, modules.supplyLimit);
    await setSupplyLimit(at(modules.supplyLimit), config.supplyLimit.limit);
  }
  if (config.lockUp) {
    await addModule(client, compliance, modules.lockUp);
    await setLockUpPeriod(at(modules.lockUp), config.lockUp.periodSeconds);
  }
  if (config.timeWindow) {
    await addModule(client, compliance, modules.timeWindow);
    for (const { windowSeconds, limit } of config.timeWindow.limits) {
      await setTimeWindowLimit(at(modules.timeWindow), windowSeconds, limit);
    }
  }
}
