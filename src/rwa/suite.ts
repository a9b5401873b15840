// deployRwaSuite: the whole RWA suite in one call, as `weft rwa deploy`, `weft rwa demo` and
// `weft node --rwa` set it up. deployCore (every module deployed, none bound; KYC the one required
// claim topic, the deployer its trusted issuer), the deployer's own verified identity (the vault, pool
// and lending market join it as wallets), then deployMarkets with a new TestUSD as the payment token.
// The deployer is admin, agent, KYC issuer, fund manager and oracle of everything. The order of its
// transactions is fixed, so from a fresh key the addresses are too (see predeploy-addresses.ts).
import type { Address } from "viem";
import type { RwaClient } from "./sdk/client.js";
import { deployCore } from "./sdk/deploy.js";
import { deployMarkets } from "./sdk/deploy-markets.js";
import { addClaim, registerIdentity } from "./sdk/identity.js";

/** Claim topic 1: know-your-customer, the one claim the suite's investors need. */
export const KYC_TOPIC = 1n;

/** Every contract of the suite, flat, in deployment order. */
export interface RwaSuite {
  identityRegistry: Address;
  compliance: Address;
  /** The regulated token (ERC-3643 with ERC-7943 checks): the fund's shares. */
  token: Address;
  countryAllowModule: Address;
  countryRestrictModule: Address;
  maxBalanceModule: Address;
  maxInvestorsModule: Address;
  supplyLimitModule: Address;
  lockUpModule: Address;
  timeWindowModule: Address;
  /** TestUSD, the payment token (6 decimals). */
  stablecoin: Address;
  documents: Address;
  distribution: Address;
  ballot: Address;
  navOracle: Address;
  vault: Address;
  settlement: Address;
  pool: Address;
  priceOracle: Address;
  lending: Address;
}

/** The suite's contracts in deployment order, with what each is (for tables). */
export const RWA_SUITE_CONTRACTS: readonly { key: keyof RwaSuite; what: string }[] = [
  { key: "identityRegistry", what: "IdentityRegistry: identities, wallets, claims" },
  { key: "compliance", what: "ModularCompliance" },
  { key: "token", what: "RegulatedToken WREF (ERC-3643 / ERC-7943), 6 decimals" },
  { key: "countryAllowModule", what: "CountryAllowModule (not bound)" },
  { key: "countryRestrictModule", what: "CountryRestrictModule (not bound)" },
  { key: "maxBalanceModule", what: "MaxBalanceModule (not bound)" },
  { key: "maxInvestorsModule", what: "MaxInvestorsModule (not bound)" },
  { key: "supplyLimitModule", what: "SupplyLimitModule (not bound)" },
  { key: "lockUpModule", what: "LockUpModule (not bound)" },
  { key: "timeWindowModule", what: "TimeWindowTransferLimitModule (not bound)" },
  { key: "stablecoin", what: "TestUSD payment token, 6 decimals" },
  { key: "documents", what: "DocumentRegistry (ERC-1643)" },
  { key: "distribution", what: "Distribution: cash distributions" },
  { key: "ballot", what: "Ballot: holder votes" },
  { key: "navOracle", what: "NavOracle" },
  { key: "vault", what: "FundVault (ERC-7540 subscriptions at NAV)" },
  { key: "settlement", what: "DvPSettlement" },
  { key: "pool", what: "PermissionedPool (WREF/TUSD AMM)" },
  { key: "priceOracle", what: "PriceOracle" },
  { key: "lending", what: "LendingMarket" },
];

export interface DeployRwaSuiteOptions {
  /** ISO-3166 numeric country of the deployer's identity (default 840, US). */
  issuerCountry?: number;
  /** NAV per share in TestUSD base units (default 10_000_000: 10.00 TUSD). */
  nav?: bigint;
  /** Collateral price per token for lending, TestUSD base units (default the NAV). */
  price?: bigint;
  /** Called after each stage ("core", "issuer identity", "markets"). */
  onStage?: (stage: string) => void;
}

export const DEFAULT_NAV = 10_000_000n;

/** Deploys and wires the suite from `client`'s account; resolves to every address. */
export async function deployRwaSuite(client: RwaClient, options: DeployRwaSuiteOptions = {}): Promise<RwaSuite> {
  const issuer = client.walletClient.account.address;
  const core = await deployCore({
    client,
    name: "Weft Real Estate Fund",
    symbol: "WREF",
    decimals: 6,
    claimTopics: [KYC_TOPIC],
    trustedIssuers: [{ issuer, topics: [KYC_TOPIC] }],
  });
  options.onStage?.("core");
  const identityId = await registerIdentity(client, core.identityRegistry, issuer, options.issuerCountry ?? 840);
  await addClaim(client, core.identityRegistry, { identityId, topic: KYC_TOPIC });
  options.onStage?.("issuer identity");
  const nav = options.nav ?? DEFAULT_NAV;
  const markets = await deployMarkets({
    client,
    core,
    issuerIdentityId: identityId,
    nav: { initial: nav },
    price: { initial: options.price ?? nav },
  });
  options.onStage?.("markets");
  const m = core.modules;
  return {
    identityRegistry: core.identityRegistry,
    compliance: core.compliance,
    token: core.token,
    countryAllowModule: m.countryAllow,
    countryRestrictModule: m.countryRestrict,
    maxBalanceModule: m.maxBalance,
    maxInvestorsModule: m.maxInvestors,
    supplyLimitModule: m.supplyLimit,
    lockUpModule: m.lockUp,
    timeWindowModule: m.timeWindow,
    stablecoin: markets.stablecoin,
    documents: markets.documents,
    distribution: markets.distribution,
    ballot: markets.ballot,
    navOracle: markets.navOracle,
    vault: markets.vault,
    settlement: markets.settlement,
    pool: markets.pool,
    priceOracle: markets.priceOracle,
    lending: markets.lending,
  };
}
