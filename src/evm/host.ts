import { EMPTY_CODE_HASH } from "../primitives/keccak.js";

// The narrow interface through which the EVM reads state it does not own. Everything the interpreter
// writes stays in its per-transaction journal (journal.ts) until the transaction ends, so an executor
// (sequential or parallel) decides what a read returns and what becomes of the writes.

/** An account as stored: code is reached by `code(address)`. Addresses and words are bigints. */
export interface AccountInfo {
  nonce: bigint;
  balance: bigint;
  /** keccak256 of the code; EMPTY_CODE_HASH for none. */
  codeHash: bigint;
}

export interface Host {
  /** The account at `address`, or undefined where none exists. */
  account(address: bigint): AccountInfo | undefined;
  /** The code of the account at `address` (empty where none). */
  code(address: bigint): Uint8Array;
  /** The value of a storage slot (0 where unset). */
  storage(address: bigint, slot: bigint): bigint;
  /** Whether the account has any non-zero storage (EIP-7610 create-collision rule). */
  hasStorage(address: bigint): boolean;
  /** Hash of block `number`, 0n where out of the 256-block window or unknown. */
  blockHash(number: bigint): bigint;
}

/** Block-level values the EVM exposes to contracts and uses for fees. */
export interface BlockEnv {
  chainId: bigint;
  number: bigint;
  coinbase: bigint;
  timestamp: bigint;
  gasLimit: bigint;
  baseFee: bigint;
  /** PREVRANDAO (EIP-4399), as a word. */
  prevRandao: bigint;
  /** Excess blob gas of this block (EIP-4844); the blob base fee derives from it. */
  excessBlobGas: bigint;
}

export interface Log {
  address: bigint;
  topics: bigint[];
  data: Uint8Array;
}

/** One account's net change after a transaction (or block). */
export interface AccountWrite {
  /** The account no longer exists (self-destructed, or empty and touched: EIP-161). */
  deleted: boolean;
  nonce: bigint;
  balance: bigint;
  codeHash: bigint;
  /** Present only when the code changed (creation). */
  code?: Uint8Array;
  /** Storage was wiped before `storage` applies (the account was created or re-created here). */
  storageCleared: boolean;
  /** Changed slots only; a value of 0n deletes the slot. */
  storage: Map<bigint, bigint>;
  /**
   * Set when the account's own fields (existence, nonce, balance, code) are as they were: only its
   * storage changed. A parallel executor then records no account-level write, so calls to a contract
   * whose storage changes do not all depend on each other.
   */
  storageOnly?: true;
}

export type StateWrites = Map<bigint, AccountWrite>;

/**
 * The `storage` of a write that changes no slot, shared by all of them (most writes touch an account's
 * fields only): never written. Whoever merges into a write's storage in place (BlockOverlay) swaps in a
 * map of its own first.
 */
export const NO_STORAGE_WRITES: Map<bigint, bigint> = new Map();

/** The write that removes an account and all its storage. */
export function deletedAccountWrite(): AccountWrite {
  return { deleted: true, nonce: 0n, balance: 0n, codeHash: EMPTY_CODE_HASH, storageCleared: true, storage: new Map() };
}
