// Multi-leg delivery-versus-payment (DvPSettlement), through the SDK, against a running Weft node and
// anvil: a settlement moves every leg in one transaction once each delivering party affirmed, and
// nothing before that, after its expiry, or when one leg breaks the regulated token's rules (the
// whole settlement reverts and can run once the leg is fixed).
import assert from "node:assert/strict";
import { test } from "node:test";
import { type Address, parseEventLogs, zeroAddress } from "viem";
import { balanceOf, RULE, setAddressFrozen } from "../../src/rwa/sdk/core.js";
import {
  affirmSettlement,
  cancelSettlement,
  createSettlement,
  DVP_SETTLEMENT_ABI,
  deadlineIn,
  executeSettlement,
  getSettlement,
  revokeAffirmation,
  type SettlementLeg,
  settlementStatus,
  stableBalanceOf,
} from "../../src/rwa/sdk/markets.js";
import { rejects } from "./core-fixture.js";
import { describeOnTargets } from "./harness.js";
import { marketsFixture, tokens, usd } from "./markets-fixture.js";

describeOnTargets(
  "RWA markets: DvP settlement",
  (t) => {
    const f = marketsFixture(t);
    const dvp = () => f.markets.settlement;

    /** Three legs, three delivering parties: alice sells 100 tokens to bob for 5,000 TUSD, and carol
     * delivers 40 tokens to `carolTo` (default dave) in the same settlement. Balances and approvals set. */
    const threeLegs = async (carolTo?: Address): Promise<SettlementLeg[]> => {
      const { alice, bob, carol, dave } = f;
      const token = f.core.token;
      const stable = f.markets.stablecoin;
      await f.fund(alice.address, { tokens: tokens(100) });
      await f.fund(bob.address, { usd: usd(5000) });
      await f.fund(carol.address, { tokens: tokens(40) });
      await f.allow(alice, dvp(), { tokens: tokens(100) });
      await f.allow(bob, dvp(), { usd: usd(5000) });
      await f.allow(carol, dvp(), { tokens: tokens(40) });
      return [
        { token, from: alice.address, to: bob.address, amount: tokens(100) },
        { token: stable, from: bob.address, to: alice.address, amount: usd(5000) },
        { token, from: carol.address, to: carolTo ?? dave.address, amount: tokens(40) },
      ];
    };

    /** Every party's holdings, to show that nothing moved (or what did). */
    const holdings = async () => {
      const { alice, bob, carol, dave, eve } = f;
      const out: Record<string, [bigint, bigint]> = {};
      for (const [name, who] of Object.entries({ alice, bob, carol, dave, eve })) {
        out[name] = [
          await balanceOf(alice.client, f.core.token, who.address),
          await stableBalanceOf(alice.client, f.markets.stablecoin, who.address),
        ];
      }
      return out;
    };

    test("settles every leg at once when every delivering party affirmed; not before, not twice", async () => {
      const { admin, alice, bob, carol, dave } = f;
      const legs = await threeLegs();
      const id = await createSettlement(admin, dvp(), legs, await deadlineIn(admin, 3600n));
      assert.equal(id, 1n);
      const before = await holdings();

      await affirmSettlement(alice.client, dvp(), id);
      await affirmSettlement(bob.client, dvp(), id);
      const early = await rejects(executeSettlement(admin, dvp(), id), "NotFullyAffirmed");
      assert.deepEqual(early.args, [id, 2n, 3n]);
      await rejects(affirmSettlement(dave.client, dvp(), id), "NotAParty"); // receives only
      await rejects(affirmSettlement(alice.client, dvp(), id), "AlreadyAffirmed");
      assert.deepEqual(await holdings(), before);

      await affirmSettlement(carol.client, dvp(), id);
      const receipt = await executeSettlement(dave.client, dvp(), id); // anyone may execute
      const [executed] = parseEventLogs({
        abi: DVP_SETTLEMENT_ABI,
        logs: receipt.logs,
        eventName: "SettlementExecuted",
      });
      assert.deepEqual(executed?.args, { id, executor: dave.address });
      assert.deepEqual(await holdings(), {
        ...before,
        alice: [0n, usd(5000)],
        bob: [tokens(100), 0n],
        carol: [0n, 0n],
        dave: [tokens(40), 0n],
      });
      assert.equal(await settlementStatus(admin, dvp(), id), "Executed");
      const again = await rejects(executeSettlement(admin, dvp(), id), "NotPending");
      assert.deepEqual(again.args, [id, 2]);
    });

    test("a revoked affirmation blocks execution again; a party or the creator can cancel", async () => {
      const { admin, alice, bob, carol, eve } = f;
      const id = await createSettlement(admin, dvp(), await threeLegs(), await deadlineIn(admin, 3600n));
      for (const party of [alice, bob, carol]) await affirmSettlement(party.client, dvp(), id);
      await revokeAffirmation(bob.client, dvp(), id);
      await rejects(revokeAffirmation(bob.client, dvp(), id), "NotAffirmed");
      await rejects(executeSettlement(admin, dvp(), id), "NotFullyAffirmed");
      await rejects(cancelSettlement(eve.client, dvp(), id), "NotCreatorOrParty");
      await cancelSettlement(carol.client, dvp(), id);
      assert.equal(await settlementStatus(admin, dvp(), id), "Cancelled");
      await rejects(affirmSettlement(bob.client, dvp(), id), "NotPending");
      await rejects(executeSettlement(admin, dvp(), id), "NotPending");
    });

    test("past its expiry a settlement can be neither affirmed nor executed", async () => {
      const { admin, alice, bob, carol } = f;
      const expiry = await deadlineIn(admin, 600n);
      const id = await createSettlement(admin, dvp(), await threeLegs(), expiry);
      await affirmSettlement(alice.client, dvp(), id);
      await affirmSettlement(bob.client, dvp(), id);
      const before = await holdings();
      await t.increaseTime(601);
      const late = await rejects(affirmSettlement(carol.client, dvp(), id), "SettlementExpired");
      assert.deepEqual(late.args, [id, expiry]);
      await rejects(executeSettlement(admin, dvp(), id), "SettlementExpired");
      assert.equal(await settlementStatus(admin, dvp(), id), "Expired");
      assert.equal((await getSettlement(admin, dvp(), id)).status, "Expired");
      assert.deepEqual(await holdings(), before);
    });

    test("one leg breaking the token's rules reverts the whole settlement; it runs once the leg is fixed", async () => {
      const { admin, alice, bob, carol, dave } = f;
      const id = await createSettlement(admin, dvp(), await threeLegs(), await deadlineIn(admin, 3600n));
      for (const party of [alice, bob, carol]) await affirmSettlement(party.client, dvp(), id);
      await setAddressFrozen(admin, f.core.token, dave.address, true); // the third leg's receiver
      const before = await holdings();
      const err = await rejects(executeSettlement(admin, dvp(), id), "TransferRejected", RULE.RECEIVER_FROZEN);
      assert.match(err.message, /receiver wallet frozen/);
      assert.deepEqual(await holdings(), before); // the first two legs did not move either
      assert.equal(await settlementStatus(admin, dvp(), id), "Pending");

      await setAddressFrozen(admin, f.core.token, dave.address, false);
      await executeSettlement(admin, dvp(), id);
      assert.equal(await balanceOf(admin, f.core.token, dave.address), tokens(40));
      assert.equal(await balanceOf(admin, f.core.token, bob.address), tokens(100));
    });

    test("a leg to an unverified wallet reverts the settlement with the token's reason", async () => {
      const { admin, alice, bob, carol, eve } = f;
      const id = await createSettlement(admin, dvp(), await threeLegs(eve.address), await deadlineIn(admin, 3600n));
      for (const party of [alice, bob, carol]) await affirmSettlement(party.client, dvp(), id);
      const before = await holdings();
      await rejects(executeSettlement(admin, dvp(), id), "TransferRejected", RULE.RECEIVER_NOT_VERIFIED);
      assert.deepEqual(await holdings(), before);
      // A delivering party short of its approval breaks its leg the same way.
      await cancelSettlement(admin, dvp(), id);
      const legs = await threeLegs();
      await f.allow(carol, dvp(), { tokens: tokens(1) }); // carol now approves less than she delivers
      const id2 = await createSettlement(admin, dvp(), legs, await deadlineIn(admin, 3600n));
      for (const party of [alice, bob, carol]) await affirmSettlement(party.client, dvp(), id2);
      await rejects(executeSettlement(admin, dvp(), id2), "ERC20InsufficientAllowance");
    });

    test("a settlement needs legs that move something between two parties, and a future expiry", async () => {
      const { admin, alice, bob } = f;
      const token = f.core.token;
      const expiry = await deadlineIn(admin, 600n);
      const leg = { token, from: alice.address, to: bob.address, amount: 1n };
      await rejects(createSettlement(admin, dvp(), [], expiry), "NoLegs");
      await rejects(createSettlement(admin, dvp(), [leg], await t.now()), "ExpiryNotInFuture");
      const bad = await rejects(createSettlement(admin, dvp(), [leg, { ...leg, amount: 0n }], expiry), "InvalidLeg");
      assert.deepEqual(bad.args, [1n]);
      await rejects(createSettlement(admin, dvp(), [{ ...leg, to: alice.address }], expiry), "InvalidLeg");
      await rejects(createSettlement(admin, dvp(), [{ ...leg, token: zeroAddress }], expiry), "InvalidLeg");
      await rejects(createSettlement(admin, dvp(), Array(33).fill(leg), expiry), "TooManyLegs");
      await rejects(executeSettlement(admin, dvp(), 7n), "UnknownSettlement");
    });
  },
  { isolate: true },
);
