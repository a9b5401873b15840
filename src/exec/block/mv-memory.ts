// Block-STM's multi-version memory: for every location, the value each transaction's latest
// incarnation wrote there. Locations: an account (nonce, balance, code hash, existence), one storage
// slot, and an account's storage "clear" (created, re-created or deleted: every slot reads 0 from
// that transaction on). The coinbase's account location also holds deferred fees as deltas, which a
// read adds onto the latest absolute value below it: such a read depends on every one of those fees.
//
// Everything stored is plain data keyed by bigints (no closures), so that the same layout can move to
// a SharedArrayBuffer when worker threads come.
import type { AccountInfo, Host, StateWrites } from "../../evm/host.js";
import { creditFee } from "./coinbase.js";

/** A read met an ESTIMATE: the reading incarnation depends on transaction `txIndex`. */
export class ReadBlocked extends Error {
  constructor(readonly txIndex: number) {
    super(`read blocked by transaction ${txIndex}`);
    this.name = "ReadBlocked";
  }
}

/** An absolute account (undefined: deleted) or, at the coinbase only, a deferred fee. */
export type AccountValue = { delta: false; info: AccountInfo | undefined } | { delta: true; fee: bigint };

interface Entry<V> {
  incarnation: number;
  /** The writing incarnation was aborted: a reader must wait for the next one. */
  estimate: boolean;
  value: V;
}

/** The versions of one location, sorted by transaction index. */
interface Cell<V> {
  txs: number[];
  entries: Entry<V>[];
}

export enum ReadKind {
  Account = 0,
  Slot = 1,
  Clear = 2,
  HasStorage = 3,
}

/**
 * One read of a transaction's incarnation, with what it observed: versions as (tx, incarnation)
 * (tx -1 or no versions: the base state). `hasStorage` depends on every slot of the account, so it
 * is validated by its value instead.
 */
export type Read =
  | { kind: ReadKind.Account; address: bigint; versions: number[] }
  | { kind: ReadKind.Slot | ReadKind.Clear; address: bigint; slot: bigint; tx: number; incarnation: number }
  | { kind: ReadKind.HasStorage; address: bigint; value: boolean };

/** Position of the highest version below `txIndex`, or -1. */
function below<V>(cell: Cell<V>, txIndex: number): number {
  let lo = 0;
  let hi = cell.txs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cell.txs[mid]! < txIndex) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Like `below`, but an ESTIMATE there blocks the read. */
function latest<V>(cell: Cell<V> | undefined, txIndex: number): number {
  if (cell === undefined) return -1;
  const pos = below(cell, txIndex);
  if (pos >= 0 && cell.entries[pos]!.estimate) throw new ReadBlocked(cell.txs[pos]!);
  return pos;
}

function at<V>(cell: Cell<V>, txIndex: number): Entry<V> | undefined {
  const pos = below(cell, txIndex + 1);
  return pos >= 0 && cell.txs[pos] === txIndex ? cell.entries[pos] : undefined;
}

/** Writes a version; returns whether the transaction had none here (a new location). */
function put<V>(cell: Cell<V>, txIndex: number, incarnation: number, value: V): boolean {
  const pos = below(cell, txIndex) + 1;
  if (cell.txs[pos] === txIndex) {
    const entry = cell.entries[pos]!;
    entry.incarnation = incarnation;
    entry.estimate = false;
    entry.value = value;
    return false;
  }
  const entry: Entry<V> = { incarnation, estimate: false, value };
  if (pos === cell.txs.length) {
    // The common case (transactions record roughly in order): no splice, no array of removed items.
    cell.txs.push(txIndex);
    cell.entries.push(entry);
  } else {
    cell.txs.splice(pos, 0, txIndex);
    cell.entries.splice(pos, 0, entry);
  }
  return true;
}

function remove<V>(cell: Cell<V>, txIndex: number): void {
  const pos = below(cell, txIndex + 1);
  if (pos >= 0 && cell.txs[pos] === txIndex) {
    cell.txs.splice(pos, 1);
    cell.entries.splice(pos, 1);
  }
}

/**
 * Writes a version at `key`'s cell (created holding just this version: exact-size arrays, not the
 * spare capacity a first push leaves), appends the cell to `written`; returns whether it is new.
 */
