// The permissioned constant-product pool and the lending market, through the SDK, against a running
// Weft node and anvil. Pool: liquidity and swaps priced by x * y = k (0.3% fee), verified wallets
// only, the issuer's kill switch, slippage and deadline guards. Lending: borrowing within the LTV,
// liquidation once a price drop crosses the threshold, and the token's transfer rules deciding who
// may take the collateral.
import assert from "node:assert/strict";
import { test } from "node:test";
import { balanceOf, RULE, setAddressFrozen } from "../../src/rwa/sdk/core.js";
import {
  addLiquidity,
  borrow,
  depositCollateral,
  haltPool,
  lendingPosition,
  liquidate,
  liquidityOf,
  poolReserves,
  quoteSwap,
  removeLiquidity,
  repay,
  resumePool,
  setCollateralPrice,
  stableBalanceOf,
  swapExactIn,
  transferStable,
  withdrawCollateral,
} from "../../src/rwa/sdk/markets.js";
import { rejects } from "./core-fixture.js";
import { describeOnTargets } from "./harness.js";
import { marketsFixture, tokens, usd } from "./markets-fixture.js";

/** Constant product with the 0.3% fee: what `amountIn` buys from reserves (in, out). */
function amountOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  const inWithFee = amountIn * 997n;
  return (inWithFee * reserveOut) / (reserveIn * 1000n + inWithFee);
}

