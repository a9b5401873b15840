// The rwa workload: ERC-3643 RegulatedToken transfer(receiver, 1) from every sender to a fresh
// receiver, both verified investors (an identity with a country, KYC and AML claims from trusted
// issuers) and both already holders. Each transfer runs isVerified for both sides, then the
// CountryAllow, MaxBalance, MaxInvestors and SupplyLimit modules' checks and the balance modules'
// hooks (src/bench/rwa/suite.ts). On a chain the bench starts, the whole suite, deployed and
// onboarded on an in-memory chain by real transactions, is in the genesis (code and storage); on
// --rpc the funding account deploys it and onboards the investors with the same calls.
import { addressToHex, bytesToHex, concatBytes, hexToBytes } from "../../primitives/hex.js";
import { encodeWords } from "../abi.js";
import {
  RWA_BALANCE_OF_SELECTOR,
  RWA_BENCH_ADMIN,
  RWA_IDENTITY_BALANCE_SELECTOR,
  RWA_RECEIVER_TOKENS,
  RWA_SENDER_TOKENS,
  RWA_TRANSFER_GAS,
  type RwaSuite,
  rwaSuiteAddresses,
  rwaTransferData,
} from "../rwa/params.js";
import type { RwaInvestor, RwaSetupDriver } from "../rwa/suite.js";
import { BENCH_CHAIN_ID } from "./genesis.js";
import { type Plan, receiverAddress, senderIndex, txsOfSender } from "./plan.js";
import type { E2eWorkload, Funder, Probe, WorkloadSetup } from "./workload.js";

/**
 * The investors in onboarding order: the senders, then transaction k's receiver for every k. So the
 * receiver of transaction k has identity id accounts + k + 1.
 */
function rwaInvestors(plan: Plan, senders: readonly bigint[]): RwaInvestor[] {
  return [
    ...senders.map((wallet) => ({ wallet, tokens: RWA_SENDER_TOKENS })),
    ...Array.from({ length: plan.txs }, (_, k) => ({ wallet: receiverAddress(plan, k), tokens: RWA_RECEIVER_TOKENS })),
  ];
}

/** On --rpc the funding account is the admin and the one trusted issuer of both claim topics. */
function funderDriver(funder: Funder): RwaSetupDriver {
  return {
    admin: funder.address,
    kycIssuer: funder.address,
    amlIssuer: funder.address,
    send(from, calls, what) {
      if (from !== funder.address) throw new Error(`rwa on --rpc: ${what} must come from the funding account`);
      return funder.send(
        calls.map((c) => ({ ...c, value: 0n })),
        what,
      );
    },
  };
}

function ethCall(to: bigint, selector: string, args: bigint[]): unknown[] {
  return [{ to: addressToHex(to), data: bytesToHex(concatBytes(hexToBytes(selector), encodeWords(args))) }, "latest"];
}

export const rwaWorkload: E2eWorkload = {
  name: "rwa",
  description: "ERC-3643 transfer(receiver, 1) between verified investors (KYC/AML claims, 4 compliance modules)",
  gasLimit: RWA_TRANSFER_GAS,
  value: 0n,

  genesisSetup() {
    return rwaSuiteAddresses(RWA_BENCH_ADMIN);
  },

  async genesis(setup, plan, senders) {
    const { rwaGenesisAlloc } = await import("../rwa/genesis-alloc.js");
    return rwaGenesisAlloc(setup, rwaInvestors(plan, senders), BENCH_CHAIN_ID);
  },

  async deploy(funder): Promise<WorkloadSetup> {
    const { deployRwaSuite, rwaBenchArtifacts } = await import("../rwa/suite.js");
    return deployRwaSuite(funderDriver(funder), await rwaBenchArtifacts());
  },

  async fund(funder, setup, plan, senders) {
    const { onboardRwaInvestors } = await import("../rwa/suite.js");
    await onboardRwaInvestors(funderDriver(funder), setup as RwaSuite, rwaInvestors(plan, senders));
  },

  call(setup, plan, k) {
    return { to: setup.token!, value: 0n, data: rwaTransferData(receiverAddress(plan, k), 1n) };
  },

  probes(setup, plan, k, sender): Probe[] {
    const receiver = receiverAddress(plan, k);
    const receiverIdentity = BigInt(plan.accounts + k + 1);
    return [
      {
        label: `token balance of tx ${k}'s receiver`,
        method: "eth_call",
        params: ethCall(setup.token!, RWA_BALANCE_OF_SELECTOR, [receiver]),
        expected: RWA_RECEIVER_TOKENS + 1n,
      },
      {
        label: `token balance of tx ${k}'s sender`,
        method: "eth_call",
        params: ethCall(setup.token!, RWA_BALANCE_OF_SELECTOR, [sender]),
        expected: RWA_SENDER_TOKENS - BigInt(txsOfSender(plan, senderIndex(plan, k))),
      },
      {
        label: `MaxBalanceModule's identity balance of tx ${k}'s receiver (the compliance hook ran)`,
        method: "eth_call",
        params: ethCall(setup.maxBalance!, RWA_IDENTITY_BALANCE_SELECTOR, [setup.compliance!, receiverIdentity]),
        expected: RWA_RECEIVER_TOKENS + 1n,
      },
    ];
  },
};
