// The modular compliance and each of its modules, through the SDK, against a running Weft node and
// anvil: every module refuses the move it exists to refuse (with its rule code and reason) and lets
// the compliant one through; module management is the compliance owner's alone.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  addModule,
  addWallet,
  allowCountries,
  balanceOf,
  burn,
  checkTransfer,
  complianceCheck,
  forcedTransfer,
  getModules,
  identityBalance,
  investorCount,
  lockedAmount,
  maxBalanceModuleAbi,
  mint,
  modularComplianceAbi,
  presetIdentityBalance,
  RULE,
  removeModule,
  restrictCountries,
  send,
  setLockUpPeriod,
  setMaxBalance,
  setMaxInvestors,
  setMaxInvestorsPerCountry,
  setSupplyLimit,
  setTimeWindowLimit,
  transfer,
  unrestrictCountries,
} from "../../src/rwa/sdk/core.js";
import { coreFixture, DE, FR, rejects, US } from "./core-fixture.js";
import { describeOnTargets } from "./harness.js";

describeOnTargets(
  "RWA core: modular compliance and its modules",
  (t) => {
    const f = coreFixture(t);
    const token = () => f.core.token;
    const compliance = () => f.core.compliance;
    /** Binds a deployed module and returns the handle its setters take. */
    const bind = async (module: `0x${string}`) => {
      await addModule(f.admin, compliance(), module);
      return { client: f.admin, compliance: compliance(), module };
    };

    test("CountryAllowModule: tokens go only to investors in allowed countries", async () => {
      const { admin, alice, bob, carol } = f;
      const m = await bind(f.core.modules.countryAllow);
      await allowCountries(m, [US, FR]);
      await mint(admin, token(), alice.address, 100n);
      await transfer(alice.client, token(), bob.address, 10n);
      assert.deepEqual(await checkTransfer(admin, token(), alice.address, carol.address, 10n), {
        ok: false,
        code: RULE.COUNTRY_NOT_ALLOWED,
        rule: "COUNTRY_NOT_ALLOWED",
        reason: "receiver country not allowed",
      });
      const err = await rejects(
        transfer(alice.client, token(), carol.address, 10n),
        "TransferRejected",
        RULE.COUNTRY_NOT_ALLOWED,
      );
      assert.match(err.message, /receiver country not allowed/);
      await rejects(mint(admin, token(), carol.address, 10n), "TransferRejected", RULE.COUNTRY_NOT_ALLOWED);
      await allowCountries(m, [DE]);
      await transfer(alice.client, token(), carol.address, 10n);
    });

    test("CountryRestrictModule: no tokens to investors in blocked countries", async () => {
      const { admin, alice, bob, carol } = f;
      const m = await bind(f.core.modules.countryRestrict);
      await restrictCountries(m, [DE]);
      await mint(admin, token(), alice.address, 100n);
      await transfer(alice.client, token(), bob.address, 10n);
      await rejects(transfer(alice.client, token(), carol.address, 10n), "TransferRejected", RULE.COUNTRY_RESTRICTED);
      await unrestrictCountries(m, [DE]);
      await transfer(alice.client, token(), carol.address, 10n);
    });

    test("MaxBalanceModule: the cap is per investor identity, across all its wallets", async () => {
      const { admin, agent, alice, bob } = f;
      const m = await bind(f.core.modules.maxBalance);
      await setMaxBalance(m, 1_000n);
      const aliceSecond = await t.newAccount();
      await addWallet(agent, f.core.identityRegistry, alice.identityId, aliceSecond.address);

      await mint(admin, token(), alice.address, 600n);
      await mint(admin, token(), bob.address, 1_000n);
      // 600 + 500 on the other wallet would be 1,100 for alice's identity.
      await rejects(mint(admin, token(), aliceSecond.address, 500n), "TransferRejected", RULE.MAX_BALANCE_EXCEEDED);
      await rejects(
        transfer(bob.client, token(), aliceSecond.address, 401n),
        "TransferRejected",
        RULE.MAX_BALANCE_EXCEEDED,
      );
      await transfer(bob.client, token(), aliceSecond.address, 400n);
      assert.equal(await identityBalance(admin, m.module, compliance(), alice.identityId), 1_000n);
      // Moving between one's own wallets changes nothing.
      await transfer(alice.client, token(), aliceSecond.address, 600n);
      assert.equal(await balanceOf(admin, token(), aliceSecond.address), 1_000n);
    });

    test("MaxInvestorsModule: caps the number of holders, overall and per country", async () => {
      const { admin, alice, bob, carol, dave } = f;
      const m = await bind(f.core.modules.maxInvestors);
      await setMaxInvestors(m, 2n);
      await mint(admin, token(), alice.address, 100n);
      await mint(admin, token(), bob.address, 100n);
      assert.equal(await investorCount(admin, m.module, compliance()), 2n);
      await rejects(mint(admin, token(), carol.address, 1n), "TransferRejected", RULE.MAX_INVESTORS_EXCEEDED);
      await rejects(
        transfer(alice.client, token(), carol.address, 1n),
        "TransferRejected",
        RULE.MAX_INVESTORS_EXCEEDED,
      );
      // Existing holders may trade; a holder that sells out makes room.
      await transfer(alice.client, token(), bob.address, 50n);
      await transfer(alice.client, token(), carol.address, 50n);
      assert.equal(await investorCount(admin, m.module, compliance()), 2n);

      // Per country: one French investor (bob holds); carol's country (DE) has no cap.
      await setMaxInvestors(m, 0n);
      await setMaxInvestorsPerCountry(m, FR, 1n);
      await rejects(
        transfer(carol.client, token(), dave.address, 1n),
        "TransferRejected",
        RULE.MAX_INVESTORS_IN_COUNTRY_EXCEEDED,
      );
      await transfer(bob.client, token(), alice.address, 1n);
      assert.equal(await investorCount(admin, m.module, compliance()), 3n);
      await burn(admin, token(), bob.address, 149n);
      await transfer(carol.client, token(), dave.address, 1n);
    });

    test("SupplyLimitModule: mints may not take the supply over the cap", async () => {
      const { admin, alice, bob } = f;
      const m = await bind(f.core.modules.supplyLimit);
      await setSupplyLimit(m, 1_000n);
      await mint(admin, token(), alice.address, 800n);
      const err = await rejects(
        mint(admin, token(), bob.address, 201n),
        "TransferRejected",
        RULE.SUPPLY_LIMIT_EXCEEDED,
      );
      assert.match(err.message, /supply limit exceeded/);
      await mint(admin, token(), bob.address, 200n);
      await burn(admin, token(), alice.address, 300n);
      await mint(admin, token(), bob.address, 300n);
      // Transfers are not mints.
      await transfer(alice.client, token(), bob.address, 500n);
    });

    test("LockUpModule: received tokens stay locked for the period; only unlocked ones move", async () => {
      const { admin, alice, bob, carol } = f;
      const m = await bind(f.core.modules.lockUp);
      await setLockUpPeriod(m, 1_000n);
      await mint(admin, token(), alice.address, 500n);
      assert.equal(await lockedAmount(admin, m.module, compliance(), alice.identityId), 500n);
      await rejects(transfer(alice.client, token(), bob.address, 1n), "TransferRejected", RULE.TOKENS_LOCKED);

      await t.increaseTime(1_001);
      assert.equal(await lockedAmount(admin, m.module, compliance(), alice.identityId), 0n);
      await transfer(alice.client, token(), bob.address, 200n);
      // What bob received is locked for him; alice's later mint is locked but her older tokens are free.
      await rejects(transfer(bob.client, token(), carol.address, 1n), "TransferRejected", RULE.TOKENS_LOCKED);
      await mint(admin, token(), alice.address, 100n);
      await transfer(alice.client, token(), carol.address, 300n);
      await rejects(transfer(alice.client, token(), carol.address, 1n), "TransferRejected", RULE.TOKENS_LOCKED);
      // An agent may still take locked tokens; the locks shrink to what is left.
      await forcedTransfer(admin, token(), bob.address, carol.address, 150n);
      assert.equal(await lockedAmount(admin, m.module, compliance(), bob.identityId), 50n);
    });

    test("TimeWindowTransferLimitModule: at most the limit per identity per window", async () => {
      const { admin, alice, bob } = f;
      const m = await bind(f.core.modules.timeWindow);
      await setTimeWindowLimit(m, 3_600, 100n);
      await mint(admin, token(), alice.address, 1_000n);
      await transfer(alice.client, token(), bob.address, 60n);
      const err = await rejects(
        transfer(alice.client, token(), bob.address, 41n),
        "TransferRejected",
        RULE.TRANSFER_LIMIT_EXCEEDED,
      );
      assert.match(err.message, /transfer limit for the time window exceeded/);
      await transfer(alice.client, token(), bob.address, 40n);
      await rejects(transfer(alice.client, token(), bob.address, 1n), "TransferRejected", RULE.TRANSFER_LIMIT_EXCEEDED);
      // Bob's own limit is separate; the next window starts afresh.
      await transfer(bob.client, token(), alice.address, 100n);
      await t.increaseTime(3_601);
      await transfer(alice.client, token(), bob.address, 100n);
    });

    test("several modules at once: the first refusing module is reported", async () => {
      const { admin, alice, carol } = f;
      const restrict = await bind(f.core.modules.countryRestrict);
      const cap = await bind(f.core.modules.maxBalance);
      await restrictCountries(restrict, [DE]);
      await setMaxBalance(cap, 10n);
      await mint(admin, token(), alice.address, 10n);
      assert.equal(
        (await complianceCheck(admin, compliance(), alice.address, carol.address, 50n)).code,
        RULE.COUNTRY_RESTRICTED,
      );
      await removeModule(admin, compliance(), restrict.module);
      assert.equal(
        (await complianceCheck(admin, compliance(), alice.address, carol.address, 50n)).code,
        RULE.MAX_BALANCE_EXCEEDED,
      );
      assert.deepEqual(await getModules(admin, compliance()), [cap.module]);
      await rejects(mint(admin, token(), carol.address, 11n), "TransferRejected", RULE.MAX_BALANCE_EXCEEDED);
      await mint(admin, token(), carol.address, 10n);
    });

    test("module management is the compliance owner's; modules take settings only from a bound compliance", async () => {
      const { admin, agent, alice } = f;
      await rejects(addModule(agent, compliance(), f.core.modules.maxBalance), "OwnableUnauthorizedAccount");
      // Straight to the module, not through the compliance.
      await rejects(
        send(agent, {
          address: f.core.modules.maxBalance,
          abi: maxBalanceModuleAbi,
          functionName: "setMaxBalance",
          args: [1n],
        }),
        "ComplianceNotBound",
      );
      // Through the compliance to a module that is not bound to it.
      await rejects(
        setMaxBalance({ client: admin, compliance: compliance(), module: f.core.modules.maxBalance }, 1n),
        "ModuleNotBound",
      );
      const m = await bind(f.core.modules.countryAllow);
      await rejects(addModule(admin, compliance(), m.module), "ModuleAlreadyBound");
      // A module's own revert comes back through callModuleFunction, decoded.
      await allowCountries(m, [US]);
      await rejects(allowCountries(m, [US]), "CountryAlreadyAllowed");
      // Only the owner (or a token binding itself) binds a token; only the bound token reports moves.
      await rejects(
        send(agent, {
          address: compliance(),
          abi: modularComplianceAbi,
          functionName: "bindToken",
          args: [alice.address],
        }),
        "NotAuthorizedToBind",
      );
      await rejects(
        send(agent, {
          address: compliance(),
          abi: modularComplianceAbi,
          functionName: "transferred",
          args: [alice.address, agent.walletClient.account.address, 1n],
        }),
        "OnlyBoundToken",
      );
    });

    test("stateful modules bound to a live token are seeded with presetIdentityBalance", async () => {
      const { admin, alice, bob } = f;
      await mint(admin, token(), alice.address, 900n);
      const m = await bind(f.core.modules.maxBalance);
      await setMaxBalance(m, 1_000n);
      // Unseeded, the module thinks alice holds nothing.
      assert.equal((await complianceCheck(admin, compliance(), bob.address, alice.address, 500n)).ok, true);
      await presetIdentityBalance(m, alice.address, 900n);
      assert.equal(
        (await complianceCheck(admin, compliance(), bob.address, alice.address, 500n)).code,
        RULE.MAX_BALANCE_EXCEEDED,
      );
    });
  },
  { isolate: true },
);