describeOnTargets(
  "RWA markets: permissioned pool and lending",
  (t) => {
    const f = marketsFixture(t);
    const pool = () => f.markets.pool;
    const lending = () => f.markets.lending;
    const token = () => f.core.token;
    const stable = () => f.markets.stablecoin;

    // ---- pool ----

    /** Alice seeds the pool with 1,000 tokens and 100,000 TUSD (a price of 100). */
    const seedPool = async () => {
      const { alice } = f;
      const amounts = { tokens: tokens(1000), usd: usd(100_000) };
      await f.fund(alice.address, amounts);
      await f.allow(alice, pool(), amounts);
      return addLiquidity(alice.client, pool(), { tokenAmount: amounts.tokens, stableAmount: amounts.usd });
    };

    test("pool: liquidity at the pool's ratio; swaps both ways pay what x * y = k (less the fee) allows", async () => {
      const { alice, bob } = f;
      const seeded = await seedPool();
      assert.equal(seeded.liquidity, 10n ** 10n - 1000n); // sqrt(1e9 * 1e11) less the locked minimum
      assert.equal(await liquidityOf(alice.client, pool(), alice.address), seeded.liquidity);

      // Bob sells 10 tokens.
      await f.fund(bob.address, { tokens: tokens(10), usd: usd(2_000) });
      await f.allow(bob, pool(), { tokens: tokens(10), usd: usd(2_000) });
      const expected = amountOut(tokens(10), tokens(1000), usd(100_000));
      assert.equal(await quoteSwap(bob.client, pool(), token(), tokens(10)), expected);
      assert.equal(
        await swapExactIn(bob.client, pool(), { tokenIn: token(), amountIn: tokens(10), minOut: expected }),
        expected,
      );
      assert.equal(await stableBalanceOf(bob.client, stable(), bob.address), usd(2_000) + expected);
      const after = await poolReserves(bob.client, pool());
      assert.deepEqual(after, { token: tokens(1010), stable: usd(100_000) - expected });
      assert.ok(after.token * after.stable >= tokens(1000) * usd(100_000), "k never shrinks");

      // And buys back with 1,000 TUSD.
      const back = amountOut(usd(1_000), after.stable, after.token);
      assert.equal(
        await swapExactIn(bob.client, pool(), { tokenIn: stable(), amountIn: usd(1_000), minOut: back }),
        back,
      );
      assert.equal(await balanceOf(bob.client, token(), bob.address), back);

      // A second provider deposits at the current ratio; the first withdraws its share.
      const reserves = await poolReserves(bob.client, pool());
      await f.fund(bob.address, { tokens: tokens(10), usd: usd(5_000) });
      await f.allow(bob, pool(), { tokens: tokens(10), usd: usd(5_000) });
      const added = await addLiquidity(bob.client, pool(), { tokenAmount: tokens(10), stableAmount: usd(5_000) });
      assert.equal(added.tokenAmount, tokens(10));
      assert.equal(added.stableAmount, (tokens(10) * reserves.stable) / reserves.token);
      const removed = await removeLiquidity(alice.client, pool(), { liquidity: seeded.liquidity });
      assert.ok(removed.tokenAmount > 0n && removed.stableAmount > 0n);
      assert.equal(await liquidityOf(alice.client, pool(), alice.address), 0n);
      await rejects(removeLiquidity(alice.client, pool(), { liquidity: 1n }), "InsufficientLiquidityBalance");
    });

    test("pool: a wallet the registry does not verify can neither trade nor provide liquidity", async () => {
      const { bob, eve } = f;
      await seedPool();
      await f.fund(eve.address, { usd: usd(1_000) });
      await f.allow(eve, pool(), { usd: usd(1_000) });
      const err = await rejects(
        swapExactIn(eve.client, pool(), { tokenIn: stable(), amountIn: usd(100), minOut: 0n }),
        "NotVerified",
      );
      assert.deepEqual(err.args, [eve.address]);
      await rejects(addLiquidity(eve.client, pool(), { tokenAmount: 1n, stableAmount: usd(1) }), "NotVerified");
      assert.equal(await stableBalanceOf(eve.client, stable(), eve.address), usd(1_000));

      // Verified but frozen: the pool lets bob in, the token refuses to deliver to him.
      await f.fund(bob.address, { usd: usd(100) });
      await f.allow(bob, pool(), { usd: usd(100) });
      await setAddressFrozen(f.admin, token(), bob.address, true);
      await rejects(
        swapExactIn(bob.client, pool(), { tokenIn: stable(), amountIn: usd(100), minOut: 0n }),
        "TransferRejected",
        RULE.RECEIVER_FROZEN,
      );
      await setAddressFrozen(f.admin, token(), bob.address, false);
      assert.ok((await swapExactIn(bob.client, pool(), { tokenIn: stable(), amountIn: usd(100), minOut: 0n })) > 0n);
    });

    test("pool: the issuer's kill switch stops swaps and liquidity changes until it resumes", async () => {
      const { admin, alice, bob } = f;
      const seeded = await seedPool();
      await f.fund(bob.address, { usd: usd(100) });
      await f.allow(bob, pool(), { usd: usd(100) });
      const swap = () => swapExactIn(bob.client, pool(), { tokenIn: stable(), amountIn: usd(100), minOut: 0n });

      await rejects(haltPool(bob.client, pool()), "OwnableUnauthorizedAccount");
      await haltPool(admin, pool());
      await rejects(swap(), "PoolHalted");
      await rejects(removeLiquidity(alice.client, pool(), { liquidity: seeded.liquidity }), "PoolHalted");
      await rejects(addLiquidity(alice.client, pool(), { tokenAmount: 1n, stableAmount: 1n }), "PoolHalted");
      const twice = await rejects(haltPool(admin, pool()), "AlreadyInState");
      assert.deepEqual(twice.args, [true]);
      await rejects(resumePool(bob.client, pool()), "OwnableUnauthorizedAccount");

      await resumePool(admin, pool());
      await rejects(resumePool(admin, pool()), "AlreadyInState");
      assert.ok((await swap()) > 0n);
    });

    test("pool: slippage minimum, deadline, unknown token and an empty pool are refused", async () => {
      const { bob } = f;
      await f.fund(bob.address, { usd: usd(200) });
      await f.allow(bob, pool(), { usd: usd(200) });
      await rejects(quoteSwap(bob.client, pool(), stable(), usd(1)), "InsufficientLiquidity");
      await seedPool();
      const quote = await quoteSwap(bob.client, pool(), stable(), usd(100));
      const slipped = await rejects(
        swapExactIn(bob.client, pool(), { tokenIn: stable(), amountIn: usd(100), minOut: quote + 1n }),
        "InsufficientOutput",
      );
      assert.deepEqual(slipped.args, [quote, quote + 1n]);
      const past = (await t.now()) - 1n;
      await rejects(
        swapExactIn(bob.client, pool(), { tokenIn: stable(), amountIn: usd(100), minOut: 0n, deadline: past }),
        "Expired",
      );
      await rejects(
        swapExactIn(bob.client, pool(), { tokenIn: f.markets.vault, amountIn: usd(100), minOut: 0n }),
        "UnknownToken",
      );
      await rejects(swapExactIn(bob.client, pool(), { tokenIn: stable(), amountIn: 0n, minOut: 0n }), "ZeroAmount");
    });

    // ---- lending ----

    /** The issuer lends out 100,000 TUSD; alice posts 100 tokens (10,000 TUSD at 100) and borrows `debt`. */
    const borrowAgainst = async (debt: bigint) => {
      const { admin, alice } = f;
      await f.fund(admin.walletClient.account.address, { usd: usd(100_000) });
      await transferStable(admin, stable(), lending(), usd(100_000));
      await f.fund(alice.address, { tokens: tokens(100) });
      await f.allow(alice, lending(), { tokens: tokens(100) });
      await depositCollateral(alice.client, lending(), tokens(100));
      if (debt > 0n) await borrow(alice.client, lending(), debt);
    };

    /** `who` holds and approves `amount` TUSD to the market, ready to repay or liquidate. */
    const readyToRepay = async (who: Parameters<typeof f.allow>[0], amount: bigint) => {
      await f.fund(who.address, { usd: amount });
      await f.allow(who, lending(), { usd: amount });
    };

    test("lending: borrows up to the LTV (50%) of the collateral's value; beyond it is refused", async () => {
      const { alice } = f;
      await borrowAgainst(0n);
      assert.deepEqual(await lendingPosition(alice.client, lending(), alice.address), {
        collateral: tokens(100),
        debt: 0n,
        borrowLimit: usd(5_000),
        liquidatable: false,
      });
      const over = await rejects(borrow(alice.client, lending(), usd(5_000) + 1n), "ExceedsBorrowLimit");
      assert.deepEqual(over.args, [usd(5_000) + 1n, usd(5_000)]);
      await borrow(alice.client, lending(), usd(4_000));
      await rejects(borrow(alice.client, lending(), usd(1_000) + 1n), "ExceedsBorrowLimit");
      assert.equal(await stableBalanceOf(alice.client, stable(), alice.address), usd(4_000));

      // Collateral comes out only as far as the LTV allows.
      await rejects(withdrawCollateral(alice.client, lending(), tokens(21)), "ExceedsBorrowLimit");
      await withdrawCollateral(alice.client, lending(), tokens(20));
      assert.equal(await balanceOf(alice.client, token(), alice.address), tokens(20));
      await rejects(withdrawCollateral(alice.client, lending(), tokens(81)), "InsufficientCollateral");

      // Repaid in full, all of it comes back.
      await f.allow(alice, lending(), { usd: usd(4_000) });
      assert.equal(await repay(alice.client, lending(), alice.address, usd(5_000)), usd(4_000)); // capped at the debt
      await rejects(repay(alice.client, lending(), alice.address, 1n), "NoDebt");
      await withdrawCollateral(alice.client, lending(), tokens(80));
      assert.equal(await balanceOf(alice.client, token(), alice.address), tokens(100));
    });

    test("lending: after a price drop a verified liquidator repays debt for collateral plus the bonus", async () => {
      const { admin, alice, bob } = f;
      await borrowAgainst(usd(4_000));
      await readyToRepay(bob, usd(1_000));
      const healthy = await rejects(liquidate(bob.client, lending(), alice.address, usd(1_000)), "PositionHealthy");
      assert.deepEqual(healthy.args, [alice.address]);
      await rejects(
        setCollateralPrice(alice.client, f.markets.priceOracle, usd(1)),
        "AccessControlUnauthorizedAccount",
      );

      await setCollateralPrice(admin, f.markets.priceOracle, usd(50)); // 100 tokens now worth 5,000; 75% = 3,750 < 4,000
      assert.equal((await lendingPosition(bob.client, lending(), alice.address)).liquidatable, true);
      await rejects(liquidate(alice.client, lending(), alice.address, usd(1_000)), "SelfLiquidation");
      // 1,000 TUSD repaid buys 1,050 TUSD of collateral at 50: 21 tokens.
      assert.deepEqual(await liquidate(bob.client, lending(), alice.address, usd(1_000)), {
        repaid: usd(1_000),
        seized: tokens(21),
      });
      assert.equal(await balanceOf(bob.client, token(), bob.address), tokens(21));
      assert.equal(await stableBalanceOf(bob.client, stable(), bob.address), 0n);
      const position = await lendingPosition(bob.client, lending(), alice.address);
      assert.equal(position.collateral, tokens(79));
      assert.equal(position.debt, usd(3_000));
    });

    test("lending: an unverified or frozen liquidator's liquidation reverts in the token, changing nothing", async () => {
      const { admin, alice, carol, eve } = f;
      await borrowAgainst(usd(4_000));
      await setCollateralPrice(admin, f.markets.priceOracle, usd(50));
      const before = await lendingPosition(admin, lending(), alice.address);

      await readyToRepay(eve, usd(1_000));
      await rejects(
        liquidate(eve.client, lending(), alice.address, usd(1_000)),
        "TransferRejected",
        RULE.RECEIVER_NOT_VERIFIED,
      );
      assert.equal(await stableBalanceOf(eve.client, stable(), eve.address), usd(1_000));

      await readyToRepay(carol, usd(1_000));
      await setAddressFrozen(admin, token(), carol.address, true);
      await rejects(
        liquidate(carol.client, lending(), alice.address, usd(1_000)),
        "TransferRejected",
        RULE.RECEIVER_FROZEN,
      );
      assert.deepEqual(await lendingPosition(admin, lending(), alice.address), before);
      await setAddressFrozen(admin, token(), carol.address, false);
      assert.equal((await liquidate(carol.client, lending(), alice.address, usd(1_000))).seized, tokens(21));
    });

    test("lending: an underwater position hands over all its collateral for a smaller repayment", async () => {
      const { admin, alice, bob } = f;
      await borrowAgainst(usd(4_000));
      await setCollateralPrice(admin, f.markets.priceOracle, usd(30)); // collateral worth 3,000 < debt
      await readyToRepay(bob, usd(4_000));
      const { repaid, seized } = await liquidate(bob.client, lending(), alice.address, usd(4_000));
      assert.equal(seized, tokens(100));
      // Collateral worth 3,000 at 30, less the 5% bonus: ceil(3,000 / 1.05) TUSD.
      assert.equal(repaid, (usd(3_000) * 10_000n + 10_499n) / 10_500n);
      const position = await lendingPosition(bob.client, lending(), alice.address);
      assert.deepEqual([position.collateral, position.debt], [0n, usd(4_000) - repaid]);
    });
  },
  { isolate: true },
);
