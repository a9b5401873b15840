// A Host over a base state plus the net writes of the block so far: what the sequential executor runs
// each transaction against, and where both executors merge a block's writes. Reads answer exactly as
// the base state would after `MemoryState.applyWrites` of the same writes, one transaction at a time.
import {
  type AccountInfo,
  type AccountWrite,
  deletedAccountWrite,
  type Host,
  NO_STORAGE_WRITES,
  type StateWrites,
} from "../../evm/host.js";
import { creditFee } from "./coinbase.js";

const EMPTY = new Uint8Array(0);

export class BlockOverlay implements Host {
  /** The net writes so far; entries are owned here (never a transaction's own objects). */
  readonly writes: StateWrites = new Map();
  /**
   * How many times an account's write in `writes` was replaced by another object (a deletion, a
   * re-creation, a clear): while it stays the same, a storage map `storageToMerge` gave is still the
   * one in `writes` (a caller may keep it, instead of looking the address up again).
   */
  replaced = 0;
  // The last address looked up in `writes` and what it held (a contract's slots are read one after
  // another: one BigInt comparison instead of a lookup in a map of the whole block's accounts each).
  // Every `writes.set` below goes through `setWrite`, which keeps the pair current.
  private lastAddress = -1n;
  private lastWrite: AccountWrite | undefined = undefined;

  constructor(readonly base: Host) {}

  /** The block's write to `address`, if any (see lastAddress). */
  private writeOf(address: bigint): AccountWrite | undefined {
    if (address === this.lastAddress) return this.lastWrite;
    const w = this.writes.get(address);
    this.lastAddress = address;
    this.lastWrite = w;
    return w;
  }

  private setWrite(address: bigint, w: AccountWrite): void {
    this.writes.set(address, w);
    if (address === this.lastAddress) this.lastWrite = w;
  }

  account(address: bigint): AccountInfo | undefined {
    const w = this.writeOf(address);
    if (w === undefined) return this.base.account(address);
    return w.deleted ? undefined : { nonce: w.nonce, balance: w.balance, codeHash: w.codeHash };
  }

  code(address: bigint): Uint8Array {
    const w = this.writeOf(address);
    if (w === undefined) return this.base.code(address);
    if (w.deleted) return EMPTY;
    // Without `code` the code hash never changed here (a re-creation after deletion sets it): base code.
    return w.code ?? this.base.code(address);
  }

  storage(address: bigint, slot: bigint): bigint {
    const w = this.writeOf(address);
    if (w === undefined) return this.base.storage(address, slot);
    const value = w.storage.get(slot);
    if (value !== undefined) return value;
    return w.storageCleared ? 0n : this.base.storage(address, slot);
  }

  hasStorage(address: bigint): boolean {
    const w = this.writeOf(address);
    if (w === undefined) return this.base.hasStorage(address);
    for (const value of w.storage.values()) if (value !== 0n) return true;
    // Not exact only if the block zeroed every base slot of an account it never cleared; that needs
    // the account's own code to run, and an account with code never reaches this (creation collides
    // on its code hash first).
    return !w.storageCleared && this.base.hasStorage(address);
  }

  blockHash(number: bigint): bigint {
    return this.base.blockHash(number);
  }

  /**
   * Merges one transaction's writes (the transaction ran against this overlay). With `adopt`, the
   * caller hands its write objects over (it never uses them again): a write to an account the block
   * has not written yet is kept as is, and may be changed in place by later ones, instead of copied.
   */
  apply(writes: StateWrites, adopt = false): void {
    for (const [address, w] of writes) this.applyAccount(address, w, adopt);
  }

  /** One account's write of a transaction (see `apply`). */
  applyAccount(address: bigint, w: AccountWrite, adopt = false): void {
    const prev = this.writeOf(address);
    if (w.deleted) {
      if (prev !== undefined) this.replaced++;
      this.setWrite(address, deletedAccountWrite());
    } else if (prev === undefined) {
      // An adopted write must look exactly like a copy: no `storageOnly` (copies drop it).
      const next = adopt && w.storageOnly === undefined ? w : copyWrite(w, w.code);
      if (w.storageOnly === true) this.keepAccountFields(address, next);
      this.setWrite(address, next);
    } else if (prev.deleted) {
      // Deleted, then created again: wipe the base's storage and code, whatever this write says.
      const next = copyWrite(w, w.code ?? EMPTY);
      next.storageCleared = true;
      this.replaced++;
      this.setWrite(address, next);
    } else if (w.storageCleared) {
      this.replaced++;
      this.setWrite(address, copyWrite(w, w.code ?? prev.code));
    } else {
      if (w.storageOnly !== true) {
        prev.nonce = w.nonce;
        prev.balance = w.balance;
        prev.codeHash = w.codeHash;
      }
      if (w.code !== undefined) prev.code = w.code;
      if (w.storage.size !== 0) {
        const storage = ownStorage(prev);
        for (const [slot, value] of w.storage) storage.set(slot, value);
      }
    }
  }

  /**
   * Where a write that changes only slots of `address` (no clear) may set them directly: the
   * storage of the block's write to it, if there is one and it is not a deletion (what `apply` merges
   * such a write into); else undefined.
   */
  storageToMerge(address: bigint): Map<bigint, bigint> | undefined {
    const prev = this.writes.get(address);
    return prev === undefined || prev.deleted ? undefined : ownStorage(prev);
  }

  /**
   * A storage-only write leaves the account's fields as they were, which with no earlier write in
   * the block are the base's (Block-STM's writes, read back from its memory, do not carry them).
   */
  private keepAccountFields(address: bigint, w: AccountWrite): void {
    const info = this.base.account(address);
    if (info === undefined) return;
    w.nonce = info.nonce;
    w.balance = info.balance;
    w.codeHash = info.codeHash;
  }

  /** Credits a deferred coinbase fee: the same write processTransaction would have made. */
  creditCoinbase(coinbase: bigint, fee: bigint): void {
    if (fee === 0n) return;
    const prev = this.writes.get(coinbase);
    if (prev !== undefined && !prev.deleted) {
      // What `apply` does with the write below: only the balance changes.
      prev.balance += fee;
      return;
    }
    const next = creditFee(this.account(coinbase), fee)!;
    const write: AccountWrite = {
      deleted: false,
      nonce: next.nonce,
      balance: next.balance,
      codeHash: next.codeHash,
      storageCleared: false,
      storage: NO_STORAGE_WRITES,
    };
    this.apply(new Map([[coinbase, write]]));
  }
}

/** The write's storage map, made its own first where it is the shared NO_STORAGE_WRITES (to merge into). */
function ownStorage(w: AccountWrite): Map<bigint, bigint> {
  let storage = w.storage;
  if (storage === NO_STORAGE_WRITES) {
    storage = new Map();
    w.storage = storage;
  }
  return storage;
}

function copyWrite(w: AccountWrite, code: Uint8Array | undefined): AccountWrite {
  const copy: AccountWrite = {
    deleted: false,
    nonce: w.nonce,
    balance: w.balance,
    codeHash: w.codeHash,
    storageCleared: w.storageCleared,
    storage: w.storage.size === 0 ? NO_STORAGE_WRITES : new Map(w.storage),
  };
  if (code !== undefined) copy.code = code;
  return copy;
}
