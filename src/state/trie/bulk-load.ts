// Loads a whole state at once (a genesis, a benchmark's datadir, the trie of a store from before it
// was kept): each storage trie built in bulk as its account arrives (a storage larger than a batch:
// at the end, beside the account trie), the account trie built in bulk at the end from the leaves
// made where the account records went, nodes written in batches. The flat state goes in as bytes
// (LmdbState.writeRawStateSync): code and storage as they arrive (a storage larger than a batch: at
// the end), each storage in slot order, and the account records in address order (lmdb-js puts in
// key order are far faster), at the end or, in a large load, ACCOUNT_RECORDS_EARLY at a time.
// Memory: the account leaves (about 110 bytes each, on the writer thread in a large load), the
// account records held (about 70 with their storage roots), and the largest single storage. A large
// load's writes are made on a writer thread (bulk-writer.ts).
import { bigintToBytes, bigintToMinimalBytes, bytesToBigint } from "../../primitives/hex.js";
import { EMPTY_CODE_HASH, keccak256, keccak256OfInto, keccak256Word } from "../../primitives/keccak.js";
import { writeRlpString } from "../../primitives/rlp.js";
import { encodeAccountOfMinimal, type LmdbState } from "../lmdb-state.js";
import { EMPTY_TRIE_ROOT_BYTES } from "../mpt.js";
import { AddressOrderedAccounts } from "./address-ordered-accounts.js";
import { buildTrie, DuplicateLeafError, LeafBuffer } from "./bulk-build.js";
import { BulkWriter, nodeRecords, shareSlots, TRIE_STORAGE, writeClaimedSlots } from "./bulk-writer.js";
import { NO_SLOTS, PackedSlots } from "./packed-slots.js";
import { RecordBatch } from "./record-batch.js";
import { TrieNodeStore } from "./trie-store.js";

export interface BulkAccount {
  nonce: bigint;
  balance: bigint;
  /** Where given, the nonce and the balance as minimal big-endian bytes, read instead (no BigInt made). */
  nonceBytes?: Uint8Array;
  balanceBytes?: Uint8Array;
  /** The code (omitted or empty: none), or where only its hash is known, `codeHash`. */
  code?: Uint8Array;
  codeHash?: bigint;
}

export interface BulkLoadOptions {
  /** Also write the flat state (false: it is there already, only the trie is built). */
  writeFlatState: boolean;
  /** Accounts or slots per flat-state commit (default 50,000). */
  batch?: number;
  /** A large load's account records per early write (default ACCOUNT_RECORDS_EARLY). */
  accountBatch?: number;
}

/** An account's code and storage, until written. */
interface PendingContents {
  address: Uint8Array;
  code: { hash: Uint8Array; bytes: Uint8Array } | undefined;
  slots: PackedSlots;
}

/**
 * Account records held, at most, before they go to the writer (sorted, in one transaction): the
 * writer is otherwise idle while accounts without storage are read, and then has none left to write
 * after the account trie. Four sorted batches of 250k into one table took 2.5 s against 2.0 s for
 * one sorted 1M at the end; batches of 50k, 4.9 s (random pages dirtied again per commit).
 */
const ACCOUNT_RECORDS_EARLY = 250_000;
const ADDRESS_BYTES = 20;

export class StateBulkLoader {
  private readonly nodes: TrieNodeStore;
  /** Accounts added so far. */
  private accountCount = 0;
  /** Every account's flat-state record, written at `finish`. */
  private readonly records = new AddressOrderedAccounts();
  private pending: PendingContents[] = [];
  private pendingSlots = 0;
  /** Nodes not yet written, in the tables TRIE_ACCOUNTS and TRIE_STORAGE. */
  private readonly nodeBatch = new RecordBatch();
  private readonly writer: BulkWriter;
  private readonly batch: number;
  private readonly accountBatch: number;
  private readonly slotHash = new Uint8Array(32);
  /**
   * Large storages whose tries wait for `finish` (their accounts' leaves hold no root yet), and
   * their slots with them: the tries are built there on this thread while the writer thread builds
   * the account trie, then the slots are written by both (writeClaimedSlots). Written as they came,
   * a token's million slots kept the writer from the account trie, and this thread waited on it.
   */
  private readonly lateStorages: { index: number; address: Uint8Array; owner: Uint8Array; slots: PackedSlots }[] = [];

