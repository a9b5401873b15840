// The core suites' common setup on one target: a token with two required claim topics (KYC by one
// issuer, AML by another), separate accounts for the admin, the registry agent and the issuers, and
// four onboarded investors in three countries. Call `coreFixture(t)` inside describeOnTargets; its
// fields are filled by the `before` hook it registers.
import assert from "node:assert/strict";
import { before } from "node:test";
import type { Address } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import {
  addClaim,
  type CoreDeployment,
  deployCore,
  type RwaClient,
  RwaError,
  registerIdentity,
} from "../../src/rwa/sdk/core.js";
import type { TargetHandle } from "./harness.js";

export const KYC = 1n;
export const AML = 2n;
/** ISO-3166 numeric country codes. */
export const US = 840;
export const FR = 250;
export const DE = 276;

export interface Investor {
  account: PrivateKeyAccount;
  address: Address;
  client: RwaClient;
  identityId: bigint;
}

export interface CoreFixture {
  core: CoreDeployment;
  /** Deployer: admin of everything, holds every token agent role, owns the compliance. */
  admin: RwaClient;
  /** The registry's agent (no token role). */
  agent: RwaClient;
  kycIssuer: RwaClient;
  amlIssuer: RwaClient;
  alice: Investor; // US
  bob: Investor; // FR
  carol: Investor; // DE
  dave: Investor; // FR
  /** A funded dev account with no identity. */
  eve: { account: PrivateKeyAccount; address: Address; client: RwaClient };
  /** Registers a wallet as a new identity with both claims (expiring at `kycExpiresAt`, default never). */
  onboard(account: PrivateKeyAccount, country: number, kycExpiresAt?: bigint): Promise<Investor>;
}

export function coreFixture(t: TargetHandle): CoreFixture {
  const f = {} as CoreFixture;
  before(async () => {
    const [deployer, agent, kyc, aml, a, b, c, d, e] = t.accounts;
    f.admin = t.client(deployer!);
    f.agent = t.client(agent!);
    f.kycIssuer = t.client(kyc!);
    f.amlIssuer = t.client(aml!);
    f.core = await deployCore({
      client: f.admin,
      name: "Weft Real Estate Fund",
      symbol: "WREF",
      decimals: 6,
      claimTopics: [KYC, AML],
      trustedIssuers: [
        { issuer: kyc!.address, topics: [KYC] },
        { issuer: aml!.address, topics: [AML] },
      ],
      registryAgents: [agent!.address],
    });
    f.onboard = async (account, country, kycExpiresAt = 0n) => {
      const registry = f.core.identityRegistry;
      const identityId = await registerIdentity(f.agent, registry, account.address, country);
      await addClaim(f.kycIssuer, registry, { identityId, topic: KYC, expiresAt: kycExpiresAt });
      await addClaim(f.amlIssuer, registry, { identityId, topic: AML });
      return { account, address: account.address, client: t.client(account), identityId };
    };
    f.alice = await f.onboard(a!, US);
    f.bob = await f.onboard(b!, FR);
    f.carol = await f.onboard(c!, DE);
    f.dave = await f.onboard(d!, FR);
    f.eve = { account: e!, address: e!.address, client: t.client(e!) };
  });
  return f;
}

/** Asserts that `p` rejects with an RwaError named `errorName` (and, for TransferRejected, rule `code`). */
export async function rejects(p: Promise<unknown>, errorName: string, code?: number): Promise<RwaError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof RwaError, `expected an RwaError, got ${e instanceof Error ? e.stack : String(e)}`);
    assert.equal(e.errorName, errorName, e.message);
    if (code !== undefined) assert.equal(e.rule?.code, code, e.message);
    return e;
  }
  assert.fail(`expected ${errorName}${code === undefined ? "" : ` (rule ${code})`}, but it succeeded`);
}
