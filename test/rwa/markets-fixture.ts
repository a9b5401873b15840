// The markets suites' common setup on one target: the core fixture (token with KYC + AML topics,
// four onboarded investors, eve without an identity), the issuer (the core admin) onboarded as a
// verified identity so the vault, pool and lending market can join it as wallets, and every markets
// contract deployed by deployMarkets with its defaults: a new TestUSD, NAV 100 TUSD per share moving
// at most 10% per update, collateral priced at 100 TUSD per token, LTV 50% / liquidation at 75% /
// bonus 5%. Call `marketsFixture(t)` inside describeOnTargets; its fields are filled by the `before`
// hooks it registers (the core fixture's first).
import { before } from "node:test";
import { type Address, parseUnits } from "viem";
import { approve, mint } from "../../src/rwa/sdk/core.js";
import { approveStable, deployMarkets, type MarketsDeployment, mintTestUsd } from "../../src/rwa/sdk/markets.js";
import { type CoreFixture, coreFixture, type Investor, US } from "./core-fixture.js";
import type { TargetHandle } from "./harness.js";

/** NAV per share and collateral price at deployment: 100 TUSD per whole token. */
export const INITIAL_NAV = usd(100);
export const INITIAL_PRICE = usd(100);

/** Whole TUSD (6 decimals) in base units; decimals allowed ("0.5"). */
export function usd(amount: number | string): bigint {
  return parseUnits(String(amount), 6);
}

/** Whole regulated tokens (the core fixture's token has 6 decimals) in base units. */
export function tokens(amount: number | string): bigint {
  return parseUnits(String(amount), 6);
}

export interface MarketsFixture extends CoreFixture {
  markets: MarketsDeployment;
  /** The issuer as an investor: the verified identity the vault, pool and lending market belong to. */
  issuer: Investor;
  /** Mints `amounts.tokens` regulated tokens and `amounts.usd` TUSD (base units) to `to`. */
  fund(to: Address, amounts: { tokens?: bigint; usd?: bigint }): Promise<void>;
  /** Approves `spender` for `amounts` of the regulated token and/or TUSD, from `who`. */
  allow(
    who: Investor | CoreFixture["eve"],
    spender: Address,
    amounts: { tokens?: bigint; usd?: bigint },
  ): Promise<void>;
}

export function marketsFixture(t: TargetHandle): MarketsFixture {
  const f = coreFixture(t) as MarketsFixture;
  before(async () => {
    f.issuer = await f.onboard(t.accounts[0]!, US);
    f.markets = await deployMarkets({
      client: f.admin,
      core: f.core,
      registryAgent: f.agent,
      issuerIdentityId: f.issuer.identityId,
      nav: { initial: INITIAL_NAV },
      price: { initial: INITIAL_PRICE },
    });
    f.fund = async (to, amounts) => {
      if (amounts.tokens) await mint(f.admin, f.core.token, to, amounts.tokens);
      if (amounts.usd) await mintTestUsd(f.admin, f.markets.stablecoin, to, amounts.usd);
    };
    f.allow = async (who, spender, amounts) => {
      if (amounts.tokens) await approve(who.client, f.core.token, spender, amounts.tokens);
      if (amounts.usd) await approveStable(who.client, f.markets.stablecoin, spender, amounts.usd);
    };
  });
  return f;
}