  constructor(
    private readonly lmdb: LmdbState,
    private readonly options: BulkLoadOptions,
  ) {
    this.nodes = new TrieNodeStore(lmdb);
    this.writer = new BulkWriter(lmdb, this.nodes);
    this.batch = options.batch ?? 50_000;
    this.accountBatch = options.accountBatch ?? ACCOUNT_RECORDS_EARLY;
  }

  /** Empties the trie tables (before a rebuild). */
  clearTrie(): void {
    this.lmdb.commitSync(new Map(), undefined, () => {
      this.nodes.accounts.clearSync();
      this.nodes.storage.clearSync();
      this.nodes.log.clearSync();
      return undefined;
    });
  }

  /**
   * Adds one account (each address once; as a bigint, or its 20 bytes, not changed afterwards) with
   * its storage: packed (a genesis file's, zeros left out) or slot/value pairs, whose zeros are left
   * out here.
   */
  addAccount(
    address: bigint | Uint8Array,
    account: BulkAccount,
    storage: PackedSlots | Iterable<readonly [bigint, bigint]>,
  ): void {
    const code = account.code !== undefined && account.code.length > 0 ? account.code : undefined;
    const codeHash = code !== undefined ? keccak256Word(code) : (account.codeHash ?? EMPTY_CODE_HASH);
    // Bytes are kept (an account with code or storage holds them until they are written).
    const addressBytes = typeof address === "bigint" ? bigintToBytes(address, ADDRESS_BYTES) : address;
    const slots = storage instanceof PackedSlots ? storage : PackedSlots.fromEntries(storage);
    if (!slots.sortByKey()) throw new Error("storage names a slot twice");
    let storageRoot = EMPTY_TRIE_ROOT_BYTES;
    if (slots.count > 0) {
      const owner = keccak256(addressBytes);
      if (this.options.writeFlatState && slots.count >= this.batch) {
        this.writer.startThread();
        this.lateStorages.push({ index: this.accountCount, address: addressBytes, owner, slots });
      } else storageRoot = this.buildStorageTrie(owner, slots, this.flushNodes);
    }
    // The leaf is made from the record and the storage root where the record goes (bulk-writer.ts).
    const nonce = account.nonceBytes ?? bigintToMinimalBytes(account.nonce);
    const balance = account.balanceBytes ?? bigintToMinimalBytes(account.balance);
    this.records.add(addressBytes, encodeAccountOfMinimal(nonce, balance, codeHash), storageRoot);
    this.accountCount++;
    if (this.records.size >= this.accountBatch) {
      this.writer.startThread();
      this.writeRecords(this.records.size);
    }
    // A late storage's slots are written at `finish`.
    const pendingSlots = slots.count >= this.batch ? NO_SLOTS : slots;
    if (!this.options.writeFlatState || (code === undefined && pendingSlots.count === 0)) return;
    this.pending.push({
      address: addressBytes,
      code: code === undefined ? undefined : { hash: bigintToBytes(codeHash, 32), bytes: code },
      slots: pendingSlots,
    });
    this.pendingSlots += 1 + pendingSlots.count;
    if (this.pendingSlots >= this.batch) {
      this.writer.startThread();
      this.flushContents();
    }
  }

