// runRwaDemo: `weft rwa demo`, the RWA suite's story end to end against a running node, told one step
// at a time: issue a fund (deploy the suite), onboard investors from two countries, subscribe at NAV
// through the vault, trade on the AMM, settle a DvP, pay a distribution, freeze and recover a wallet.
// The issuer is the given key; the investors are new wallets it funds, so the demo runs again and
// again on the same chain. A failing step stops the story with its decoded revert reason.
import {
  type Address,
  createWalletClient,
  formatUnits,
  type Hash,
  type Hex,
  http,
  parseEther,
  parseEventLogs,
  parseUnits,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { type ConnectedRwa, connectRwa } from "./connect.js";
import type { RwaClient } from "./sdk/client.js";
import { claimDistribution, createDistribution } from "./sdk/distribution.js";
import { addClaim, addWallet, registerIdentity } from "./sdk/identity.js";
import { PERMISSIONED_POOL_ABI } from "./sdk/markets-abi.js";
import { deadlineIn, sendMarket } from "./sdk/markets-call.js";
import { addLiquidity, quoteSwap, withSlippage } from "./sdk/pool.js";
import { affirmSettlement, createSettlement, executeSettlement } from "./sdk/settlement.js";
import { approveStable, mintTestUsd } from "./sdk/stablecoin.js";
import { approve, balanceOf, checkTransfer, mint, recoveryAddress, setAddressFrozen } from "./sdk/token.js";
import { claimDeposit, requestDeposit, settleDeposit } from "./sdk/vault.js";
import { DEFAULT_NAV, deployRwaSuite, KYC_TOPIC, type RwaSuite } from "./suite.js";

/** Both the token (WREF) and TestUSD have 6 decimals. */
const DECIMALS = 6;
const units = (whole: string) => parseUnits(whole, DECIMALS);
const show = (amount: bigint, symbol: string) =>
  `${Number(formatUnits(amount, DECIMALS)).toLocaleString("en-US", { maximumFractionDigits: 2 })} ${symbol}`;
/** 0x1234…abcd */
export const short = (hex: string) => `${hex.slice(0, 6)}…${hex.slice(-4)}`;

export interface DemoStep {
  title: string;
  lines: string[];
}

export interface DemoResult {
  ok: boolean;
  steps: DemoStep[];
  /** The failing step's error, decoded (when !ok). */
  error?: string;
  suite?: RwaSuite;
}

export interface RunRwaDemoOptions {
  rpc: string;
  /** The issuer's key (funded). */
  key: Hex;
  /** Called as each step ends (the CLI prints it). */
  onStep?: (step: DemoStep, index: number) => void;
  /** Called when a step fails. */
  onFailure?: (title: string, message: string, index: number) => void;
}

interface Investor {
  name: string;
  address: Address;
  client: RwaClient;
  identityId: bigint;
}

/** Runs the story; resolves to what each step said (never rejects for a failing step). */
export async function runRwaDemo(options: RunRwaDemoOptions): Promise<DemoResult> {
  const steps: DemoStep[] = [];
  let connected: ConnectedRwa | undefined;
  let suite: RwaSuite | undefined;
  const investors: Investor[] = [];

  const plan: [string, () => Promise<string[]>][] = [
    [
      "Issue the fund",
      async () => {
        connected = await connectRwa(options.rpc, options.key);
        const issuer = connected.client;
        const before = await issuer.publicClient.getTransactionCount({ address: me(issuer) });
        suite = await deployRwaSuite(issuer);
        const after = await issuer.publicClient.getTransactionCount({ address: me(issuer) });
        return [
          `Weft Real Estate Fund (WREF) issued by ${short(me(issuer))} on chain ${connected.chainId}: 20 contracts in ${after - before} transactions`,
          `token ${suite.token}, vault ${short(suite.vault)}, pool ${short(suite.pool)}, NAV ${show(DEFAULT_NAV, "TUSD")} per share`,
        ];
      },
    ],
    [
      "Onboard investors from two countries",
      async () => {
        const { client: issuer } = connected!;
        const lines: string[] = [];
        for (const [name, country, label] of [
          ["alice", 840, "US"],
          ["bob", 250, "FR"],
        ] as const) {
          const wallet = await newWallet(issuer, options.rpc, parseEther("1"));
          const identityId = await registerIdentity(issuer, suite!.identityRegistry, wallet.address, country);
          const claim = await addClaim(issuer, suite!.identityRegistry, { identityId, topic: KYC_TOPIC });
          investors.push({ name, address: wallet.address, client: wallet.client, identityId });
          lines.push(
            `${name} ${short(wallet.address)} (${label}): identity #${identityId}, KYC claim tx ${short(claim.transactionHash)}`,
          );
        }
        return lines;
      },
    ],
    [
      "Subscribe at NAV through the vault",
      async () => {
        const { client: issuer } = connected!;
        const [alice, bob] = investors as [Investor, Investor];
        for (const investor of investors)
          await mintTestUsd(issuer, suite!.stablecoin, investor.address, units("50000"));
        const assets = units("20000");
        await approveStable(alice.client, suite!.stablecoin, suite!.vault, assets);
        const request = await requestDeposit(alice.client, suite!.vault, { assets });
        await settleDeposit(issuer, suite!.vault, alice.address);
        const shares = await claimDeposit(alice.client, suite!.vault);
        return [
          `alice and bob got ${show(units("50000"), "TUSD")} each; alice subscribed ${show(assets, "TUSD")} (tx ${short(request.transactionHash)})`,
          `the manager settled at NAV ${show(DEFAULT_NAV, "TUSD")}: alice claimed ${show(shares, "WREF")}, bob's wallet ${short(bob.address)} waits for the market`,
        ];
      },
    ],
    [
      "Trade on the AMM",
      async () => {
        const { client: issuer } = connected!;
        const bob = investors[1]!;
        const s = suite!;
        // The issuer seeds the pool at the NAV: 1,000 WREF against 10,000 TUSD.
        await mint(issuer, s.token, me(issuer), units("1000"));
        await mintTestUsd(issuer, s.stablecoin, me(issuer), units("10000"));
        await approve(issuer, s.token, s.pool, units("1000"));
        await approveStable(issuer, s.stablecoin, s.pool, units("10000"));
        const seeded = await addLiquidity(issuer, s.pool, { tokenAmount: units("1000"), stableAmount: units("10000") });
        const amountIn = units("1000");
        const quote = await quoteSwap(bob.client, s.pool, s.stablecoin, amountIn);
        await approveStable(bob.client, s.stablecoin, s.pool, amountIn);
        const receipt = await sendMarket(bob.client, {
          address: s.pool,
          abi: PERMISSIONED_POOL_ABI,
          functionName: "swapExactIn",
          args: [s.stablecoin, amountIn, withSlippage(quote, 50n), await deadlineIn(bob.client, 600n)],
        });
        const [swap] = parseEventLogs({ abi: PERMISSIONED_POOL_ABI, logs: receipt.logs, eventName: "Swap" });
        return [
          `the issuer seeded the pool with ${show(seeded.tokenAmount, "WREF")} and ${show(seeded.stableAmount, "TUSD")}`,
          `bob swapped ${show(amountIn, "TUSD")} for ${show(swap?.args.amountOut ?? 0n, "WREF")} (tx ${short(receipt.transactionHash)})`,
        ];
      },
    ],
    [
      "Settle a delivery-versus-payment trade",
      async () => {
        const [alice, bob] = investors as [Investor, Investor];
        const s = suite!;
        const shares = units("100");
        const price = units("1050");
        await approve(alice.client, s.token, s.settlement, shares);
        await approveStable(bob.client, s.stablecoin, s.settlement, price);
        const expiry = await deadlineIn(alice.client, 3600n);
        const id = await createSettlement(
          alice.client,
          s.settlement,
          [
            { token: s.token, from: alice.address, to: bob.address, amount: shares },
            { token: s.stablecoin, from: bob.address, to: alice.address, amount: price },
          ],
          expiry,
        );
        await affirmSettlement(alice.client, s.settlement, id);
        await affirmSettlement(bob.client, s.settlement, id);
        const executed = await executeSettlement(alice.client, s.settlement, id);
        return [
          `settlement #${id}: ${show(shares, "WREF")} alice → bob against ${show(price, "TUSD")} bob → alice, both affirmed`,
          `executed atomically (tx ${short(executed.transactionHash)}): bob holds ${show(await balanceOf(bob.client, s.token, bob.address), "WREF")}`,
        ];
      },
    ],
    [
      "Pay a distribution",
      async () => {
        const { client: issuer } = connected!;
        const [alice, bob] = investors as [Investor, Investor];
        const s = suite!;
        const amount = units("3000");
        await mintTestUsd(issuer, s.stablecoin, me(issuer), amount);
        await approveStable(issuer, s.stablecoin, s.distribution, amount);
        const deadline = await deadlineIn(issuer, 30n * 86_400n);
        const { id, snapshotId } = await createDistribution(issuer, s.distribution, {
          paymentToken: s.stablecoin,
          amount,
          claimDeadline: deadline,
        });
        const paidAlice = await claimDistribution(alice.client, s.distribution, id);
        const paidBob = await claimDistribution(bob.client, s.distribution, id);
        return [
          `distribution #${id}: ${show(amount, "TUSD")} pro rata to holders at snapshot #${snapshotId} (the pool's share returns to the issuer after 30 days)`,
          `alice claimed ${show(paidAlice, "TUSD")}, bob claimed ${show(paidBob, "TUSD")}`,
        ];
      },
    ],
    [
      "Freeze and recover a wallet",
      async () => {
        const { client: issuer } = connected!;
        const [alice, bob] = investors as [Investor, Investor];
        const s = suite!;
        const frozen = await setAddressFrozen(issuer, s.token, bob.address, true);
        const check = await checkTransfer(issuer, s.token, bob.address, alice.address, 1n);
        if (check.ok) throw new Error("a frozen wallet can still transfer");
        // Bob lost his key: a new wallet joins his identity and the agent moves the position to it.
        const replacement = privateKeyToAccount(generatePrivateKey()).address;
        await addWallet(issuer, s.identityRegistry, bob.identityId, replacement);
        const held = await balanceOf(issuer, s.token, bob.address);
        const recovered = await recoveryAddress(issuer, s.token, bob.address, replacement, bob.identityId);
        // The freeze moved with the position; the new wallet is bob's, so it is lifted there.
        await setAddressFrozen(issuer, s.token, replacement, false);
        const now = await balanceOf(issuer, s.token, replacement);
        return [
          `bob's wallet frozen (tx ${short(frozen.transactionHash)}): a transfer from it is refused (${check.reason})`,
          `recovered ${show(held, "WREF")} to bob's new wallet ${short(replacement)} (tx ${short(recovered.transactionHash)}), which holds ${show(now, "WREF")} and is unfrozen`,
        ];
      },
    ],
  ];

  for (const [index, [title, run]] of plan.entries()) {
    try {
      const step = { title, lines: await run() };
      steps.push(step);
      options.onStep?.(step, index);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      options.onFailure?.(title, message, index);
      return { ok: false, steps, error: `${title}: ${message}`, suite };
    }
  }
  return { ok: true, steps, suite };
}

function me(client: RwaClient): Address {
  return client.walletClient.account.address;
}

/** A new wallet funded with `wei` by `funder`, with a client of its own on the same node. */
async function newWallet(
  funder: RwaClient,
  rpc: string,
  wei: bigint,
): Promise<{ address: Address; client: RwaClient }> {
  const account = privateKeyToAccount(generatePrivateKey());
  const hash: Hash = await funder.walletClient.sendTransaction({
    account: funder.walletClient.account,
    chain: funder.walletClient.chain,
    to: account.address,
    value: wei,
  });
  await funder.publicClient.waitForTransactionReceipt({ hash });
  const walletClient = createWalletClient({
    account,
    chain: funder.walletClient.chain,
    transport: http(rpc, { retryCount: 0, timeout: 30_000 }),
    pollingInterval: funder.walletClient.pollingInterval,
  });
  return { address: account.address, client: { publicClient: funder.publicClient, walletClient } };
}
