// Loads a whole state at once (a genesis, a benchmark's datadir, the trie of a store from before it
// was kept): each storage trie built in bulk as its account arrives, the account trie built in bulk
// at the end from the collected leaves, nodes written in batches. The flat state: accounts with code
// or storage are written as they arrive (with their slots), the rest at the end in address order.
// Memory: the account leaves (about 110 bytes each), the plain accounts' fields, and the largest
// single storage.
import type { Database } from "lmdb";
import type { AccountWrite, StateWrites } from "../../evm/host.js";
import { bigintToBytes, bytesToBigint } from "../../primitives/hex.js";
import { EMPTY_CODE_HASH, keccak256, keccak256Into, keccak256Word } from "../../primitives/keccak.js";
import type { LmdbState } from "../lmdb-state.js";
import { EMPTY_TRIE_ROOT_BYTES } from "../mpt.js";
import { AddressOrderedAccounts } from "./address-ordered-accounts.js";
import { buildTrie, LeafBuffer } from "./bulk-build.js";
import { accountLeafValue, slotLeafValue } from "./leaves.js";
import { nodeKeyOfLeaf, TrieNodeStore } from "./trie-store.js";

export interface BulkAccount {
  nonce: bigint;
  balance: bigint;
  /** The code (omitted or empty: none), or where only its hash is known, `codeHash`. */
  code?: Uint8Array;
  codeHash?: bigint;
}

export interface BulkLoadOptions {
  /** Also write the flat state (false: it is there already, only the trie is built). */
  writeFlatState: boolean;
  /** Accounts per flat-state commit (default 50,000). */
  batch?: number;
}

/** Trie nodes per commit. */
const NODE_BATCH = 200_000;
/** The account trie's owner bytes (a storage trie's: keccak256(address)). */
const ACCOUNT_TRIE_OWNER = new Uint8Array(0);

export class StateBulkLoader {
  private readonly nodes: TrieNodeStore;
  private readonly accounts = new LeafBuffer();
  /** Accounts with code or storage, until written. */
  private writes: StateWrites = new Map();
  private writesSlots = 0;
  /** The other accounts, written at `finish`. */
  private readonly plain = new AddressOrderedAccounts();
  /** Nodes not yet written: their table, key and RLP (parallel arrays). */
  private nodeTables: Database<Uint8Array, Uint8Array>[] = [];
  private nodeKeys: Buffer[] = [];
  private nodeRlps: Uint8Array[] = [];
  private readonly batch: number;
  private readonly slotKey = new Uint8Array(32);
  private readonly slotHash = new Uint8Array(32);

  constructor(
    private readonly lmdb: LmdbState,
    private readonly options: BulkLoadOptions,
  ) {
    this.nodes = new TrieNodeStore(lmdb);
    this.batch = options.batch ?? 50_000;
  }

  /** Empties the trie tables (before a rebuild). */
  clearTrie(): void {
    this.lmdb.commitSync(new Map(), undefined, () => {
      this.nodes.accounts.clearSync();
      this.nodes.storage.clearSync();
      return undefined;
    });
  }

  /** Adds one account (each address once) with its non-zero slots. */
  addAccount(address: bigint, account: BulkAccount, storage: Iterable<readonly [bigint, bigint]>): void {
    const code = account.code !== undefined && account.code.length > 0 ? account.code : undefined;
    const codeHash = code !== undefined ? keccak256Word(code) : (account.codeHash ?? EMPTY_CODE_HASH);
    const owner = keccak256(bigintToBytes(address, 20));
    // Made at the first slot: most accounts have none.
    let slots: LeafBuffer | undefined;
    // A Map without zeros (a genesis account's) is written as it is: a token's 1M slots are not copied.
    let flat = this.options.writeFlatState ? (storage instanceof Map ? storage : new Map<bigint, bigint>()) : undefined;
    for (const [slot, value] of storage) {
      if (value === 0n) {
        if (flat === storage) flat = new Map([...storage].filter(([, v]) => v !== 0n));
        continue;
      }
      slots ??= new LeafBuffer();
      this.slotKey.set(bigintToBytes(slot, 32));
      keccak256Into(this.slotKey, this.slotHash);
      slots.add(this.slotHash, slotLeafValue(value));
      if (flat !== storage) flat?.set(slot, value);
    }
    const storageRoot =
      slots === undefined
        ? EMPTY_TRIE_ROOT_BYTES
        : buildTrie(slots, (leafKey, depth, rlp) => this.emit(this.nodes.storage, owner, leafKey, depth, rlp));
    this.accounts.add(
      owner,
      accountLeafValue({ nonce: account.nonce, balance: account.balance, codeHash }, storageRoot),
    );
    if (flat === undefined) return;
    if (code === undefined && flat.size === 0) {
      this.plain.add(address, account.nonce, account.balance, codeHash);
      return;
    }
    const w: AccountWrite = {
      deleted: false,
      nonce: account.nonce,
      balance: account.balance,
      codeHash,
      storageCleared: false,
      storage: flat,
    };
    if (code !== undefined) w.code = code;
    this.writes.set(address, w);
    this.writesSlots += flat.size;
    if (this.writes.size >= this.batch || this.writesSlots >= this.batch) this.flushState();
  }

  /** Builds the account trie, writes what is left and marks the trie current; returns the state root. */
  finish(): bigint {
    this.flushState();
    // Before the trie is built, which then has their memory (a repeated address fails the build: a
    // genesis load cut short is discarded whole, genesis-load.ts).
    this.plain.writeInOrder(this.batch, (writes) => this.lmdb.commitSync(writes));
    const root = buildTrie(this.accounts, (leafKey, depth, rlp) =>
      this.emit(this.nodes.accounts, ACCOUNT_TRIE_OWNER, leafKey, depth, rlp),
    );
    // Last: it records the state version the flat commits above reached.
    this.flushNodes(true);
    return bytesToBigint(root);
  }

  private emit(
    table: Database<Uint8Array, Uint8Array>,
    owner: Uint8Array,
    leafKey: Uint8Array,
    depth: number,
    rlp: Uint8Array,
  ): void {
    this.nodeTables.push(table);
    this.nodeKeys.push(nodeKeyOfLeaf(owner, leafKey, depth));
    this.nodeRlps.push(rlp);
    if (this.nodeKeys.length >= NODE_BATCH) this.flushNodes(false);
  }

  private flushState(): void {
    if (this.writes.size === 0) return;
    this.lmdb.commitSync(this.writes);
    this.writes = new Map();
    this.writesSlots = 0;
  }

  private flushNodes(last: boolean): void {
    const [tables, keys, rlps] = [this.nodeTables, this.nodeKeys, this.nodeRlps];
    this.nodeTables = [];
    this.nodeKeys = [];
    this.nodeRlps = [];
    this.lmdb.commitSync(new Map(), undefined, () => {
      for (let i = 0; i < keys.length; i++) tables[i]!.putSync(keys[i]!, rlps[i]!);
      if (last) this.nodes.markCurrent();
      return undefined;
    });
  }
}
