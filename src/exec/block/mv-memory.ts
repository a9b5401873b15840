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

/**
 * An absolute account (undefined: deleted) or, at the coinbase only, a deferred fee (a bigint: a
 * delta on the account below it). Stored as is, no wrapper; an account is the transaction's own
 * AccountWrite (an AccountInfo with more fields), never copied, and never changed while the block runs.
 */
export type AccountValue = AccountInfo | undefined | bigint;

/**
 * The versions of one location, sorted by transaction index, flat in one array (no object per
 * version): `STRIDE` slots per version, [tx, incarnation, value]. An incarnation stored as
 * ~incarnation (negative) is an ESTIMATE: the writing incarnation was aborted, and a reader must
 * wait for the next one. `V` is the type of the values.
 */
type Cell<V> = (number | V)[];
const STRIDE = 3;

function txAt(cell: Cell<unknown>, pos: number): number {
  return cell[pos * STRIDE] as number;
}

/** The stored incarnation word: negative for an ESTIMATE. */
function incAt(cell: Cell<unknown>, pos: number): number {
  return cell[pos * STRIDE + 1] as number;
}

function valueAt<V>(cell: Cell<V>, pos: number): V {
  return cell[pos * STRIDE + 2] as V;
}

export enum ReadKind {
  Account = 0,
  Slot = 1,
  HasStorage = 3,
}

/**
 * One read of a transaction's incarnation, with what it observed: versions as (tx, incarnation)
 * (tx -1 or no versions: the base state). A slot read records the slot's version and the account's
 * latest clear's in one record. `hasStorage` depends on every slot of the account, so it is
 * validated by its value instead.
 */
export type Read =
  | { kind: ReadKind.Account; address: bigint; versions: readonly number[] }
  | {
      kind: ReadKind.Slot;
      address: bigint;
      slot: bigint;
      tx: number;
      incarnation: number;
      clearTx: number;
      clearIncarnation: number;
    }
  | { kind: ReadKind.HasStorage; address: bigint; value: boolean };

