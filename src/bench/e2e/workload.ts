// What a workload of the end-to-end benchmark is. A workload decides what each transaction calls and
// what state the chain needs first (at genesis, or by transactions on a running node); the bench owns
// senders, nonces, fees, ether funding, sending and measuring. `call` runs on the signing worker
// threads, so it is a pure function of the (structured-cloneable) setup and the plan.
import type { GenesisAccount } from "../../chain/genesis.js";
import type { Plan } from "./plan.js";

/** What a workload's transactions need to know about its chain (addresses of its contracts). */
export type WorkloadSetup = Record<string, bigint>;

export interface TxCall {
  to: bigint;
  value: bigint;
  data: Uint8Array;
}

/** A read after the run whose result (a hex quantity or word) must equal `expected`. */
export interface Probe {
  label: string;
  method: "eth_call" | "eth_getBalance" | "eth_getTransactionCount" | "eth_getStorageAt";
  params: unknown[];
  expected: bigint;
}

/** A transaction the funding account sends on a running node (--rpc). */
export interface FunderCall {
  /** null deploys `data` as init code. */
  to: bigint | null;
  value: bigint;
  data: Uint8Array;
  gasLimit: bigint;
}

/** The funding account on a running node: sends calls in nonce order, resolves once all are mined and succeeded. */
export interface Funder {
  /** The funding account's address (what a workload's contracts may name as their admin). */
  readonly address: bigint;
  /** The address of each created contract (undefined for a call), in the order of `calls`. */
  send(calls: FunderCall[], what: string): Promise<(bigint | undefined)[]>;
}

export interface E2eWorkload {
  readonly name: string;
  /** One line: what each transaction does. */
  readonly description: string;
  /** Each transaction's gas limit (explicit: no eth_estimateGas per transaction). */
  readonly gasLimit: bigint;
  /** Wei each transaction carries (the bench funds it with the gas). */
  readonly value: bigint;
  /** On a chain the bench starts: where the workload's contracts sit in its genesis (known before signing). */
  genesisSetup(): WorkloadSetup;
  /** The accounts (contracts and their storage) that genesis holds for `senders`. */
  genesis(setup: WorkloadSetup, plan: Plan, senders: readonly bigint[]): Promise<Map<bigint, GenesisAccount>>;
  /** On a running node, before signing: deploys what the transactions call. */
  deploy(funder: Funder, plan: Plan): Promise<WorkloadSetup>;
  /** On a running node, after signing: gives the senders what they need beyond ether (ether comes from the bench). */
  fund(funder: Funder, setup: WorkloadSetup, plan: Plan, senders: readonly bigint[]): Promise<void>;
  /** Transaction k's destination, value and calldata. */
  call(setup: WorkloadSetup, plan: Plan, k: number): TxCall;
  /** Reads that show transaction k (from `sender`) took effect. */
  probes(setup: WorkloadSetup, plan: Plan, k: number, sender: bigint): Probe[];
}
