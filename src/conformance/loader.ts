// Turns an ethereum/tests GeneralStateTests fixture (JSON, as filled by retesteth or the execution-spec
// tests) into what the executor takes: the pre-state as a MemoryState, the block as a BlockEnv and,
// for each case, the transaction as a TxInput.
import type { BlockEnv } from "../evm/host.js";
import type { AccessListEntry, TxInput } from "../exec/types.js";
import { hexToBigint, hexToBytes } from "../primitives/hex.js";
import { MemoryState, stateTestBlockHash } from "../state/memory-state.js";

export interface CaseIndexes {
  data: number;
  gas: number;
  value: number;
}

export interface PostEntryJson {
  hash: string;
  logs: string;
  indexes: CaseIndexes;
  txbytes?: string;
  expectException?: string;
}

export interface AccountJson {
  balance: string;
  code: string;
  nonce: string;
  storage: Record<string, string>;
}

export interface EnvJson {
  currentCoinbase: string;
  currentDifficulty?: string;
  currentGasLimit: string;
  currentNumber: string;
  currentTimestamp: string;
  currentBaseFee?: string;
  currentRandom?: string;
  currentExcessBlobGas?: string;
}

export interface AccessListJson {
  address: string;
  storageKeys: string[];
}

export interface TransactionJson {
  data: string[];
  gasLimit: string[];
  value: string[];
  nonce: string;
  sender: string;
  to: string;
  gasPrice?: string;
  maxFeePerGas?: string;
  maxPriorityFeePerGas?: string;
  maxFeePerBlobGas?: string;
  blobVersionedHashes?: string[];
  /** One per data index; null where that case sends no access list. */
  accessLists?: (AccessListJson[] | null)[];
}

export interface StateTestJson {
  env: EnvJson;
  pre: Record<string, AccountJson>;
  transaction: TransactionJson;
  post: Record<string, PostEntryJson[]>;
}

export type StateTestFileJson = Record<string, StateTestJson>;

/** The fork whose post entries the runner checks. */
export const FORK = "Cancun";
/** Chain id of every state test. */
export const STATE_TEST_CHAIN_ID = 1n;
/** Base fee where the fixture names none (retesteth's convention, as in geth's runner). */
const DEFAULT_BASE_FEE = 0x0an;

/**
 * A fixture number: hex, or (for values that do not fit their field, to test overflow handling)
 * retesteth's "0x:bigint 0x..." form.
 */
export function fixtureBigint(value: string): bigint {
  const v = value.startsWith("0x:bigint ") ? value.slice("0x:bigint ".length) : value;
  return hexToBigint(v);
}

export function parseFixture(text: string): StateTestFileJson {
  return JSON.parse(text) as StateTestFileJson;
}

/** The number of Cancun cases in a parsed fixture file. */
export function countCases(fixture: StateTestFileJson): number {
  let n = 0;
  for (const test of Object.values(fixture)) n += test.post?.[FORK]?.length ?? 0;
  return n;
}

export function buildBlockEnv(env: EnvJson): BlockEnv {
  return {
    chainId: STATE_TEST_CHAIN_ID,
    number: fixtureBigint(env.currentNumber),
    coinbase: fixtureBigint(env.currentCoinbase),
    timestamp: fixtureBigint(env.currentTimestamp),
    gasLimit: fixtureBigint(env.currentGasLimit),
    baseFee: env.currentBaseFee === undefined ? DEFAULT_BASE_FEE : fixtureBigint(env.currentBaseFee),
    // Post-merge, PREVRANDAO replaces DIFFICULTY; fixtures that name no random use the difficulty.
    prevRandao: fixtureBigint(env.currentRandom ?? env.currentDifficulty ?? "0x00"),
    excessBlobGas: env.currentExcessBlobGas === undefined ? 0n : fixtureBigint(env.currentExcessBlobGas),
  };
}

/**
 * The pre-state. BLOCKHASH follows the state-test rule (keccak256 of the decimal number) within the
 * 256 blocks before `blockNumber`, and is 0 outside them.
 */
export function buildPreState(pre: Record<string, AccountJson>, blockNumber: bigint): MemoryState {
  const state = new MemoryState((n) => (n < blockNumber && n + 256n >= blockNumber ? stateTestBlockHash(n) : 0n));
  for (const [address, a] of Object.entries(pre)) {
    const storage = new Map<bigint, bigint>();
    for (const [slot, value] of Object.entries(a.storage)) storage.set(fixtureBigint(slot), fixtureBigint(value));
    state.setAccount(fixtureBigint(address), {
      nonce: fixtureBigint(a.nonce),
      balance: fixtureBigint(a.balance),
      code: hexToBytes(a.code),
      storage,
    });
  }
  return state;
}

function at<T>(list: readonly T[], index: number, what: string): T {
  const item = list[index];
  if (item === undefined) throw new Error(`fixture: no transaction.${what}[${index}]`);
  return item;
}

/** The transaction of one case: `indexes` pick its data (and access list), gas limit and value. */
export function buildTx(tx: TransactionJson, indexes: CaseIndexes): TxInput {
  const accessListJson = tx.accessLists?.[indexes.data] ?? null;
  const accessList: AccessListEntry[] =
    accessListJson === null
      ? []
      : accessListJson.map((e) => ({
          address: fixtureBigint(e.address),
          storageKeys: e.storageKeys.map(fixtureBigint),
        }));
  const base = {
    sender: fixtureBigint(tx.sender),
    nonce: fixtureBigint(tx.nonce),
    gasLimit: fixtureBigint(at(tx.gasLimit, indexes.gas, "gasLimit")),
    to: tx.to === "" ? null : fixtureBigint(tx.to),
    value: fixtureBigint(at(tx.value, indexes.value, "value")),
    data: hexToBytes(at(tx.data, indexes.data, "data")),
    accessList,
  };
  if (tx.maxFeePerGas !== undefined) {
    const dynamic = {
      ...base,
      chainId: STATE_TEST_CHAIN_ID,
      maxFeePerGas: fixtureBigint(tx.maxFeePerGas),
      maxPriorityFeePerGas: fixtureBigint(tx.maxPriorityFeePerGas ?? "0x00"),
    };
    if (tx.blobVersionedHashes !== undefined) {
      return {
        ...dynamic,
        type: 3,
        maxFeePerBlobGas: fixtureBigint(tx.maxFeePerBlobGas ?? "0x00"),
        blobVersionedHashes: tx.blobVersionedHashes.map(fixtureBigint),
      };
    }
    return { ...dynamic, type: 2 };
  }
  const gasPrice = fixtureBigint(tx.gasPrice ?? "0x00");
  if (accessListJson !== null) return { ...base, type: 1, chainId: STATE_TEST_CHAIN_ID, gasPrice };
  // Legacy state-test transactions are signed without EIP-155 replay protection.
  return { ...base, type: 0, gasPrice };
}
