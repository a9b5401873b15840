// The per-transaction view of state the interpreter works on: accounts and slots loaded from the Host
// on first use, every change recorded so a failed call frame rolls back exactly what it did.
// At the end of the transaction `writes()` yields the net changes; the Host itself is never written.
import { EMPTY_CODE_HASH } from "../primitives/keccak.js";
import type { AnalyzedCode } from "./analysis.js";
import {
  type AccountWrite,
  deletedAccountWrite,
  type Host,
  type Log,
  NO_STORAGE_WRITES,
  type StateWrites,
} from "./host.js";
import { isPrecompile } from "./params.js";

const EMPTY_BYTES = new Uint8Array(0);
// Typed as writable so the fields need no casts; nothing writes to these two (see slot() and warmSlot()).
const NO_SLOTS = new Map<bigint, Slot>();
const NO_WARM_SLOTS = new Set<bigint>();

export interface Slot {
  /** The slot's key (so the account's slots can be walked by value, without an entry array each). */
  readonly key: bigint;
  /** Value at the start of the transaction (0 for an account created in it). */
  original: bigint;
  current: bigint;
  /** EIP-2929: accessed in this transaction (so SLOAD and SSTORE need no second lookup to know). */
  warm: boolean;
}

export class JournaledAccount {
  exists: boolean;
  nonce: bigint;
  balance: bigint;
  codeHash: bigint;
  /** Loaded on first use. */
  code: Uint8Array | undefined;
  /** Slots read or written; NO_SLOTS (shared, never written) until the first, as most accounts have none. */
  storage: Map<bigint, Slot> = NO_SLOTS;
  /** Storage from the Host no longer applies (the account was created or destroyed in this transaction). */
  storageCleared = false;
  /** Created in this transaction (EIP-6780 self-destruct rule). */
  created = false;
  selfDestructed = false;
  /**
   * EIP-2929 warm slots that have no Slot in `storage` to carry the flag: warmed by the access list
   * before they were read, or kept when the account's storage was reset (created or destroyed) while
   * the transaction's warm set survives it. NO_WARM_SLOTS (shared, never written) until the first.
   */
  warmSlots: Set<bigint> = NO_WARM_SLOTS;
  /**
   * EIP-2929: the address is warm. Kept here once the account is loaded (a call's access check and its
   * account lookup are then one lookup); the journal keeps addresses warmed before that in a set.
   */
  warm = false;
  /** `code` analysed, once a call ran it (no analysis-cache lookup per call); cleared whenever the code changes. */
  analyzed: AnalyzedCode | undefined = undefined;
  readonly originalExists: boolean;
  readonly originalNonce: bigint;
  readonly originalBalance: bigint;
  readonly originalCodeHash: bigint;

  constructor(
    readonly address: bigint,
    exists: boolean,
    nonce: bigint,
    balance: bigint,
    codeHash: bigint,
  ) {
    this.exists = this.originalExists = exists;
    this.nonce = this.originalNonce = nonce;
    this.balance = this.originalBalance = balance;
    this.codeHash = this.originalCodeHash = codeHash;
    this.code = codeHash === EMPTY_CODE_HASH ? EMPTY_BYTES : undefined;
  }

  isEmpty(): boolean {
    return this.nonce === 0n && this.balance === 0n && this.codeHash === EMPTY_CODE_HASH;
  }

  /** EIP-161 "alive": exists and not empty. */
  isAlive(): boolean {
    return this.exists && !this.isEmpty();
  }
}

interface AccountSnapshot {
  account: JournaledAccount;
  exists: boolean;
  nonce: bigint;
  balance: bigint;
  codeHash: bigint;
  code: Uint8Array | undefined;
  storage: Map<bigint, Slot>;
  storageCleared: boolean;
  created: boolean;
}

enum Change {
  WarmAddress,
  WarmSlot,
  WarmSlotKey,
  Balance,
  Nonce,
  Storage,
  Transient,
  Snapshot,
  SelfDestruct,
}

/** Slots per journal entry in the journal's flat array: its Change, a target, a word, a key. */
const ENTRY_SIZE = 4;
/** Slots per checkpoint in the journal's `checkpoints`: the journal's length, the logs' length, the refund. */
const CHECKPOINT_SIZE = 3;

/**
 * What each kind of entry keeps after its Change (a target, a word, a key): WarmAddress: -, the
 * address, -. WarmSlot: the Slot, -, -. WarmSlotKey: the account, the key, -. Balance, Nonce: the
 * account, the previous value, -. Storage: the Slot, the previous value, -. Transient: the address's
 * transient slots, the previous value, the key. Snapshot: the AccountSnapshot, -, -. SelfDestruct:
 * the account, -, -.
 */