function putIn<K, V>(
  map: Map<K, Cell<V>>,
  key: K,
  txIndex: number,
  incarnation: number,
  value: V,
  written: Cell<unknown>[],
): boolean {
  const cell = map.get(key);
  if (cell === undefined) {
    const created: Cell<V> = { txs: [txIndex], entries: [{ incarnation, estimate: false, value }] };
    map.set(key, created);
    written.push(created);
    return true;
  }
  written.push(cell);
  return put(cell, txIndex, incarnation, value);
}

export class MVMemory {
  private readonly accounts = new Map<bigint, Cell<AccountValue>>();
  private readonly slots = new Map<bigint, Map<bigint, Cell<bigint>>>();
  private readonly clears = new Map<bigint, Cell<true>>();
  /** Code written in this block by its hash: content-addressed, so an aborted writer leaves nothing wrong. */
  readonly codes = new Map<bigint, Uint8Array>();
  /**
   * Per transaction: the cells its last recorded incarnation wrote (cells are never dropped from
   * their maps, so a reference stays the location's), and what it read.
   */
  private readonly written: Cell<unknown>[][];
  private readonly readSets: Read[][];

  constructor(
    size: number,
    readonly base: Host,
    readonly coinbase: bigint,
  ) {
    this.written = new Array(size);
    this.readSets = new Array(size);
    for (let i = 0; i < size; i++) {
      this.written[i] = NONE;
      this.readSets[i] = NO_READS;
    }
  }

  // --- writes ---

  /**
   * Publishes an incarnation's writes (and its deferred coinbase fee) and read set; drops what the
   * previous incarnation wrote and this one did not. Returns whether it wrote a location the previous
   * incarnation had not (then later transactions must be validated again).
   */
  record(
    txIndex: number,
    incarnation: number,
    reads: Read[],
    writes: StateWrites,
    coinbaseFee: bigint | undefined,
  ): boolean {
    const locations: Cell<unknown>[] = [];
    let wroteNew = false;
    for (const [address, w] of writes) {
      // A write that changed only storage leaves the account location alone: otherwise every call to a
      // contract whose storage changes would depend on the call before it.
      if (w.storageOnly !== true) {
        const info = w.deleted ? undefined : { nonce: w.nonce, balance: w.balance, codeHash: w.codeHash };
        wroteNew = putIn(this.accounts, address, txIndex, incarnation, { delta: false, info }, locations) || wroteNew;
      }
      if (w.code !== undefined) this.codes.set(w.codeHash, w.code);
      if (w.storageCleared) {
        wroteNew = putIn(this.clears, address, txIndex, incarnation, true as const, locations) || wroteNew;
      }
      if (w.storage.size > 0) {
        let cells = this.slots.get(address);
        if (cells === undefined) this.slots.set(address, (cells = new Map()));
        for (const [slot, value] of w.storage) {
          wroteNew = putIn(cells, slot, txIndex, incarnation, value, locations) || wroteNew;
        }
      }
    }
    // A zero fee changes nothing (canDeferFees rules out the one case where it would).
    if (coinbaseFee !== undefined && coinbaseFee !== 0n) {
      if (writes.has(this.coinbase)) throw new Error("a deferred fee beside a coinbase write");
      const value: AccountValue = { delta: true, fee: coinbaseFee };
      wroteNew = putIn(this.accounts, this.coinbase, txIndex, incarnation, value, locations) || wroteNew;
    }
    for (const cell of this.written[txIndex]!) {
      const entry = at(cell, txIndex);
      if (entry !== undefined && entry.incarnation !== incarnation) remove(cell, txIndex);
    }
    this.written[txIndex] = locations;
    this.readSets[txIndex] = reads;
    return wroteNew;
  }

  /** After an abort: the transaction's writes stay, as ESTIMATEs that make readers wait for it. */
  convertWritesToEstimates(txIndex: number): void {
    for (const cell of this.written[txIndex]!) {
      const entry = at(cell, txIndex);
      if (entry !== undefined) entry.estimate = true;
    }
  }

  // --- reads, as transaction `txIndex` sees them; each throws ReadBlocked at an ESTIMATE ---

  /** `versions` collects (tx, incarnation) of every version consulted (none: the base state). */
  account(address: bigint, txIndex: number, versions: number[] | undefined): AccountInfo | undefined {
    const cell = this.accounts.get(address);
    let pos = cell === undefined ? -1 : below(cell, txIndex);
    let fees = 0n;
    let info: AccountInfo | undefined;
    for (;;) {
      if (pos < 0) {
        info = this.base.account(address);
        break;
      }
      const entry = cell!.entries[pos]!;
      if (entry.estimate) throw new ReadBlocked(cell!.txs[pos]!);
      versions?.push(cell!.txs[pos]!, entry.incarnation);
      const value = entry.value;
      if (!value.delta) {
        info = value.info;
        break;
      }
      fees += value.fee;
      pos--;
    }
    return creditFee(info, fees);
  }

