// Workloads of the block-execution benchmark (`weft bench exec`). Each builds its pre-state on a
// BenchChain through real transactions (ETH balances are a genesis allocation; contracts, tokens,
// approvals and liquidity come from executed transactions) and returns ONE block of N transactions
// with their senders given. The shapes follow the Block-STM paper's and pevm's benchmarks:
//   transfer         independent native ETH transfers (a new sender and a new receiver each)
//   erc20            independent OpenZeppelin ERC20 transfers on one token (new sender, new receiver)
//   erc20-contended  Block-STM's p2p shape: transfers between two distinct accounts drawn at random
//                    (seeded) from a pool of K; a sender's transactions carry consecutive nonces
//   uniswap          Uniswap V2 swaps through a one-call router, on 1 hot pair or on P pairs
//   rwa              ERC-3643 regulated-token transfers between verified investors (a new sender and
//                    a new receiver each), through the identity registry and four compliance modules
// Every block transaction pays a priority fee of 1 wei, so each one credits the coinbase, as on a
// real chain (Block-STM defers that fee). The block gas limit is raised so that N transactions fit.
import type { BlockEnv } from "../evm/host.js";
import { prng } from "../exec/block/prng.js";
import type { TxInput } from "../exec/types.js";
import type { MemoryState } from "../state/memory-state.js";
import { encodeCall, encodeWords } from "./abi.js";
import { BenchChain, benchAddress, benchBlock } from "./chain.js";
import { prepareRwaTransfers } from "./rwa/exec-block.js";
import { addLiquidPair, factoryInitcode, loadUniswapContracts } from "./uniswap.js";
import { compileBenchContracts, erc20Transfer } from "./workloads.js";

export const EXEC_WORKLOADS = ["transfer", "erc20", "erc20-contended", "uniswap", "rwa"] as const;
export type ExecWorkloadName = (typeof EXEC_WORKLOADS)[number];

/** Block-STM's pool sizes for the contended ERC20 benchmark. */
export const BLOCK_STM_ACCOUNTS = [2, 10, 100, 1000, 10000] as const;
export const DEFAULT_ACCOUNTS = 100;
export const DEFAULT_PAIRS = 1;
export const DEFAULT_SEED = 1;

/** Far above any benchmark block's gas (2000 swaps use ~200M), so the block is never the limit. */
export const EXEC_BLOCK_GAS_LIMIT = 10n ** 12n;

export interface ExecWorkloadParams {
  txs: number;
  /** erc20-contended: pool size (default 100). */
  accounts?: number;
  /** uniswap: number of pairs; transaction i swaps on pair i mod pairs (default 1). */
  pairs?: number;
  /** erc20-contended: seed of the PRNG that draws senders and receivers. */
  seed?: number;
  onCompile?: () => void;
}

export interface PreparedBlock {
  workload: ExecWorkloadName;
  description: string;
  /** The pre-state; clone it before executing. */
  state: MemoryState;
  block: BlockEnv;
  txs: TxInput[];
}

export function execBlockEnv(): BlockEnv {
  return { ...benchBlock(), gasLimit: EXEC_BLOCK_GAS_LIMIT };
}

const DEPLOYER = benchAddress(0xde, 0);
const SENDER_PREFIX = 0xa0;
const RECEIVER_PREFIX = 0xb0;
const POOL_PREFIX = 0xa1;
const PRIORITY_FEE = 1n;

/** `tx` as a block transaction: a priority fee of 1 wei above the base fee. */
function tipped(tx: TxInput, block: BlockEnv): TxInput {
  return { ...tx, maxFeePerGas: block.baseFee + PRIORITY_FEE, maxPriorityFeePerGas: PRIORITY_FEE };
}

function call(chain: BenchChain, from: bigint, to: bigint, data: Uint8Array, gas = 200_000n) {
  return chain.execute(chain.tx(from, to, data, gas));
}