type EntryTarget = Slot | JournaledAccount | AccountSnapshot | Map<bigint, bigint> | undefined;

/**
 * A checkpoint is the call depth of its frame: the journal keeps each depth's lengths and refund in
 * flat arrays (frames at one depth never overlap, and a frame's checkpoint is settled before the next
 * frame at its depth starts).
 */
export type Checkpoint = number;

export class Journal {
  readonly accounts = new Map<bigint, JournaledAccount>();
  /** Warm addresses whose account is not loaded (a loaded account carries its own `warm`). */
  private readonly warmAddresses = new Set<bigint>();
  /** Transient storage by address (EIP-1153); made on its first write, as most transactions have none. */
  private transient: Map<bigint, Map<bigint, bigint>> | undefined = undefined;
  /** The journal: ENTRY_SIZE slots an entry (see EntryTarget), no object each; reverted by truncating it. */
  private readonly entries: (Change | EntryTarget | bigint)[] = [];
  /**
   * Per checkpoint (call depth), CHECKPOINT_SIZE slots: the journal's and the logs' lengths, and the
   * refund, when it was taken. One array for the three (one allocation per transaction, not three).
   */
  private readonly checkpoints: number[] = [];
  /** Whether any account was marked self-destructed (processTransaction's end looks for them only then). */
  anySelfDestructed = false;
  /** The account last looked up: a call's access check, its account and its frame's account are one lookup. */
  private lastAccount: JournaledAccount | undefined = undefined;
  logs: Log[] = [];
  /** EIP-3529 refund counter; may dip below zero inside a transaction. */
  refund = 0;

  constructor(readonly host: Host) {}

  private push(kind: Change, target: EntryTarget, word: bigint, key: bigint): void {
    this.entries.push(kind, target, word, key);
  }

  account(address: bigint): JournaledAccount {
    const last = this.lastAccount;
    if (last !== undefined && last.address === address) return last;
    let account = this.accounts.get(address);
    if (account === undefined) {
      const info = this.host.account(address);
      account =
        info === undefined
          ? new JournaledAccount(address, false, 0n, 0n, EMPTY_CODE_HASH)
          : new JournaledAccount(address, true, info.nonce, info.balance, info.codeHash);
      if (this.warmAddresses.size !== 0 && this.warmAddresses.has(address)) account.warm = true;
      this.accounts.set(address, account);
    }
    this.lastAccount = account;
    return account;
  }

  /** The account at `address` where it is loaded already, without loading it. */
  private loaded(address: bigint): JournaledAccount | undefined {
    const last = this.lastAccount;
    if (last !== undefined && last.address === address) return last;
    const account = this.accounts.get(address);
    // A call's access check comes first: the callee's lookup that follows is then no second one.
    if (account !== undefined) this.lastAccount = account;
    return account;
  }

  code(account: JournaledAccount): Uint8Array {
    let code = account.code;
    if (code === undefined) {
      code = this.host.code(account.address);
      account.code = code;
    }
    return code;
  }

  // --- access lists (EIP-2929) ---

  isWarmAddress(address: bigint): boolean {
    const account = this.loaded(address);
    return (account !== undefined ? account.warm : this.warmAddresses.has(address)) || isPrecompile(address);
  }

  /** Marks `address` warm; returns whether it was cold. */
  warmAddress(address: bigint): boolean {
    const account = this.loaded(address);
    if (account !== undefined) {
      if (account.warm || isPrecompile(address)) return false;
      account.warm = true;
    } else {
      if (this.warmAddresses.has(address) || isPrecompile(address)) return false;
      this.warmAddresses.add(address);
    }
    this.push(Change.WarmAddress, undefined, address, 0n);
    return true;
  }

  /** Marks a loaded slot warm; returns whether it was cold. */
  warmSlot(slot: Slot): boolean {
    if (slot.warm) return false;
    slot.warm = true;
    this.push(Change.WarmSlot, slot, 0n, 0n);
    return true;
  }

  /** Marks the slot at `key` warm without loading it (an access list's keys). */
  warmSlotKey(account: JournaledAccount, key: bigint): void {
    const slot = account.storage.get(key);
    if (slot !== undefined) {
      this.warmSlot(slot);
      return;
    }
    this.addWarmKey(account, key);
  }