  /** Builds the account trie, writes what is left and marks the trie current; returns the state root. */
  finish(): bigint {
    if (this.records.size > this.batch) this.writer.startThread();
    this.flushContents();
    // Before the trie is built, which then has their memory (a repeated address fails here or in
    // the build: a genesis load cut short is discarded whole, genesis-load.ts).
    this.writeRecords(this.batch);
    // The account trie is built where the records went (the writer thread in a large load), all but
    // the paths to the accounts whose storage tries are built here meanwhile; then their roots go over.
    this.writer.startAccountTrie(this.lateStorages.map((late) => late.index));
    const roots = new Uint8Array(32 * this.lateStorages.length);
    // Their slots are written by both threads, each once its trie is built (writeClaimedSlots).
    const shared = this.lateStorages.map(({ address, slots }) => shareSlots(address, slots, this.batch));
    for (const slots of shared) this.writer.writeClaimedSlots(slots);
    // Their nodes are written from here, while the writer thread hashes the account trie; the puts
    // left to it would otherwise wait until it is done.
    const writeHere = () => this.writer.writeNodesHere(this.nodeBatch);
    for (const [i, { owner, slots }] of this.lateStorages.entries()) {
      roots.set(this.buildStorageTrie(owner, slots, writeHere), i * 32);
    }
    writeHere();
    for (const slots of shared) writeClaimedSlots(this.lmdb, slots);
    // Last: it records the state version the flat commits above reached.
    return bytesToBigint(this.writer.endAccountTrie(roots));
  }

  /** Gives the load up (bad input): what is not yet written is dropped. */
  abandon(): void {
    this.writer.abandon();
  }

  /** Writes the records held (in address order, `batch` per transaction) and forgets them. */
  private writeRecords(batch: number): void {
    // The records since the last write were added with the last `size` accounts.
    const first = this.accountCount - this.records.size;
    let taken: ReturnType<AddressOrderedAccounts["take"]>;
    try {
      taken = this.records.take();
    } catch (e) {
      throw e instanceof DuplicateLeafError ? new DuplicateLeafError(first + e.index) : e;
    }
    if (taken.order.length > 0) {
      this.writer.writeAccounts(taken.records, taken.order, taken.storageRoots, batch, this.options.writeFlatState);
    }
  }

  /** Hands the nodes built to the writer. */
  private readonly flushNodes = () => {
    this.writer.startThread();
    this.writer.writeNodes(this.nodeBatch, false);
  };

  /** The storage trie of `slots` (sorted, none zero): its nodes emitted (`flush` when the batch is full), its root returned. */
  private buildStorageTrie(owner: Uint8Array, slots: PackedSlots, flush: () => void): Uint8Array {
    // A slot's leaf value is at most 33 bytes (a 32-byte string).
    const leaves = new LeafBuffer(32, slots.count, 33);
    // Each leaf's value written into one scratch buffer, each key hashed where it lies (a token's
    // million slots: no arrays made per slot).
    const value = new Uint8Array(33);
    for (let i = 0; i < slots.count; i++) {
      keccak256OfInto(slots.keys, i * 32, 32, this.slotHash, 0);
      leaves.add(this.slotHash, value.subarray(0, writeRlpString(value, 0, slots.minimalValue(i))));
    }
    return buildTrie(leaves, nodeRecords(this.nodeBatch, TRIE_STORAGE, owner, flush));
  }

  /** Writes the pending code and storage, about `batch` slots per transaction, each storage in slot order. */
  private flushContents(): void {
    const pending = this.pending;
    this.pending = [];
    this.pendingSlots = 0;
    const key = new Uint8Array(ADDRESS_BYTES + 32);
    let next = 0;
    let slot = 0;
    while (next < pending.length) {
      this.writer.writeRawStateSync((tables) => {
        for (let room = this.batch; room > 0 && next < pending.length; ) {
          const { address, code, slots } = pending[next]!;
          if (slot === 0 && code !== undefined) tables.code(code.hash, code.bytes);
          key.set(address, 0);
          const end = Math.min(slots.count, slot + room);
          room -= 1 + end - slot;
          for (; slot < end; slot++) {
            key.set(slots.key(slot), ADDRESS_BYTES);
            tables.slot(key, slots.minimalValue(slot));
          }
          if (slot === slots.count) {
            next++;
            slot = 0;
          }
        }
      });
    }
  }
}
