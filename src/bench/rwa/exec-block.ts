// The `rwa` workload of `weft bench exec`: the RWA suite deployed and N senders and N receivers
// onboarded on the bench chain by real transactions, then N RegulatedToken transfer(receiver, 1), a
// distinct sender and a distinct receiver each (like erc20). Each transfer runs the token's checks
// (pause, frozen wallets, free balance), the registry's isVerified for both sides (identity, then a
// valid claim per required topic from a trusted issuer), the four modules' checks and the two
// identity-balance modules' hooks.
import type { TxInput } from "../../exec/types.js";
import { type BenchChain, benchAddress } from "../chain.js";
import { benchChainDriver } from "./bench-chain-driver.js";
import { RWA_RECEIVER_TOKENS, RWA_SENDER_TOKENS, RWA_TRANSFER_GAS, type RwaSuite, rwaTransferData } from "./params.js";
import { deployRwaSuite, onboardRwaInvestors, rwaBenchArtifacts } from "./suite.js";

const SENDER_PREFIX = 0xa0;
const RECEIVER_PREFIX = 0xb0;

/** Builds the suite on `chain` and returns the block's `n` transfers (senders funded with ether). */
export async function prepareRwaTransfers(
  chain: BenchChain,
  n: number,
  onCompile?: () => void,
): Promise<{ suite: RwaSuite; txs: TxInput[] }> {
  const artifacts = await rwaBenchArtifacts(onCompile);
  const driver = benchChainDriver(chain);
  const suite = await deployRwaSuite(driver, artifacts);
  const senders = Array.from({ length: n }, (_, i) => benchAddress(SENDER_PREFIX, i));
  const receivers = Array.from({ length: n }, (_, i) => benchAddress(RECEIVER_PREFIX, i));
  await onboardRwaInvestors(driver, suite, [
    ...senders.map((wallet) => ({ wallet, tokens: RWA_SENDER_TOKENS })),
    ...receivers.map((wallet) => ({ wallet, tokens: RWA_RECEIVER_TOKENS })),
  ]);
  for (const sender of senders) chain.fund(sender);
  const txs = senders.map((sender, i) =>
    chain.tx(sender, suite.token, rwaTransferData(receivers[i]!, 1n), RWA_TRANSFER_GAS),
  );
  return { suite, txs };
}