/** Position of the highest version below `txIndex`, or -1. */
function below(cell: Cell<unknown>, txIndex: number): number {
  let lo = 0;
  let hi = cell.length / STRIDE;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (txAt(cell, mid) < txIndex) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Like `below`, but an ESTIMATE there blocks the read. */
function latest(cell: Cell<unknown> | undefined, txIndex: number): number {
  if (cell === undefined) return -1;
  const pos = below(cell, txIndex);
  if (pos >= 0 && incAt(cell, pos) < 0) throw new ReadBlocked(txAt(cell, pos));
  return pos;
}

/** Whether a read of `cell` by `txIndex` would see version (tx, incarnation) now (tx -1: none). */
function sameVersion(cell: Cell<unknown> | undefined, txIndex: number, tx: number, incarnation: number): boolean {
  const pos = latest(cell, txIndex);
  if (pos < 0) return tx === -1;
  return txAt(cell!, pos) === tx && incAt(cell!, pos) === incarnation;
}

/** Position of transaction `txIndex`'s version, or -1. */
function at(cell: Cell<unknown>, txIndex: number): number {
  const pos = below(cell, txIndex + 1);
  return pos >= 0 && txAt(cell, pos) === txIndex ? pos : -1;
}

/** Writes a version; returns whether the transaction had none here (a new location). */
function put<V>(cell: Cell<V>, txIndex: number, incarnation: number, value: V): boolean {
  const pos = below(cell, txIndex) + 1;
  const i = pos * STRIDE;
  if (i < cell.length && cell[i] === txIndex) {
    cell[i + 1] = incarnation;
    cell[i + 2] = value;
    return false;
  }
  if (i === cell.length) {
    // The common case (transactions record roughly in order): no splice, no array of removed items.
    cell.push(txIndex, incarnation, value);
  } else {
    cell.splice(i, 0, txIndex, incarnation, value);
  }
  return true;
}

/**
 * Writes a version at `key`'s cell (created holding just this version: an exact-size array, not the
 * spare capacity a first push leaves); returns whether it is new.
 */
function putIn<K, V>(map: Map<K, Cell<V>>, key: K, txIndex: number, incarnation: number, value: V): boolean {
  const cell = map.get(key);
  if (cell === undefined) {
    map.set(key, [txIndex, incarnation, value]);
    return true;
  }
  return put(cell, txIndex, incarnation, value);
}

export class MVMemory {
  private readonly accounts = new Map<bigint, Cell<AccountValue>>();
  private readonly slots = new Map<bigint, Map<bigint, Cell<bigint>>>();
  private readonly clears = new Map<bigint, Cell<true>>();
  /** Code written in this block by its hash: content-addressed, so an aborted writer leaves nothing wrong. */
  readonly codes = new Map<bigint, Uint8Array>();
  /**
   * Per transaction: what its last recorded incarnation wrote (its writes, never changed while the
   * block runs, and whether it deferred a fee: no per-transaction list of cells is kept, the cells
   * are found again in the rare case they are needed), and what it read.
   */
  private readonly written: (StateWrites | undefined)[];
  private readonly wroteFee: Uint8Array;
  private readonly readSets: Read[][];

  constructor(
    size: number,
    readonly base: Host,
    readonly coinbase: bigint,
  ) {
    this.written = new Array(size).fill(undefined);
    this.wroteFee = new Uint8Array(size);
    this.readSets = new Array(size).fill(NO_READS);
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
    let wroteNew = false;
    for (const [address, w] of writes) {
      // A write that changed only storage leaves the account location alone: otherwise every call to a
      // contract whose storage changes would depend on the call before it.
      if (w.storageOnly !== true) {
        const info: AccountValue = w.deleted ? undefined : w;
        wroteNew = putIn(this.accounts, address, txIndex, incarnation, info) || wroteNew;
      }
      if (w.code !== undefined) this.codes.set(w.codeHash, w.code);
      if (w.storageCleared) {
        wroteNew = putIn(this.clears, address, txIndex, incarnation, true as const) || wroteNew;
      }
      if (w.storage.size > 0) {
        let cells = this.slots.get(address);
        if (cells === undefined) this.slots.set(address, (cells = new Map()));
        for (const [slot, value] of w.storage) {
          wroteNew = putIn(cells, slot, txIndex, incarnation, value) || wroteNew;
        }
      }
    }
    // A zero fee changes nothing (canDeferFees rules out the one case where it would).
    if (coinbaseFee !== undefined && coinbaseFee !== 0n) {
      if (writes.has(this.coinbase)) throw new Error("a deferred fee beside a coinbase write");
      wroteNew =
        putIn<bigint, AccountValue>(this.accounts, this.coinbase, txIndex, incarnation, coinbaseFee) || wroteNew;
    }
    if (this.written[txIndex] !== undefined) {
      for (const cell of this.writtenCells(txIndex)) {
        const pos = at(cell, txIndex);
        // Not rewritten by this incarnation (an ESTIMATE's word is negative: never equal).
        if (pos >= 0 && incAt(cell, pos) !== incarnation) cell.splice(pos * STRIDE, STRIDE);
      }
    }
    this.written[txIndex] = writes;
    this.wroteFee[txIndex] = coinbaseFee !== undefined && coinbaseFee !== 0n ? 1 : 0;
    this.readSets[txIndex] = reads;
    return wroteNew;
  }

  /**
   * The cells the transaction's last recorded incarnation wrote, found again from its writes (cells
   * are never dropped from their maps, so each is still there).
   */
  private writtenCells(txIndex: number): Cell<unknown>[] {
    const cells: Cell<unknown>[] = [];
    const writes = this.written[txIndex];
    if (writes === undefined) return cells;
    for (const [address, w] of writes) {
      if (w.storageOnly !== true) cells.push(this.accounts.get(address)!);
      if (w.storageCleared) cells.push(this.clears.get(address)!);
      if (w.storage.size > 0) {
        const slotCells = this.slots.get(address)!;
        for (const slot of w.storage.keys()) cells.push(slotCells.get(slot)!);
      }
    }
    if (this.wroteFee[txIndex] === 1) cells.push(this.accounts.get(this.coinbase)!);
    return cells;
  }

  /** After an abort: the transaction's writes stay, as ESTIMATEs that make readers wait for it. */
  convertWritesToEstimates(txIndex: number): void {
    for (const cell of this.writtenCells(txIndex)) {
      const pos = at(cell, txIndex);
      if (pos >= 0) {
        const inc = incAt(cell, pos);
        if (inc >= 0) cell[pos * STRIDE + 1] = ~inc;
      }
    }
  }

  // --- reads, as transaction `txIndex` sees them; each throws ReadBlocked at an ESTIMATE ---

  /**
   * With `reads`, records the read: (tx, incarnation) of every version consulted, in an exact-size
   * array (none: the base state, a shared empty one).
   */
  account(address: bigint, txIndex: number, reads: Read[] | undefined): AccountInfo | undefined {
    const cell = this.accounts.get(address);
    let pos = cell === undefined ? -1 : below(cell, txIndex);
    let fees = 0n;
    let info: AccountInfo | undefined;
    let versions: number[] | undefined;
    for (;;) {
      if (pos < 0) {
        info = this.base.account(address);
        break;
      }
      const inc = incAt(cell!, pos);
      if (inc < 0) throw new ReadBlocked(txAt(cell!, pos));
      if (versions === undefined) versions = [txAt(cell!, pos), inc];
      else versions.push(txAt(cell!, pos), inc);
      const value = valueAt(cell!, pos);
      if (typeof value !== "bigint") {
        info = value;
        break;
      }
      fees += value;
      pos--;
    }
    reads?.push({ kind: ReadKind.Account, address, versions: versions ?? BASE_VERSIONS });
    return creditFee(info, fees);
  }

  /** A slot's value; with `reads`, records the slot's and the clear's versions. */
  storage(address: bigint, slot: bigint, txIndex: number, reads: Read[] | undefined): bigint {
    const slotCell = this.slots.get(address)?.get(slot);
    const slotPos = latest(slotCell, txIndex);
    const clearCell = this.clears.get(address);
    const clearPos = latest(clearCell, txIndex);
    const slotTx = slotPos < 0 ? -1 : txAt(slotCell!, slotPos);
    const clearTx = clearPos < 0 ? -1 : txAt(clearCell!, clearPos);
    if (reads !== undefined) {
      const slotInc = slotPos < 0 ? 0 : incAt(slotCell!, slotPos);
      const clearInc = clearPos < 0 ? 0 : incAt(clearCell!, clearPos);
      reads.push({
        kind: ReadKind.Slot,
        address,
        slot,
        tx: slotTx,
        incarnation: slotInc,
        clearTx,
        clearIncarnation: clearInc,
      });
    }
    // A slot written in the clearing transaction itself was written after the clear.
    if (slotTx >= 0 && slotTx >= clearTx) return valueAt(slotCell!, slotPos);
    return clearTx >= 0 ? 0n : this.base.storage(address, slot);
  }

  /** Whether the account has a non-zero slot (EIP-7610), as the sequential overlay answers it. */
  hasStorage(address: bigint, txIndex: number): boolean {
    const clearCell = this.clears.get(address);
    const clearPos = latest(clearCell, txIndex);
    const clearTx = clearPos < 0 ? -1 : txAt(clearCell!, clearPos);
    const cells = this.slots.get(address);
    if (cells !== undefined) {
      for (const cell of cells.values()) {
        const pos = latest(cell, txIndex);
        if (pos >= 0 && txAt(cell, pos) >= clearTx && valueAt(cell, pos) !== 0n) return true;
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
      const inc = incAt(cell!, pos);
      const tx = txAt(cell!, pos);
      if (inc < 0) throw new ReadBlocked(tx);
      if (i + 1 >= versions.length || versions[i] !== tx || versions[i + 1] !== inc) return false;
      i += 2;
      if (typeof valueAt(cell!, pos) !== "bigint") break;
      pos--;
    }
    return i === versions.length;
  }

  private stillValid(read: Read, txIndex: number): boolean {
    switch (read.kind) {
      case ReadKind.Account:
        return this.sameAccountVersions(read.address, txIndex, read.versions);
      case ReadKind.Slot:
        return (
          sameVersion(this.slots.get(read.address)?.get(read.slot), txIndex, read.tx, read.incarnation) &&
          sameVersion(this.clears.get(read.address), txIndex, read.clearTx, read.clearIncarnation)
        );
      case ReadKind.HasStorage:
        return this.hasStorage(read.address, txIndex) === read.value;
    }
  }
}

/** The versions of a base-state read: shared, never changed. */
const BASE_VERSIONS: readonly number[] = [];
const NO_READS: Read[] = [];
