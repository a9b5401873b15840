// The RWA suite the `rwa` benchmark workloads run on: the ERC-3643 identity registry, the modular
// compliance, the regulated token and four compliance modules, deployed and wired through real
// transactions (the same calls the SDK's deployCore makes), then investors onboarded: an identity
// with a country, a KYC claim and an AML claim from two trusted issuers, and minted tokens.
//
// Modules bound, each one's check runs on every transfer (ModularCompliance.checkTransfer), and the
// two identity-balance modules' hooks write on every transfer (ModularCompliance.transferred):
//   CountryAllowModule   the receiver's country must be on the allow list
//   MaxBalanceModule     the receiver's identity balance + amount must stay under a cap
//   MaxInvestorsModule   a receiver at zero would count as a new investor, under a cap
//   SupplyLimitModule    mints only, but its check still runs (and returns) on every transfer
// Every investor holds tokens before the block, and no transfer empties a sender, so the investor
// count never changes: each transfer writes only its own sender's and receiver's slots (no shared
// counter), as ERC-20 transfers between existing holders do.
//
// Setup goes through an RwaSetupDriver: the bench chain (in memory, for `bench exec` and the e2e
// genesis) or a funding account on a running node (`bench e2e --rpc`).
import { type Abi, encodeDeployData, encodeFunctionData, type Hex } from "viem";
import { addressToHex, hexToBytes } from "../../primitives/hex.js";
import { compileRwa, type RwaArtifacts } from "../../rwa/compile.js";
import {
  countryAllowModuleAbi,
  identityRegistryAbi,
  maxBalanceModuleAbi,
  maxInvestorsModuleAbi,
  modularComplianceAbi,
  regulatedTokenAbi,
  supplyLimitModuleAbi,
} from "../../rwa/sdk/core-abi.js";
import { REGISTRY_AGENT_ROLE, TOKEN_ROLES } from "../../rwa/sdk/roles.js";
import {
  RWA_AML,
  RWA_COUNTRIES,
  RWA_DECIMALS,
  RWA_KYC,
  RWA_MAX_BALANCE,
  RWA_MAX_INVESTORS,
  RWA_SUPPLY_LIMIT,
  type RwaSuite,
} from "./params.js";

/** The modules, in the order they are deployed and bound. */
const MODULES = [
  ["countryAllow", "CountryAllowModule"],
  ["maxBalance", "MaxBalanceModule"],
  ["maxInvestors", "MaxInvestorsModule"],
  ["supplyLimit", "SupplyLimitModule"],
] as const;

export interface RwaSetupCall {
  /** null deploys `data` as init code. */
  to: bigint | null;
  data: Uint8Array;
  gasLimit: bigint;
}

/** Who does the setup, and how its transactions get executed. */
export interface RwaSetupDriver {
  /** Deploys everything, owns the compliance, holds the registry's agent role and the token's minter role. */
  admin: bigint;
  /** Trusted issuer of the KYC claims. */
  kycIssuer: bigint;
  /** Trusted issuer of the AML claims (may be the KYC issuer: then one issuer is trusted for both topics). */
  amlIssuer: bigint;
  /** Executes `calls` from `from` in order and resolves once all succeeded, with each creation's address. */
  send(from: bigint, calls: RwaSetupCall[], what: string): Promise<(bigint | undefined)[]>;
}

export interface RwaInvestor {
  wallet: bigint;
  /** Tokens minted to the wallet (smallest units). */
  tokens: bigint;
}

/** The RWA contracts, compiled (cached in .cache/solc). */
export function rwaBenchArtifacts(onCompile?: () => void): Promise<RwaArtifacts> {
  return compileRwa({ onCompile: () => onCompile?.() });
}

const hex = addressToHex as (a: bigint) => Hex;

function call<const abi extends Abi>(to: bigint, abi: abi, functionName: string, args: unknown[], gasLimit = 500_000n) {
  return {
    to,
    data: hexToBytes(encodeFunctionData({ abi, functionName, args } as never)),
    gasLimit,
  } satisfies RwaSetupCall;
}

function deployment(artifacts: RwaArtifacts, name: string, args: unknown[] = []): RwaSetupCall {
  const artifact = artifacts[name];
  if (artifact === undefined || artifact.bytecode === "0x") throw new Error(`rwa: no deployable contract ${name}`);
  const data = encodeDeployData({ abi: artifact.abi, bytecode: artifact.bytecode, args } as never);
  return { to: null, data: hexToBytes(data), gasLimit: 8_000_000n };
}

function created(addresses: (bigint | undefined)[], what: string): bigint[] {
  return addresses.map((a) => {
    if (a === undefined) throw new Error(`rwa: ${what}: a deployment created no contract`);
    return a;
  });
}

/**
 * Deploys the registry, the compliance, the token (which binds itself to the compliance) and the four
 * modules from the admin, then wires them: claim topics, trusted issuers, the admin's agent and
 * minter roles, the modules bound and configured through the compliance.
 */
