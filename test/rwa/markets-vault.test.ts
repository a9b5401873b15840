// The fund vault (ERC-7540 style) and its NAV oracle, through the SDK, against a running Weft node and
// anvil: subscriptions and redemptions go request -> settled at NAV -> claimed, each step refused
// when taken out of turn; NAV updates stay within the bound; only investors the token would let hold
// shares can subscribe, and the token's rules run on every share that moves.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseEventLogs } from "viem";
import { balanceOf, RULE, removeClaim, setAddressFrozen, totalSupply } from "../../src/rwa/sdk/core.js";
import {
  claimDeposit,
  claimRedeem,
  FUND_VAULT_ABI,
  navPerShare,
  readMarket,
  requestDeposit,
  requestRedeem,
  settleDeposit,
  settleRedeem,
  setVaultOperator,
  stableBalanceOf,
  transferStable,
  updateNav,
  vaultRequests,
  withdrawVaultAssets,
} from "../../src/rwa/sdk/markets.js";
import { type Investor, KYC, rejects } from "./core-fixture.js";
import { describeOnTargets } from "./harness.js";
import { INITIAL_NAV, marketsFixture, tokens, usd } from "./markets-fixture.js";

describeOnTargets(
  "RWA markets: fund vault and NAV oracle",
  (t) => {
    const f = marketsFixture(t);
    const vault = () => f.markets.vault;
    const navOracle = () => f.markets.navOracle;
    const issuerAddress = () => f.admin.walletClient.account.address;

    /** `investor` subscribes `assets` TUSD; the manager settles at the current NAV; the shares are claimed. */
    const subscribe = async (investor: Investor, assets: bigint) => {
      await f.fund(investor.address, { usd: assets });
      await f.allow(investor, vault(), { usd: assets });
      await requestDeposit(investor.client, vault(), { assets });
      await settleDeposit(f.admin, vault(), investor.address);
      return claimDeposit(investor.client, vault());
    };

    test("subscription: request escrows the assets, settlement prices them at NAV, the claim mints shares", async () => {
      const { admin, alice, markets } = f;
      await f.fund(alice.address, { usd: usd(1000) });
      await f.allow(alice, vault(), { usd: usd(1000) });
      const receipt = await requestDeposit(alice.client, vault(), { assets: usd(1000) });
      const [request] = parseEventLogs({ abi: FUND_VAULT_ABI, logs: receipt.logs, eventName: "DepositRequest" });
      assert.deepEqual(request?.args, {
        controller: alice.address,
        owner: alice.address,
        requestId: 0n,
        sender: alice.address,
        assets: usd(1000),
      });
      assert.equal(await stableBalanceOf(alice.client, markets.stablecoin, vault()), usd(1000));
      assert.equal((await vaultRequests(alice.client, vault(), alice.address)).pendingDeposit, usd(1000));

      // Nothing to claim before settlement; only the fund manager settles.
      await rejects(claimDeposit(alice.client, vault(), { assets: usd(1) }), "ExceedsClaimable");
      await rejects(settleDeposit(alice.client, vault(), alice.address), "AccessControlUnauthorizedAccount");
      assert.equal(await settleDeposit(admin, vault(), alice.address), tokens(10)); // 1000 / 100
      await rejects(settleDeposit(admin, vault(), alice.address), "NothingPending");
      assert.deepEqual(await vaultRequests(alice.client, vault(), alice.address), {
        pendingDeposit: 0n,
        claimableDepositAssets: usd(1000),
        claimableDepositShares: tokens(10),
        pendingRedeem: 0n,
        claimableRedeemShares: 0n,
        claimableRedeemAssets: 0n,
      });

      // A NAV move after settlement does not reprice it.
      await updateNav(admin, navOracle(), usd(105));
      await rejects(claimDeposit(alice.client, vault(), { assets: usd(1001) }), "ExceedsClaimable");
      assert.equal(await claimDeposit(alice.client, vault(), { assets: usd(250) }), tokens(2.5)); // partial
      assert.equal(await claimDeposit(alice.client, vault()), tokens(7.5));
      assert.equal(await balanceOf(alice.client, f.core.token, alice.address), tokens(10));
      assert.equal(
        await readMarket(alice.client, {
          address: vault(),
          abi: FUND_VAULT_ABI,
          functionName: "totalAssets",
          args: [],
        }),
        usd(1050), // 10 shares at 105
      );
    });

    test("redemption: request escrows the shares, settlement burns them at NAV, the claim pays the assets", async () => {
      const { admin, alice, markets } = f;
      await subscribe(alice, usd(1000)); // 10 shares at 100
      await updateNav(admin, navOracle(), usd(110));
      await f.allow(alice, vault(), { tokens: tokens(4) });
      await requestRedeem(alice.client, vault(), { shares: tokens(4) });
      assert.equal(await balanceOf(alice.client, f.core.token, alice.address), tokens(6));
      assert.equal((await vaultRequests(alice.client, vault(), alice.address)).pendingRedeem, tokens(4));
      await rejects(claimRedeem(alice.client, vault(), { shares: tokens(1) }), "ExceedsClaimable");

      assert.equal(await settleRedeem(admin, vault(), alice.address), usd(440)); // 4 x 110
      assert.equal(await totalSupply(alice.client, f.core.token), tokens(6));
      assert.equal(await claimRedeem(alice.client, vault()), usd(440));
      assert.equal(await stableBalanceOf(alice.client, markets.stablecoin, alice.address), usd(440));
      await rejects(settleRedeem(admin, vault(), alice.address), "NothingPending");
      // More shares than held: the token itself refuses the escrow.
      await f.allow(alice, vault(), { tokens: tokens(7) });
      await rejects(requestRedeem(alice.client, vault(), { shares: tokens(7) }), "ERC20InsufficientBalance");
    });

    test("redemption: settles only against assets not owed to anyone", async () => {
      const { admin, alice } = f;
      await subscribe(alice, usd(1000));
      // The manager invests the subscription; nothing is left to pay redemptions with.
      await withdrawVaultAssets(admin, vault(), issuerAddress(), usd(1000));
      await rejects(withdrawVaultAssets(admin, vault(), issuerAddress(), 1n), "InsufficientLiquidity");
      await f.allow(alice, vault(), { tokens: tokens(2) });
      await requestRedeem(alice.client, vault(), { shares: tokens(2) });
      const short = await rejects(settleRedeem(admin, vault(), alice.address), "InsufficientLiquidity");
      assert.deepEqual(short.args, [usd(200), 0n]);
      await transferStable(admin, f.markets.stablecoin, vault(), usd(200)); // proceeds come back
      assert.equal(await settleRedeem(admin, vault(), alice.address), usd(200));
    });

    test("NAV oracle: each update moves at most maxMoveBps (10%); only the oracle role publishes", async () => {
      const { admin, alice } = f;
      const tooHigh = await rejects(updateNav(admin, navOracle(), usd(110.01)), "NavMoveTooLarge");
      assert.deepEqual(tooHigh.args, [INITIAL_NAV, usd(110.01), 1000n]);
      await rejects(updateNav(admin, navOracle(), usd(89.99)), "NavMoveTooLarge");
      await rejects(updateNav(admin, navOracle(), 0n), "ZeroNav");
      await rejects(updateNav(alice.client, navOracle(), usd(101)), "AccessControlUnauthorizedAccount");
      assert.equal(await navPerShare(alice.client, navOracle()), INITIAL_NAV);

      await updateNav(admin, navOracle(), usd(110)); // exactly the bound
      await updateNav(admin, navOracle(), usd(121)); // a larger move takes several updates
      assert.equal(await navPerShare(alice.client, navOracle()), usd(121));
      await updateNav(admin, navOracle(), usd(108.9)); // down 10%
      assert.equal(await navPerShare(alice.client, navOracle()), usd(108.9));
    });

    test("investors: unverified or frozen ones cannot subscribe; the token's rules run on every share", async () => {
      const { admin, agent, kycIssuer, alice, bob, eve } = f;
      await f.fund(eve.address, { usd: usd(100) });
      await f.allow(eve, vault(), { usd: usd(100) });
      const unverified = await rejects(
        requestDeposit(eve.client, vault(), { assets: usd(100) }),
        "InvestorNotEligible",
      );
      assert.deepEqual(unverified.args, [eve.address]);
      // Nor can a verified payer subscribe on behalf of an unverified controller.
      await f.fund(alice.address, { usd: usd(100) });
      await f.allow(alice, vault(), { usd: usd(100) });
      await rejects(
        requestDeposit(alice.client, vault(), { assets: usd(100), controller: eve.address }),
        "InvestorNotEligible",
      );
      await setAddressFrozen(admin, f.core.token, bob.address, true);
      await f.fund(bob.address, { usd: usd(100) });
      await f.allow(bob, vault(), { usd: usd(100) });
      await rejects(requestDeposit(bob.client, vault(), { assets: usd(100) }), "InvestorNotEligible");
      assert.equal(await stableBalanceOf(eve.client, f.markets.stablecoin, eve.address), usd(100));

      // A verified investor's settled shares go only to a verified receiver.
      await requestDeposit(alice.client, vault(), { assets: usd(100) });
      await settleDeposit(admin, vault(), alice.address);
      await rejects(
        claimDeposit(alice.client, vault(), { receiver: eve.address }),
        "TransferRejected",
        RULE.RECEIVER_NOT_VERIFIED,
      );
      assert.equal(await claimDeposit(alice.client, vault()), tokens(1));
      // An investor who lost its KYC claim cannot hand shares in for redemption.
      await removeClaim(agent, f.core.identityRegistry, alice.identityId, KYC, kycIssuer.walletClient.account.address);
      await f.allow(alice, vault(), { tokens: tokens(1) });
      await rejects(
        requestRedeem(alice.client, vault(), { shares: tokens(1) }),
        "TransferRejected",
        RULE.SENDER_NOT_VERIFIED,
      );
    });

    test("operators: act for a controller only once it approved them", async () => {
      const { alice, bob } = f;
      await f.fund(alice.address, { usd: usd(100) });
      await f.allow(alice, vault(), { usd: usd(100) });
      const params = { assets: usd(100), controller: alice.address, owner: alice.address };
      const err = await rejects(requestDeposit(bob.client, vault(), params), "NotOwnerOrOperator");
      assert.deepEqual(err.args, [alice.address, bob.address]);
      await setVaultOperator(alice.client, vault(), bob.address, true);
      await requestDeposit(bob.client, vault(), params);
      assert.equal((await vaultRequests(alice.client, vault(), alice.address)).pendingDeposit, usd(100));
      await rejects(setVaultOperator(alice.client, vault(), alice.address, true), "SelfOperator");
    });
  },
  { isolate: true },
);
