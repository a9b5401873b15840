// A minimal single-threaded "chain" for benchmarks: a MemoryState, one block environment, and
// transactions executed one after another with each one's writes applied before the next, as a
// block does. No signatures (senders are given), no receipts, no state root.
import type { BlockEnv } from "../evm/host.js";
import { initPrecompiles } from "../evm/precompiles/index.js";
import { processTransaction } from "../exec/process-transaction.js";
import type { TxInput, TxOutcome } from "../exec/types.js";
import { concatBytes } from "../primitives/hex.js";
import { MemoryState } from "../state/memory-state.js";

export type ValidOutcome = Extract<TxOutcome, { valid: true }>;

export const BENCH_BASE_FEE = 7n;
/** Plenty for any benchmark transaction's gas, at the base fee, many times over. */
export const BENCH_FUNDING = 10n ** 24n;

export function benchBlock(): BlockEnv {
  return {
    chainId: 1n,
    number: 1n,
    coinbase: 0xc0ffee0000000000000000000000000000c0ffeen,
    timestamp: 1_700_000_000n,
    gasLimit: 30_000_000n,
    baseFee: BENCH_BASE_FEE,
    prevRandao: 0n,
    excessBlobGas: 0n,
  };
}

/** Deterministic, distinct addresses: `prefix` in the top byte, `index` below (never a precompile). */
export function benchAddress(prefix: number, index: number): bigint {
  return (BigInt(prefix) << 152n) | BigInt(index + 1);
}

export class BenchChain {
  readonly state = new MemoryState();
  readonly block: BlockEnv = benchBlock();

  /** Precompile tables are built once per process, before any transaction runs. */
  static async create(): Promise<BenchChain> {
    await initPrecompiles();
    return new BenchChain();
  }

  private constructor() {}

  /** Creates `address` as an account with no code and `balance` wei. */
  fund(address: bigint, balance: bigint = BENCH_FUNDING): void {
    this.state.setAccount(address, { nonce: 0n, balance });
  }

  /** A dynamic-fee transaction from `sender` at its current nonce, paying exactly the base fee. */
  tx(sender: bigint, to: bigint | null, data: Uint8Array, gasLimit: bigint): TxInput {
    return {
      type: 2,
      chainId: this.block.chainId,
      sender,
      nonce: this.state.account(sender)?.nonce ?? 0n,
      gasLimit,
      maxFeePerGas: this.block.baseFee,
      maxPriorityFeePerGas: 0n,
      to,
      value: 0n,
      data,
      accessList: [],
    };
  }

  /** Executes `tx` against the current state and applies its writes; throws unless it succeeded. */
  execute(tx: TxInput): ValidOutcome {
    const outcome = processTransaction(tx, this.block, this.state);
    if (!outcome.valid) throw outcome.error;
    this.state.applyWrites(outcome.writes);
    if (outcome.status !== 1) throw new Error(`benchmark transaction failed (status 0, gas ${outcome.gasUsed})`);
    return outcome;
  }

  /** Deploys `initcode` (with constructor arguments appended) from `sender`; returns the new address. */
  deploy(sender: bigint, initcode: Uint8Array, constructorArgs: Uint8Array = new Uint8Array(0)): bigint {
    const outcome = this.execute(this.tx(sender, null, concatBytes(initcode, constructorArgs), 10_000_000n));
    if (outcome.createdAddress === undefined) throw new Error("deployment returned no address");
    return outcome.createdAddress;
  }
}
