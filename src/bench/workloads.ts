// Benchmark workloads: each deploys its contract on a BenchChain, prepares the accounts it needs, and
// returns transactions that succeed when executed in order on that state. Every transaction has its
// own sender (and the token transfers their own receiver), so they are also independent of one
// another, which the parallel executor's benchmark needs; they share only the coinbase's fee.
import type { TxInput } from "../exec/types.js";
import { encodeCall, encodeWords } from "./abi.js";
import { BenchChain, benchAddress } from "./chain.js";
import { type Artifact, type Artifacts, compileSources } from "./compile.js";
import { BENCH_CONTRACTS, BENCH_SOURCES, type BenchContractId } from "./contracts.js";

/** Rounds per transaction of the loop workloads: enough that the loop, not the call, dominates. */
export const KECCAK_ROUNDS = 200n;
export const BIGNUM_ROUNDS = 100n;

export interface Workload {
  name: string;
  /** One line: what each transaction does. */
  description: string;
  /** Deploys and funds on `chain`; returns `count` transactions, in execution order. */
  prepare(chain: BenchChain, contracts: BenchContracts, count: number): TxInput[];
}

/** The compiled benchmark contracts by id. */
export type BenchContracts = Record<BenchContractId, Artifact>;

export async function compileBenchContracts(onCompile?: () => void): Promise<BenchContracts> {
  const artifacts: Artifacts = await compileSources(BENCH_SOURCES, { onCompile });
  const out = {} as BenchContracts;
  for (const [id, { file, name }] of Object.entries(BENCH_CONTRACTS) as [
    BenchContractId,
    { file: string; name: string },
  ][]) {
    const artifact = artifacts[file]?.[name];
    if (artifact === undefined) throw new Error(`solc output has no ${file}:${name}`);
    out[id] = artifact;
  }
  return out;
}

const DEPLOYER = benchAddress(0xde, 0);
const SENDER_PREFIX = 0xa0;
const RECEIVER_PREFIX = 0xb0;

function fundedSenders(chain: BenchChain, count: number): bigint[] {
  const senders: bigint[] = [];
  for (let i = 0; i < count; i++) {
    const sender = benchAddress(SENDER_PREFIX, i);
    chain.fund(sender);
    senders.push(sender);
  }
  return senders;
}

export const erc20Transfer: Workload = {
  name: "erc20-transfer",
  description: "OpenZeppelin ERC20 transfer(to, 1), a new sender and a new receiver each",
  prepare(chain, contracts, count) {
    const token = contracts.token;
    chain.fund(DEPLOYER);
    const address = chain.deploy(DEPLOYER, token.bytecode, encodeWords([10n ** 30n]));
    const senders = fundedSenders(chain, count);
    // Real transfers from the deployer give each sender its tokens (and the token its storage layout).
    for (const sender of senders) {
      chain.execute(
        chain.tx(DEPLOYER, address, encodeCall(token, "transfer(address,uint256)", [sender, 1000n]), 100_000n),
      );
    }
    return senders.map((sender, i) =>
      chain.tx(
        sender,
        address,
        encodeCall(token, "transfer(address,uint256)", [benchAddress(RECEIVER_PREFIX, i), 1n]),
        100_000n,
      ),
    );
  },
};

function loopWorkload(name: string, description: string, id: BenchContractId, rounds: bigint): Workload {
  return {
    name,
    description,
    prepare(chain, contracts, count) {
      const artifact = contracts[id];
      chain.fund(DEPLOYER);
      const address = chain.deploy(DEPLOYER, artifact.bytecode);
      const data = encodeCall(artifact, "run(uint256)", [rounds]);
      return fundedSenders(chain, count).map((sender) => chain.tx(sender, address, data, 10_000_000n));
    },
  };
}

export const keccakLoop = loopWorkload(
  "keccak-loop",
  `KeccakLoop.run(${KECCAK_ROUNDS}): KECCAK256 of 64 bytes, ${KECCAK_ROUNDS} times`,
  "keccakLoop",
  KECCAK_ROUNDS,
);

export const bigNumLoop = loopWorkload(
  "bignum-loop",
  `BigNumLoop.run(${BIGNUM_ROUNDS}): MULMOD, ADDMOD, EXP, DIV on 256-bit words, ${BIGNUM_ROUNDS} times`,
  "bigNumLoop",
  BIGNUM_ROUNDS,
);

export const WORKLOADS: readonly Workload[] = [erc20Transfer, keccakLoop, bigNumLoop];

/** A fresh chain with `workload` prepared: `count` transactions ready to run. */
export async function prepareWorkload(
  workload: Workload,
  contracts: BenchContracts,
  count: number,
): Promise<{ chain: BenchChain; txs: TxInput[] }> {
  const chain = await BenchChain.create();
  return { chain, txs: workload.prepare(chain, contracts, count) };
}