  private addWarmKey(account: JournaledAccount, key: bigint): void {
    let warm = account.warmSlots;
    if (warm.has(key)) return;
    if (warm === NO_WARM_SLOTS) {
      warm = new Set();
      account.warmSlots = warm;
    }
    warm.add(key);
    this.push(Change.WarmSlotKey, account, key, 0n);
  }

  /** Before the account's storage is replaced: its warm slots stay warm (the warm set is per transaction). */
  private keepWarmKeys(account: JournaledAccount): void {
    for (const [key, slot] of account.storage) if (slot.warm) this.addWarmKey(account, key);
  }

  // --- storage ---

  slot(account: JournaledAccount, key: bigint): Slot {
    return account.storage.get(key) ?? this.loadSlot(account, key);
  }

  /** Loads the slot at `key`, which the caller found not loaded yet (SLOAD looked already). */
  loadSlot(account: JournaledAccount, key: bigint): Slot {
    const value = account.storageCleared ? 0n : this.host.storage(account.address, key);
    const slot: Slot = { key, original: value, current: value, warm: account.warmSlots.has(key) };
    if (account.storage === NO_SLOTS) account.storage = new Map();
    account.storage.set(key, slot);
    return slot;
  }

  /** Writes a slot loaded with `slot()`. */
  setSlot(slot: Slot, value: bigint): void {
    if (slot.current === value) return;
    this.push(Change.Storage, slot, slot.current, 0n);
    slot.current = value;
  }

  setStorage(account: JournaledAccount, key: bigint, value: bigint): void {
    this.setSlot(this.slot(account, key), value);
  }

  hasStorage(account: JournaledAccount): boolean {
    for (const slot of account.storage.values()) if (slot.current !== 0n) return true;
    return !account.storageCleared && this.host.hasStorage(account.address);
  }

  getTransient(address: bigint, key: bigint): bigint {
    return this.transient?.get(address)?.get(key) ?? 0n;
  }

  setTransient(address: bigint, key: bigint, value: bigint): void {
    let transient = this.transient;
    if (transient === undefined) {
      transient = new Map();
      this.transient = transient;
    }
    let slots = transient.get(address);
    if (slots === undefined) {
      slots = new Map();
      transient.set(address, slots);
    }
    const previous = slots.get(key) ?? 0n;
    if (previous === value) return;
    this.push(Change.Transient, slots, previous, key);
    slots.set(key, value);
  }

  // --- accounts (each modification follows execution-specs' modify_state: an account left empty is destroyed) ---

  private snapshot(account: JournaledAccount): void {
    const snapshot: AccountSnapshot = {
      account,
      exists: account.exists,
      nonce: account.nonce,
      balance: account.balance,
      codeHash: account.codeHash,
      code: account.code,
      storage: account.storage,
      storageCleared: account.storageCleared,
      created: account.created,
    };
    this.push(Change.Snapshot, snapshot, 0n, 0n);
  }

  private ensureExists(account: JournaledAccount): void {
    if (account.exists) return;
    this.snapshot(account);
    account.exists = true;
  }

  private destroyIfEmpty(account: JournaledAccount): void {
    if (account.exists && account.isEmpty()) this.destroy(account);
  }

  destroy(account: JournaledAccount): void {
    this.keepWarmKeys(account);
    this.snapshot(account);
    account.exists = false;
    account.nonce = 0n;
    account.balance = 0n;
    account.codeHash = EMPTY_CODE_HASH;
    account.code = EMPTY_BYTES;
    account.analyzed = undefined;
    account.storage = NO_SLOTS;
    account.storageCleared = true;
  }

  setBalance(account: JournaledAccount, balance: bigint): void {
    this.ensureExists(account);
    if (account.balance !== balance) {
      this.push(Change.Balance, account, account.balance, 0n);
      account.balance = balance;
    }
    this.destroyIfEmpty(account);
  }

  /** Moves `amount` (the caller checked the sender can pay). */
  transfer(from: JournaledAccount, to: JournaledAccount, amount: bigint): void {
    this.setBalance(from, from.balance - amount);
    this.setBalance(to, to.balance + amount);
  }

  incrementNonce(account: JournaledAccount): void {
    this.ensureExists(account);
    this.push(Change.Nonce, account, account.nonce, 0n);
    account.nonce += 1n;
  }

  /** Start of a contract creation at `account`: storage wiped, marked created (EIP-6780). */
  markCreated(account: JournaledAccount): void {
    this.keepWarmKeys(account);
    this.snapshot(account);
    account.exists = true;
    account.storage = NO_SLOTS;
    account.storageCleared = true;
    account.created = true;
  }

