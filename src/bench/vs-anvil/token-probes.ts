// The token probes of `weft bench evm --vs-anvil`: an OpenZeppelin ERC-20 transfer, an ERC-3643
// (T-REX style) transfer and a Uniswap V2 swap per iteration, the loop contract at PROBE_ADDRESS being
// the holder. Their pre-state is built on an in-memory bench chain by real transactions (deployments,
// liquidity, onboarding, the loop contract's tokens), then every contract's code and storage is copied
// into the genesis both nodes start from; the loop contract's code is placed beside them.
import type { GenesisAccount } from "../../chain/genesis.js";
import { encodeCall, encodeWords } from "../abi.js";
import { BenchChain, benchAddress } from "../chain.js";
import type { Artifact } from "../compile.js";
import { BENCH_CHAIN_ID } from "../e2e/genesis.js";
import { contractAccounts, rwaGenesisAlloc } from "../rwa/genesis-alloc.js";
import { RWA_BENCH_ADMIN, RWA_RECEIVER_TOKENS, RWA_SENDER_TOKENS, rwaSuiteAddresses } from "../rwa/params.js";
import { addLiquidPair, factoryInitcode, loadUniswapContracts } from "../uniswap.js";
import { compileBenchContracts } from "../workloads.js";
import { loopContract } from "./loop-contracts.js";
import { contractAccount, PROBE_ADDRESS, type Probe } from "./probe.js";

/** Deploys and funds on the setup chain; nobody holds its key (it never sends on the nodes). */
const SETUP_ACCOUNT = benchAddress(0xde, 0);
/** Receiver i of a transfer loop is FIRST_RECEIVER + i. */
const FIRST_RECEIVER = benchAddress(0xb0, 0);
/**
 * Verified receivers of the rwa probe: more than a 30M-gas call's transfers (about 40k gas each),
 * so each iteration's receiver is a fresh one. A loop that runs longer cycles through them again.
 */
export const RWA_PROBE_RECEIVERS = 1000;
const TOKEN_SUPPLY = 10n ** 30n;
const LIQUIDITY = 10n ** 24n;
const SWAP_IN = 10n ** 18n;

async function setupChain(): Promise<BenchChain> {
  const chain = await BenchChain.create();
  // The chain id a contract may cache at construction (an EIP-712 domain) is the nodes' one.
  chain.block.chainId = BENCH_CHAIN_ID;
  chain.fund(SETUP_ACCOUNT);
  return chain;
}

function send(chain: BenchChain, to: bigint, data: Uint8Array, gasLimit = 200_000n): Uint8Array {
  return chain.execute(chain.tx(SETUP_ACCOUNT, to, data, gasLimit)).output;
}

function transfer(chain: BenchChain, token: Artifact, tokenAddress: bigint, to: bigint, amount: bigint): void {
  send(chain, tokenAddress, encodeCall(token, "transfer(address,uint256)", [to, amount]));
}

/** The setup chain's contracts plus the loop contract at PROBE_ADDRESS. */
function withLoop(contracts: Map<bigint, GenesisAccount>, loop: Artifact): Map<bigint, GenesisAccount> {
  if (contracts.has(PROBE_ADDRESS)) throw new Error("probe setup: a contract was deployed at PROBE_ADDRESS");
  return new Map([...contracts, [PROBE_ADDRESS, contractAccount(loop.deployedBytecode)]]);
}

const erc20: Probe = {
  name: "erc20",
  description:
    "OpenZeppelin ERC20 transfer(fresh address, 1): a CALL into the token, two balance slots, a cold SSTORE, a LOG3",
  async prepare(onCompile) {
    const [{ token }, loop] = await Promise.all([
      compileBenchContracts(onCompile),
      loopContract("Erc20TransferLoop", onCompile),
    ]);
    const chain = await setupChain();
    const tokenAddress = chain.deploy(SETUP_ACCOUNT, token.bytecode, encodeWords([TOKEN_SUPPLY]));
    transfer(chain, token, tokenAddress, PROBE_ADDRESS, TOKEN_SUPPLY);
    return {
      alloc: withLoop(contractAccounts(chain.state), loop),
      calldata: encodeCall(loop, "run(address,uint160,uint256)", [tokenAddress, FIRST_RECEIVER, 100_000n]),
    };
  },
};

const rwa: Probe = {
  name: "rwa",
  description:
    "ERC-3643 RegulatedToken transfer(verified investor, 1): isVerified on both sides (KYC and AML claims), " +
    "four compliance modules' checks and two hooks",
  async prepare(onCompile) {
    const loop = await loopContract("RwaTransferLoop", onCompile);
    const suite = rwaSuiteAddresses(RWA_BENCH_ADMIN);
    // The loop contract is the sending investor; receiver i has identity id i + 2.
    const investors = [
      { wallet: PROBE_ADDRESS, tokens: RWA_SENDER_TOKENS },
      ...Array.from({ length: RWA_PROBE_RECEIVERS }, (_, i) => ({
        wallet: FIRST_RECEIVER + BigInt(i),
        tokens: RWA_RECEIVER_TOKENS,
      })),
    ];
    const contracts = await rwaGenesisAlloc(suite, investors, BENCH_CHAIN_ID, onCompile);
    return {
      alloc: withLoop(contracts, loop),
      calldata: encodeCall(loop, "run(address,uint160,uint256,uint256)", [
        suite.token,
        FIRST_RECEIVER,
        BigInt(RWA_PROBE_RECEIVERS),
        600_000n,
      ]),
    };
  },
};

const uniswap: Probe = {
  name: "uniswap",
  description:
    "Uniswap V2 swap of token A for token B through a one-call router (getReserves, transferFrom, pair.swap)",
  async prepare(onCompile) {
    const [{ token }, uni, loop] = await Promise.all([
      compileBenchContracts(onCompile),
      loadUniswapContracts(onCompile),
      loopContract("UniswapSwapLoop", onCompile),
    ]);
    const chain = await setupChain();
    const factory = chain.deploy(SETUP_ACCOUNT, factoryInitcode(uni.factory, SETUP_ACCOUNT));
    const tokenA = chain.deploy(SETUP_ACCOUNT, token.bytecode, encodeWords([TOKEN_SUPPLY]));
    const tokenB = chain.deploy(SETUP_ACCOUNT, token.bytecode, encodeWords([TOKEN_SUPPLY]));
    const pair = addLiquidPair(chain, SETUP_ACCOUNT, uni, token, { factory, tokenA, tokenB, liquidity: LIQUIDITY });
    const router = chain.deploy(SETUP_ACCOUNT, uni.router.bytecode);
    transfer(chain, token, tokenA, PROBE_ADDRESS, TOKEN_SUPPLY - LIQUIDITY);
    return {
      alloc: withLoop(contractAccounts(chain.state), loop),
      calldata: encodeCall(loop, "run(address,address,address,uint256,uint256)", [
        router,
        pair,
        tokenA,
        SWAP_IN,
        400_000n,
      ]),
    };
  },
};

export const TOKEN_PROBES: readonly Probe[] = [erc20, rwa, uniswap];