  /** A slot's value; with `reads`, records the slot's and the clear's versions. */
  storage(address: bigint, slot: bigint, txIndex: number, reads: Read[] | undefined): bigint {
    const slotCell = this.slots.get(address)?.get(slot);
    const slotPos = latest(slotCell, txIndex);
    const clearCell = this.clears.get(address);
    const clearPos = latest(clearCell, txIndex);
    const slotTx = slotPos < 0 ? -1 : slotCell!.txs[slotPos]!;
    const clearTx = clearPos < 0 ? -1 : clearCell!.txs[clearPos]!;
    if (reads !== undefined) {
      const slotInc = slotPos < 0 ? 0 : slotCell!.entries[slotPos]!.incarnation;
      const clearInc = clearPos < 0 ? 0 : clearCell!.entries[clearPos]!.incarnation;
      reads.push({ kind: ReadKind.Slot, address, slot, tx: slotTx, incarnation: slotInc });
      reads.push({ kind: ReadKind.Clear, address, slot: 0n, tx: clearTx, incarnation: clearInc });
    }
    // A slot written in the clearing transaction itself was written after the clear.
    if (slotTx >= 0 && slotTx >= clearTx) return slotCell!.entries[slotPos]!.value;
    return clearTx >= 0 ? 0n : this.base.storage(address, slot);
  }

  /** Whether the account has a non-zero slot (EIP-7610), as the sequential overlay answers it. */
  hasStorage(address: bigint, txIndex: number): boolean {
    const clearCell = this.clears.get(address);
    const clearPos = latest(clearCell, txIndex);
    const clearTx = clearPos < 0 ? -1 : clearCell!.txs[clearPos]!;
    const cells = this.slots.get(address);
    if (cells !== undefined) {
      for (const cell of cells.values()) {
        const pos = latest(cell, txIndex);
        if (pos >= 0 && cell.txs[pos]! >= clearTx && cell.entries[pos]!.value !== 0n) return true;
      }
    }
    return clearTx < 0 && this.base.hasStorage(address);
  }

  // --- validation ---

  /** Whether every read of the transaction's last incarnation would observe the same thing now. */
  validateReadSet(txIndex: number): boolean {
    try {
      for (const read of this.readSets[txIndex]!) if (!this.stillValid(read, txIndex)) return false;
      return true;
    } catch (error) {
      if (error instanceof ReadBlocked) return false;
      throw error;
    }
  }

  /** Whether `account(address, txIndex, v)` would collect exactly `versions` now (throws as it does). */
  private sameAccountVersions(address: bigint, txIndex: number, versions: readonly number[]): boolean {
    const cell = this.accounts.get(address);
    let pos = cell === undefined ? -1 : below(cell, txIndex);
    let i = 0;
    while (pos >= 0) {
      const entry = cell!.entries[pos]!;
      const tx = cell!.txs[pos]!;
      if (entry.estimate) throw new ReadBlocked(tx);
      if (i + 1 >= versions.length || versions[i] !== tx || versions[i + 1] !== entry.incarnation) return false;
      i += 2;
      if (!entry.value.delta) break;
      pos--;
    }
    return i === versions.length;
  }

  private stillValid(read: Read, txIndex: number): boolean {
    switch (read.kind) {
      case ReadKind.Account:
        return this.sameAccountVersions(read.address, txIndex, read.versions);
      case ReadKind.Slot:
      case ReadKind.Clear: {
        const cell: Cell<unknown> | undefined =
          read.kind === ReadKind.Slot ? this.slots.get(read.address)?.get(read.slot) : this.clears.get(read.address);
        const pos = latest(cell, txIndex);
        if (pos < 0) return read.tx === -1;
        return cell!.txs[pos] === read.tx && cell!.entries[pos]!.incarnation === read.incarnation;
      }
      case ReadKind.HasStorage:
        return this.hasStorage(read.address, txIndex) === read.value;
    }
  }
}

const NONE: Cell<unknown>[] = [];
const NO_READS: Read[] = [];