  setCode(account: JournaledAccount, code: Uint8Array, codeHash: bigint): void {
    this.snapshot(account);
    account.exists = true;
    account.code = code;
    account.codeHash = codeHash;
    account.analyzed = undefined;
    this.destroyIfEmpty(account);
  }

  markSelfDestructed(account: JournaledAccount): void {
    if (account.selfDestructed) return;
    account.selfDestructed = true;
    this.anySelfDestructed = true;
    this.push(Change.SelfDestruct, account, 0n, 0n);
  }

  addLog(log: Log): void {
    this.logs.push(log);
  }

  // --- checkpoints ---

  /** A checkpoint for the frame at `depth` (see Checkpoint). */
  checkpoint(depth: number): Checkpoint {
    const checkpoints = this.checkpoints;
    const at = depth * CHECKPOINT_SIZE;
    if (at === checkpoints.length) {
      checkpoints.push(this.entries.length, this.logs.length, this.refund);
    } else {
      checkpoints[at] = this.entries.length;
      checkpoints[at + 1] = this.logs.length;
      checkpoints[at + 2] = this.refund;
    }
    return depth;
  }

  revert(checkpoint: Checkpoint): void {
    const at = checkpoint * CHECKPOINT_SIZE;
    const length = this.checkpoints[at]!;
    const entries = this.entries;
    for (let i = entries.length - ENTRY_SIZE; i >= length; i -= ENTRY_SIZE) {
      const target = entries[i + 1];
      const word = entries[i + 2] as bigint;
      switch (entries[i] as Change) {
        case Change.WarmAddress: {
          this.warmAddresses.delete(word);
          const account = this.loaded(word);
          if (account !== undefined) account.warm = false;
          break;
        }
        case Change.WarmSlot:
          (target as Slot).warm = false;
          break;
        case Change.WarmSlotKey:
          (target as JournaledAccount).warmSlots.delete(word);
          break;
        case Change.Balance:
          (target as JournaledAccount).balance = word;
          break;
        case Change.Nonce:
          (target as JournaledAccount).nonce = word;
          break;
        case Change.Storage:
          (target as Slot).current = word;
          break;
        case Change.Transient:
          (target as Map<bigint, bigint>).set(entries[i + 3] as bigint, word);
          break;
        case Change.Snapshot: {
          const s = target as AccountSnapshot;
          const a = s.account;
          a.exists = s.exists;
          a.nonce = s.nonce;
          a.balance = s.balance;
          a.codeHash = s.codeHash;
          a.code = s.code;
          a.analyzed = undefined;
          a.storage = s.storage;
          a.storageCleared = s.storageCleared;
          a.created = s.created;
          break;
        }
        case Change.SelfDestruct:
          (target as JournaledAccount).selfDestructed = false;
          break;
      }
    }
    entries.length = length;
    this.logs.length = this.checkpoints[at + 1]!;
    this.refund = this.checkpoints[at + 2]!;
  }

  /** The net effect of the transaction on every account it changed. */
  writes(): StateWrites {
    const writes: StateWrites = new Map();
    for (const account of this.accounts.values()) {
      if (!account.exists) {
        if (account.originalExists) writes.set(account.address, deletedAccountWrite());
        continue;
      }
      // Most written accounts change no slot: they share one empty map (see NO_STORAGE_WRITES).
      let storage = NO_STORAGE_WRITES;
      const cleared = account.storageCleared;
      for (const slot of account.storage.values()) {
        if (cleared ? slot.current !== 0n : slot.current !== slot.original) {
          if (storage === NO_STORAGE_WRITES) storage = new Map();
          storage.set(slot.key, slot.current);
        }
      }
      const fieldsChanged =
        !account.originalExists ||
        account.nonce !== account.originalNonce ||
        account.balance !== account.originalBalance ||
        account.codeHash !== account.originalCodeHash;
      if (!fieldsChanged && !account.storageCleared && storage.size === 0) continue;
      const write: AccountWrite = {
        deleted: false,
        nonce: account.nonce,
        balance: account.balance,
        codeHash: account.codeHash,
        storageCleared: account.storageCleared,
        storage,
      };
      if (account.codeHash !== account.originalCodeHash && account.code !== undefined) write.code = account.code;
      if (!fieldsChanged) write.storageOnly = true;
      writes.set(account.address, write);
    }
    return writes;
  }
}
