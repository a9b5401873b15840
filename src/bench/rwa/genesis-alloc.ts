// The RWA suite as genesis accounts: deployed and onboarded on an in-memory bench chain by real
// transactions, then every contract's code, storage, balance and nonce copied out. The suite must
// land where `expected` (computed before signing) says, since the transactions are already signed.
import type { GenesisAccount } from "../../chain/genesis.js";
import type { MemoryState } from "../../state/memory-state.js";
import { BenchChain } from "../chain.js";
import { benchChainDriver } from "./bench-chain-driver.js";
import type { RwaSuite } from "./params.js";
import { deployRwaSuite, onboardRwaInvestors, type RwaInvestor, rwaBenchArtifacts } from "./suite.js";

/** Every account of `state` that has code, as a genesis account. */
export function contractAccounts(state: MemoryState): Map<bigint, GenesisAccount> {
  const out = new Map<bigint, GenesisAccount>();
  for (const address of state.addresses()) {
    const code = state.code(address);
    if (code.length === 0) continue;
    const account = state.account(address)!;
    out.set(address, {
      balance: account.balance,
      nonce: account.nonce,
      code,
      storage: new Map(state.storageEntries(address)),
    });
  }
  return out;
}

export async function rwaGenesisAlloc(
  expected: Readonly<Record<string, bigint>>,
  investors: readonly RwaInvestor[],
  chainId: bigint,
  onCompile?: () => void,
): Promise<Map<bigint, GenesisAccount>> {
  const chain = await BenchChain.create();
  // The chain id the token's EIP-712 domain caches at construction.
  chain.block.chainId = chainId;
  const driver = benchChainDriver(chain);
  const suite: RwaSuite = await deployRwaSuite(driver, await rwaBenchArtifacts(onCompile));
  for (const [name, address] of Object.entries(suite)) {
    if (expected[name] !== address) {
      throw new Error(
        `rwa genesis: ${name} deployed at 0x${address.toString(16)}, not where the signed transactions expect it`,
      );
    }
  }
  await onboardRwaInvestors(driver, suite, investors);
  return contractAccounts(chain.state);
}
