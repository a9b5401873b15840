// The genesis.json a benchmark chain starts from (read by `weft node --genesis` and `anvil --init`):
// chain id 31337, every sender funded for exactly its transactions' gas and value at the fee cap,
// and the workload's accounts (the token's code and storage). Cancun from block 0 on both nodes.
import type { GenesisAccount } from "../../chain/genesis.js";
import { addressToHex, bigintToHex, bytesToHex } from "../../primitives/hex.js";

export const BENCH_CHAIN_ID = 31337n;
/** anvil's and Weft's defaults: both nodes pack blocks to the same limit and start from the same base fee. */
export const BENCH_GAS_LIMIT = 30_000_000n;
export const BENCH_BASE_FEE = 1_000_000_000n;

/** Forks Weft requires at 0 when named; naming them makes anvil (and geth) read the file as Cancun too. */
const FORKS = [
  "homesteadBlock",
  "eip150Block",
  "eip155Block",
  "eip158Block",
  "byzantiumBlock",
  "constantinopleBlock",
  "petersburgBlock",
  "istanbulBlock",
  "berlinBlock",
  "londonBlock",
  "shanghaiTime",
  "cancunTime",
];

export interface BenchGenesisOptions {
  senders: readonly bigint[];
  /** Wei sender i holds. */
  balanceOf(i: number): bigint;
  /** The workload's accounts. */
  alloc: ReadonlyMap<bigint, GenesisAccount>;
  /** Seconds. */
  timestamp: bigint;
  /** Block gas limit; default BENCH_GAS_LIMIT. */
  gasLimit?: bigint;
}

function word(value: bigint): string {
  return `0x${value.toString(16).padStart(64, "0")}`;
}

/** A geth-style genesis object (JSON.stringify it for the file). */
export function benchGenesis(o: BenchGenesisOptions): Record<string, unknown> {
  const alloc: Record<string, unknown> = {};
  o.senders.forEach((s, i) => {
    alloc[addressToHex(s)] = { balance: bigintToHex(o.balanceOf(i)) };
  });
  for (const [address, a] of o.alloc) {
    const key = addressToHex(address);
    if (key in alloc) throw new Error(`genesis: the workload's account ${key} is also a sender`);
    const entry: Record<string, unknown> = { balance: bigintToHex(a.balance) };
    if (a.nonce !== 0n) entry.nonce = bigintToHex(a.nonce);
    if (a.code.length > 0) entry.code = bytesToHex(a.code);
    if (a.storage.size > 0) entry.storage = Object.fromEntries([...a.storage].map(([k, v]) => [word(k), word(v)]));
    alloc[key] = entry;
  }
  return {
    config: { chainId: Number(BENCH_CHAIN_ID), ...Object.fromEntries(FORKS.map((f) => [f, 0])) },
    nonce: "0x0",
    timestamp: bigintToHex(o.timestamp),
    extraData: "0x",
    gasLimit: bigintToHex(o.gasLimit ?? BENCH_GAS_LIMIT),
    difficulty: "0x0",
    mixHash: word(0n),
    coinbase: addressToHex(0n),
    baseFeePerGas: bigintToHex(BENCH_BASE_FEE),
    alloc,
  };
}
