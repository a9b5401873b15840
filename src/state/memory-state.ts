// A whole world state held in memory: the state behind state tests, dev chains and benchmarks. It
// serves the EVM's reads through `Host`, takes a transaction's (or block's) net writes through
// `applyWrites`, and computes the Merkle-Patricia state root on demand. Each account's storage root
// is cached until its storage changes, so roots after small changes stay cheap.
import type { AccountInfo, Host, StateWrites } from "../evm/host.js";
import { bigintToBytes, bigintToMinimalBytes } from "../primitives/hex.js";
import { EMPTY_CODE_HASH, keccak256, keccak256Word } from "../primitives/keccak.js";
import { rlpEncodeBytes, rlpEncodeList, secureTrieRoot, trieRoot } from "./mpt.js";

const EMPTY_CODE = new Uint8Array(0);
const UTF8 = new TextEncoder();

export interface AccountInit {
  nonce: bigint;
  balance: bigint;
  code?: Uint8Array;
  /** Slots with a value of 0n are dropped (an unset slot reads 0). */
  storage?: Map<bigint, bigint>;
}

interface StoredAccount {
  nonce: bigint;
  balance: bigint;
  code: Uint8Array;
  codeHash: bigint;
  storage: Map<bigint, bigint>;
  /** keccak256 of the address: the account's key in the state trie. */
  hashedAddress: Uint8Array;
  /** Storage root as last computed; undefined once the storage changes. */
  storageRoot: Uint8Array | undefined;
  /**
   * The state that may change this record (and its storage map) in place: records and maps are shared
   * with clones, and a state copies a record it does not own before its first change (see `clone`).
   */
  owner: object;
}

/**
 * BLOCKHASH as the ethereum/tests state tests define it (geth's vmTestBlockHash): keccak256 of the
 * block number written in decimal. The 256-block window is the caller's business.
 */
export function stateTestBlockHash(number: bigint): bigint {
  return keccak256Word(UTF8.encode(number.toString(10)));
}

export class MemoryState implements Host {
  private accounts = new Map<bigint, StoredAccount>();
  private readonly blockHashFn: (number: bigint) => bigint;
  /** What this state's own records carry as their `owner`; replaced when a clone starts sharing them. */
  private owner: object = {};
  // The account `storage` looked up last (a contract's slots are read one after another). Forgotten by
  // every method that adds, replaces or removes a record.
  private lastAddress = -1n;
  private lastRecord: StoredAccount | undefined = undefined;

  constructor(blockHash: (number: bigint) => bigint = stateTestBlockHash) {
    this.blockHashFn = blockHash;
  }

  /** Creates or replaces the account at `address`. */
  setAccount(address: bigint, init: AccountInit): void {
    this.lastAddress = -1n;
    const code = init.code ?? EMPTY_CODE;
    const storage = new Map<bigint, bigint>();
    if (init.storage) for (const [slot, value] of init.storage) if (value !== 0n) storage.set(slot, value);
    this.accounts.set(address, {
      nonce: init.nonce,
      balance: init.balance,
      code,
      codeHash: code.length === 0 ? EMPTY_CODE_HASH : keccak256Word(code),
      storage,
      hashedAddress: keccak256(bigintToBytes(address, 20)),
      storageRoot: undefined,
      owner: this.owner,
    });
  }

  deleteAccount(address: bigint): void {
    this.lastAddress = -1n;
    this.accounts.delete(address);
  }

  account(address: bigint): AccountInfo | undefined {
    const a = this.accounts.get(address);
    return a === undefined ? undefined : { nonce: a.nonce, balance: a.balance, codeHash: a.codeHash };
  }

  code(address: bigint): Uint8Array {
    return this.accounts.get(address)?.code ?? EMPTY_CODE;
  }

  storage(address: bigint, slot: bigint): bigint {
    let a: StoredAccount | undefined;
    if (address === this.lastAddress) a = this.lastRecord;
    else {
      a = this.accounts.get(address);
      this.lastAddress = address;
      this.lastRecord = a;
    }
    return a === undefined ? 0n : (a.storage.get(slot) ?? 0n);
  }

