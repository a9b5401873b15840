// deployMarkets: the markets half of the RWA suite on top of deployCore's token and registry —
// documents, distributions, ballots, the fund vault and its NAV oracle, DvP settlement, the
// permissioned pool, the lending market and its price oracle (and a TestUSD stablecoin unless one is
// given) — wired: snapshot roles to the corporate-action contracts, minter and burner roles to the
// vault, and the contracts that hold the token (vault, pool, lending market) registered as wallets of
// the issuer's verified identity. The deploying account becomes the issuer: owner / admin of all.
import type { Address } from "viem";
import { deployRwaContract, type RwaClient, signer } from "./client.js";
import { addWallet, identityOf, isVerified } from "./identity.js";
import { grantTokenRole } from "./token.js";

export interface DeployMarketsOptions {
  /** The issuer: admin of the token (it grants roles). */
  client: RwaClient;
  /** From deployCore (a CoreDeployment fits). */
  core: { token: Address; identityRegistry: Address };
  /** A registry agent's client, to add the contract wallets to the identity (default: `client`). */
  registryAgent?: RwaClient;
  /** The verified identity (with valid claims) the vault, pool and lending market join as wallets;
   * default the issuer's own identity. */
  issuerIdentityId?: bigint;
  /** The payment token; default a new TestUSD owned by the issuer. */
  stablecoin?: Address;
  /** NAV per share in stablecoin base units per whole share; `maxMoveBps` bounds each update (default
   * 1000 = 10%); `oracle` publishes it (default the issuer). */
  nav: { initial: bigint; maxMoveBps?: bigint; oracle?: Address };
  /** Settles vault requests (default the issuer). */
  fundManager?: Address;
  /** Collateral price in stablecoin base units per whole token; `oracle` publishes it (default the issuer). */
  price: { initial: bigint; oracle?: Address };
  /** Basis points; defaults: LTV 5000, liquidation threshold 7500, bonus 500, no interest. */
  lending?: { ltvBps?: bigint; liquidationThresholdBps?: bigint; liquidationBonusBps?: bigint; rateBps?: bigint };
}

export interface MarketsDeployment {
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

export async function deployMarkets(options: DeployMarketsOptions): Promise<MarketsDeployment> {
  const { client, core } = options;
  const issuer = signer(client);
  const agent = options.registryAgent ?? client;
  // Check first: without a verified identity the contracts that hold the token could never receive it.
  const identityId = options.issuerIdentityId ?? (await identityOf(client, core.identityRegistry, issuer));
  if (identityId === 0n) {
    throw new Error(
      `deployMarkets: ${issuer} has no identity; pass issuerIdentityId, a verified identity the vault, pool and lending market can join`,
    );
  }

  const stablecoin = options.stablecoin ?? (await deployRwaContract(client, "TestUSD", [issuer]));
  const documents = await deployRwaContract(client, "DocumentRegistry", [core.token, issuer]);
  const distribution = await deployRwaContract(client, "Distribution", [core.token, issuer]);
  const ballot = await deployRwaContract(client, "Ballot", [core.token, issuer]);
  const navOracle = await deployRwaContract(client, "NavOracle", [
    issuer,
    options.nav.oracle ?? issuer,
    options.nav.initial,
    options.nav.maxMoveBps ?? 1000n,
  ]);
  const vault = await deployRwaContract(client, "FundVault", [
    stablecoin,
    core.token,
    navOracle,
    issuer,
    options.fundManager ?? issuer,
  ]);
  const settlement = await deployRwaContract(client, "DvPSettlement");
  const pool = await deployRwaContract(client, "PermissionedPool", [core.token, stablecoin, issuer]);
  const priceOracle = await deployRwaContract(client, "PriceOracle", [
    issuer,
    options.price.oracle ?? issuer,
    options.price.initial,
  ]);
  const risk = options.lending ?? {};
  const lending = await deployRwaContract(client, "LendingMarket", [
    core.token,
    stablecoin,
    priceOracle,
    issuer,
    risk.ltvBps ?? 5000n,
    risk.liquidationThresholdBps ?? 7500n,
    risk.liquidationBonusBps ?? 500n,
    risk.rateBps ?? 0n,
  ]);

  await grantTokenRole(client, core.token, "SNAPSHOT_ROLE", distribution);
  await grantTokenRole(client, core.token, "SNAPSHOT_ROLE", ballot);
  await grantTokenRole(client, core.token, "MINTER_ROLE", vault);
  await grantTokenRole(client, core.token, "BURNER_ROLE", vault);
  for (const holder of [vault, pool, lending]) {
    await addWallet(agent, core.identityRegistry, identityId, holder);
    if (!(await isVerified(client, core.identityRegistry, holder))) {
      throw new Error(
        `deployMarkets: identity ${identityId} is not verified (missing or expired claims), so ${holder} cannot hold the token`,
      );
    }
  }
  return { stablecoin, documents, distribution, ballot, navOracle, vault, settlement, pool, priceOracle, lending };
}
