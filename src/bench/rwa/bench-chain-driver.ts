// The RWA suite's setup executed on a BenchChain (in memory): every call a real transaction through
// processTransaction, its writes applied before the next. The admin and the two issuers are funded
// bench accounts nobody holds a key for.
import { processTransaction } from "../../exec/process-transaction.js";
import { bytesToHex } from "../../primitives/hex.js";
import type { BenchChain } from "../chain.js";
import { RWA_BENCH_ADMIN, RWA_BENCH_AML_ISSUER, RWA_BENCH_KYC_ISSUER } from "./params.js";
import type { RwaSetupDriver } from "./suite.js";

export function benchChainDriver(chain: BenchChain): RwaSetupDriver {
  for (const account of [RWA_BENCH_ADMIN, RWA_BENCH_KYC_ISSUER, RWA_BENCH_AML_ISSUER]) {
    if (chain.state.account(account) === undefined) chain.fund(account);
  }
  return {
    admin: RWA_BENCH_ADMIN,
    kycIssuer: RWA_BENCH_KYC_ISSUER,
    amlIssuer: RWA_BENCH_AML_ISSUER,
    async send(from, calls, what) {
      return calls.map((c, i) => {
        const outcome = processTransaction(chain.tx(from, c.to, c.data, c.gasLimit), chain.block, chain.state);
        if (!outcome.valid) throw new Error(`rwa setup (${what}), call ${i}: invalid: ${outcome.error.message}`);
        chain.state.applyWrites(outcome.writes);
        if (outcome.status !== 1) {
          throw new Error(
            `rwa setup (${what}), call ${i}: reverted after ${outcome.gasUsed} gas, revert data ${bytesToHex(outcome.output)}`,
          );
        }
        return outcome.createdAddress;
      });
    },
  };
}