  hasStorage(address: bigint): boolean {
    const a = this.accounts.get(address);
    return a !== undefined && a.storage.size > 0;
  }

  blockHash(number: bigint): bigint {
    return this.blockHashFn(number);
  }

  /** Addresses of all accounts, in no particular order. */
  addresses(): IterableIterator<bigint> {
    return this.accounts.keys();
  }

  /** All non-zero slots of the account at `address` (empty where none). */
  storageEntries(address: bigint): ReadonlyMap<bigint, bigint> {
    return this.accounts.get(address)?.storage ?? new Map();
  }

  /** Applies a transaction's (or block's) net changes. */
  applyWrites(writes: StateWrites): void {
    this.lastAddress = -1n;
    for (const [address, w] of writes) {
      if (w.deleted) {
        this.accounts.delete(address);
        continue;
      }
      let a = this.accounts.get(address);
      if (a === undefined) {
        a = {
          nonce: 0n,
          balance: 0n,
          code: EMPTY_CODE,
          codeHash: EMPTY_CODE_HASH,
          storage: new Map(),
          hashedAddress: keccak256(bigintToBytes(address, 20)),
          storageRoot: undefined,
          owner: this.owner,
        };
        this.accounts.set(address, a);
      } else if (a.owner !== this.owner) {
        // Shared with a clone: this state's own copy, with a storage map of its own, before any change.
        a = { ...a, storage: new Map(a.storage), owner: this.owner };
        this.accounts.set(address, a);
      }
      a.nonce = w.nonce;
      a.balance = w.balance;
      if (w.code !== undefined) a.code = w.code;
      a.codeHash = w.codeHash;
      if (w.storageCleared && a.storage.size > 0) {
        a.storage = new Map();
        a.storageRoot = undefined;
      }
      if (w.storage.size > 0) {
        a.storageRoot = undefined;
        for (const [slot, value] of w.storage) {
          if (value === 0n) a.storage.delete(slot);
          else a.storage.set(slot, value);
        }
      }
    }
  }

  /** Root of the account's storage trie: keccak256(slot as 32 bytes) -> rlp(minimal big-endian value). */
  storageRoot(address: bigint): bigint {
    const a = this.accounts.get(address);
    return a === undefined ? bytesWord(trieRoot([])) : bytesWord(storageRootOf(a));
  }

  /** The state root: secure trie of address -> rlp([nonce, balance, storageRoot, codeHash]). */
  stateRoot(): bigint {
    const entries: [Uint8Array, Uint8Array][] = [];
    for (const a of this.accounts.values()) {
      const body = rlpEncodeList([
        rlpEncodeBytes(bigintToMinimalBytes(a.nonce)),
        rlpEncodeBytes(bigintToMinimalBytes(a.balance)),
        rlpEncodeBytes(storageRootOf(a)),
        rlpEncodeBytes(bigintToBytes(a.codeHash, 32)),
      ]);
      entries.push([a.hashedAddress, body]);
    }
    return bytesWord(trieRoot(entries));
  }

  /**
   * An independent copy (same block-hash function); later changes to either do not affect the other.
   * Copy-on-write: both share every account record (and its storage map and cached storage root) until
   * one of them changes it (`applyWrites` copies a record it does not own first), so a clone costs one
   * map of the addresses, not a record and a storage map per account.
   */
  clone(): MemoryState {
    const copy = new MemoryState(this.blockHashFn);
    copy.accounts = new Map(this.accounts);
    // Neither state owns the shared records any more.
    this.owner = {};
    return copy;
  }
}

function storageRootOf(a: StoredAccount): Uint8Array {
  if (a.storageRoot === undefined) {
    const entries: [Uint8Array, Uint8Array][] = [];
    for (const [slot, value] of a.storage) {
      entries.push([bigintToBytes(slot, 32), rlpEncodeBytes(bigintToMinimalBytes(value))]);
    }
    a.storageRoot = secureTrieRoot(entries);
  }
  return a.storageRoot;
}

function bytesWord(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = 0; i < bytes.length; i++) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}