export async function deployRwaSuite(driver: RwaSetupDriver, artifacts: RwaArtifacts): Promise<RwaSuite> {
  const { admin } = driver;
  const [identityRegistry, compliance] = created(
    await driver.send(
      admin,
      [
        deployment(artifacts, "IdentityRegistry", [hex(admin)]),
        deployment(artifacts, "ModularCompliance", [hex(admin)]),
      ],
      "deploying the identity registry and the compliance",
    ),
    "registry and compliance",
  ) as [bigint, bigint];
  const [token] = created(
    await driver.send(
      admin,
      [
        deployment(artifacts, "RegulatedToken", [
          "Weft Bench Fund",
          "WBF",
          RWA_DECIMALS,
          hex(identityRegistry),
          hex(compliance),
          hex(admin),
        ]),
      ],
      "deploying the regulated token",
    ),
    "token",
  ) as [bigint];
  const moduleAddresses = created(
    await driver.send(
      admin,
      MODULES.map(([, contract]) => deployment(artifacts, contract)),
      "deploying the compliance modules",
    ),
    "modules",
  );
  const suite: RwaSuite = { identityRegistry, compliance, token } as RwaSuite;
  MODULES.forEach(([key], i) => {
    suite[key] = moduleAddresses[i]!;
  });

  const registry = (fn: string, args: unknown[]) => call(identityRegistry, identityRegistryAbi, fn, args);
  const issuers =
    driver.kycIssuer === driver.amlIssuer
      ? [registry("addTrustedIssuer", [hex(driver.kycIssuer), [RWA_KYC, RWA_AML]])]
      : [
          registry("addTrustedIssuer", [hex(driver.kycIssuer), [RWA_KYC]]),
          registry("addTrustedIssuer", [hex(driver.amlIssuer), [RWA_AML]]),
        ];
  const configure = (abi: Abi, fn: string, args: unknown[], module: bigint) =>
    call(compliance, modularComplianceAbi, "callModuleFunction", [
      encodeFunctionData({ abi, functionName: fn, args } as never),
      hex(module),
    ]);
  await driver.send(
    admin,
    [
      registry("addClaimTopic", [RWA_KYC]),
      registry("addClaimTopic", [RWA_AML]),
      ...issuers,
      registry("grantRole", [REGISTRY_AGENT_ROLE, hex(admin)]),
      call(token, regulatedTokenAbi, "grantRole", [TOKEN_ROLES.MINTER_ROLE, hex(admin)]),
      ...MODULES.map(([key]) => call(compliance, modularComplianceAbi, "addModule", [hex(suite[key]!)])),
      configure(countryAllowModuleAbi, "batchAllowCountries", [RWA_COUNTRIES], suite.countryAllow),
      configure(maxBalanceModuleAbi, "setMaxBalance", [RWA_MAX_BALANCE], suite.maxBalance),
      configure(maxInvestorsModuleAbi, "setMaxInvestors", [RWA_MAX_INVESTORS], suite.maxInvestors),
      configure(supplyLimitModuleAbi, "setSupplyLimit", [RWA_SUPPLY_LIMIT], suite.supplyLimit),
    ],
    "wiring the RWA suite",
  );
  return suite;
}

/** Wallets per batchRegisterIdentity / batchMint transaction (about 12M and 17M gas). */
const REGISTER_BATCH = 100;
const MINT_BATCH = 50;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Onboards `investors`, once, on the registry deployRwaSuite made: investor i gets identity id i + 1
 * and country RWA_COUNTRIES[i mod 5]. Identities are registered in batches by the admin, a KYC and
 * an AML claim per identity come from their issuers, then the tokens are minted in batches.
 */
export async function onboardRwaInvestors(
  driver: RwaSetupDriver,
  suite: RwaSuite,
  investors: readonly RwaInvestor[],
): Promise<void> {
  const registry = suite.identityRegistry;
  const indexed = investors.map((investor, i) => ({ ...investor, country: RWA_COUNTRIES[i % RWA_COUNTRIES.length]! }));
  await driver.send(
    driver.admin,
    chunks(indexed, REGISTER_BATCH).map((batch) =>
      call(
        registry,
        identityRegistryAbi,
        "batchRegisterIdentity",
        [batch.map((b) => hex(b.wallet)), batch.map((b) => b.country)],
        20_000_000n,
      ),
    ),
    "registering the investors' identities",
  );
  // Identity ids follow registration order on the registry deployRwaSuite made: 1, 2, ...
  const claims = (topic: bigint) =>
    investors.map((_, i) =>
      call(registry, identityRegistryAbi, "addClaim", [BigInt(i + 1), topic, 0n, true, `0x${"00".repeat(32)}`]),
    );
  if (driver.kycIssuer === driver.amlIssuer) {
    await driver.send(driver.kycIssuer, [...claims(RWA_KYC), ...claims(RWA_AML)], "KYC and AML claims");
  } else {
    await driver.send(driver.kycIssuer, claims(RWA_KYC), "KYC claims");
    await driver.send(driver.amlIssuer, claims(RWA_AML), "AML claims");
  }
  await driver.send(
    driver.admin,
    chunks(investors, MINT_BATCH).map((batch) =>
      call(
        suite.token,
        regulatedTokenAbi,
        "batchMint",
        [batch.map((b) => hex(b.wallet)), batch.map((b) => b.tokens)],
        25_000_000n,
      ),
    ),
    "minting the investors' tokens",
  );
}