export async function prepareExecWorkload(name: ExecWorkloadName, params: ExecWorkloadParams): Promise<PreparedBlock> {
  const chain = await BenchChain.create();
  const block = execBlockEnv();
  const n = params.txs;
  let description: string;
  let txs: TxInput[];
  switch (name) {
    case "transfer": {
      description = "native ETH transfer of 1 wei, a new sender and a new receiver each";
      txs = [];
      for (let i = 0; i < n; i++) {
        const sender = benchAddress(SENDER_PREFIX, i);
        chain.fund(sender);
        txs.push({ ...chain.tx(sender, benchAddress(RECEIVER_PREFIX, i), new Uint8Array(0), 21_000n), value: 1n });
      }
      break;
    }
    case "erc20": {
      description = "OpenZeppelin ERC20 transfer(to, 1) on one token, a new sender and a new receiver each";
      const contracts = await compileBenchContracts(params.onCompile);
      txs = erc20Transfer.prepare(chain, contracts, n);
      break;
    }
    case "erc20-contended": {
      const k = params.accounts ?? DEFAULT_ACCOUNTS;
      if (!Number.isInteger(k) || k < 2) throw new Error(`erc20-contended needs at least 2 accounts, got ${k}`);
      description = `OpenZeppelin ERC20 transfer(to, 1) between two distinct accounts drawn from a pool of ${k}`;
      const { token } = await compileBenchContracts(params.onCompile);
      chain.fund(DEPLOYER);
      const address = chain.deploy(DEPLOYER, token.bytecode, encodeWords([10n ** 30n]));
      const pool: bigint[] = [];
      for (let i = 0; i < k; i++) {
        const account = benchAddress(POOL_PREFIX, i);
        chain.fund(account);
        // Enough tokens for every transfer of the block to come from this one account.
        call(chain, DEPLOYER, address, encodeCall(token, "transfer(address,uint256)", [account, BigInt(n) + 1000n]));
        pool.push(account);
      }
      const rng = prng(params.seed ?? DEFAULT_SEED);
      const nonces = new Array<bigint>(k).fill(0n);
      txs = [];
      for (let i = 0; i < n; i++) {
        const s = rng.int(k);
        let r = rng.int(k - 1);
        if (r >= s) r++;
        const data = encodeCall(token, "transfer(address,uint256)", [pool[r]!, 1n]);
        txs.push({ ...chain.tx(pool[s]!, address, data, 100_000n), nonce: nonces[s]! });
        nonces[s]!++;
      }
      break;
    }
    case "uniswap": {
      const p = params.pairs ?? DEFAULT_PAIRS;
      if (!Number.isInteger(p) || p < 1) throw new Error(`uniswap needs at least 1 pair, got ${p}`);
      description =
        p === 1
          ? "Uniswap V2 swap of token A for token B on one hot pair, through a one-call router"
          : `Uniswap V2 swap through a one-call router, transaction i on pair i mod ${p} (pairs share only token A)`;
      txs = await prepareUniswap(chain, n, p, params.onCompile);
      break;
    }
    case "rwa": {
      description =
        "ERC-3643 RegulatedToken transfer(to, 1) between verified investors (a new sender and a new receiver each, " +
        "both already holders): isVerified on both sides (KYC and AML claims from trusted issuers), then the " +
        "CountryAllow, MaxBalance, MaxInvestors and SupplyLimit modules' checks and the balance modules' hooks";
      ({ txs } = await prepareRwaTransfers(chain, n, params.onCompile));
      break;
    }
  }
  return { workload: name, description, state: chain.state, block, txs: txs.map((tx) => tipped(tx, block)) };
}

const LIQUIDITY = 10n ** 24n;
const SWAP_IN = 10n ** 18n;
const MAX_UINT = (1n << 256n) - 1n;

/**
 * Token A, P tokens B_j, the factory, pairs (A, B_j) with LIQUIDITY of each side minted, the router,
 * and N senders holding A with the router approved. Pairs share token A, but each swap touches only
 * its sender's and its pair's A balances (and the sender's allowance), so different pairs' swaps are
 * independent.
 */
async function prepareUniswap(chain: BenchChain, n: number, pairs: number, onCompile?: () => void): Promise<TxInput[]> {
  const { token } = await compileBenchContracts(onCompile);
  const uni = await loadUniswapContracts(onCompile);
  chain.fund(DEPLOYER);
  const factory = chain.deploy(DEPLOYER, factoryInitcode(uni.factory, DEPLOYER));
  const tokenA = chain.deploy(DEPLOYER, token.bytecode, encodeWords([10n ** 40n]));
  const transfer = (t: bigint, to: bigint, amount: bigint) =>
    call(chain, DEPLOYER, t, encodeCall(token, "transfer(address,uint256)", [to, amount]));
  const pairAddresses: bigint[] = [];
  for (let j = 0; j < pairs; j++) {
    const tokenB = chain.deploy(DEPLOYER, token.bytecode, encodeWords([10n ** 30n]));
    pairAddresses.push(addLiquidPair(chain, DEPLOYER, uni, token, { factory, tokenA, tokenB, liquidity: LIQUIDITY }));
  }
  const router = chain.deploy(DEPLOYER, uni.router.bytecode);
  const txs: TxInput[] = [];
  for (let i = 0; i < n; i++) {
    const sender = benchAddress(SENDER_PREFIX, i);
    chain.fund(sender);
    transfer(tokenA, sender, SWAP_IN * 10n);
    call(chain, sender, tokenA, encodeCall(token, "approve(address,uint256)", [router, MAX_UINT]));
    const data = encodeCall(uni.router, "swapExactIn(address,address,uint256,address)", [
      pairAddresses[i % pairs]!,
      tokenA,
      SWAP_IN,
      sender,
    ]);
    txs.push(chain.tx(sender, router, data, 300_000n));
  }
  return txs;
}
