// Undo records and historical state. Every state change the chain commits (a block, a dev edit, a
// loaded state) stores, in the same transaction, an undo record: the previous value of everything it
// changed. Records are numbered by a sequence that only grows. They serve two things:
// - revert (evm_revert): undo the records after a snapshot, newest first, in one commit;
// - reads of a past block's state: the state after block n is the head state with the records from
//   block n+1's onwards undone. For each account or slot the earliest such record holds the value
//   at block n; one untouched since is the head's value.
// Cost: a record is about the size of the writes it undoes (an account's 3 fields and each changed
// slot's old value; a wiped storage keeps all the old slots) and records are kept for every block,
// so history grows with the chain. Opening the state at block n reads every record since n
// (O(changes since n) time and one map entry per account and slot changed since); each read is then
// a map lookup before the head read.
import type { AccountInfo, AccountWrite, Host, StateWrites } from "../evm/host.js";
import { deletedAccountWrite } from "../evm/host.js";
import { bigintToBytes, bigintToMinimalBytes, bytesToBigint } from "../primitives/hex.js";
import { EMPTY_CODE_HASH } from "../primitives/keccak.js";
import { type RlpDecoded, type RlpInput, rlpDecode, rlpEncode } from "../primitives/rlp.js";

/** What undoing one account's change restores. */
export interface UndoEntry {
  /** The account before the change; undefined where it did not exist. */
  before: AccountInfo | undefined;
  /** The change wiped the account's storage (deleted or re-created it): `slots` is then all of its storage before. */
  cleared: boolean;
  /** Slot values before the change (0n: unset). */
  slots: Map<bigint, bigint>;
}

export type UndoRecord = Map<bigint, UndoEntry>;

/** The reads an undo record and a historical state need from the head state (LmdbState has them). */
export interface HeadState extends Host {
  storageEntries(address: bigint): Map<bigint, bigint>;
  codeByHash(codeHash: bigint): Uint8Array | undefined;
}

/**
 * The undo record of applying `writes` to `state` (read before they are applied). `reads`: where
 * accounts and slots are read, `state` itself or a cache over it holding what executing the writes
 * already read of it (a transaction reads each account and slot before it changes it).
 */
export function undoOf(state: HeadState, writes: StateWrites, reads: Host = state): UndoRecord {
  const record: UndoRecord = new Map();
  for (const [address, w] of writes) {
    const before = reads.account(address);
    const cleared = w.deleted || w.storageCleared;
    let slots: Map<bigint, bigint>;
    if (cleared) {
      slots = state.storageEntries(address);
    } else {
      slots = new Map();
      for (const slot of w.storage.keys()) slots.set(slot, reads.storage(address, slot));
    }
    record.set(address, { before, cleared, slots });
  }
  return record;
}

/**
 * Folds `later` (a record newer than every one folded so far) into `merged`, so that `merged` keeps
 * the values before the earliest change: an account's `before` stays the earliest; slots already
 * known stay; a later wipe contributes the slots the earlier records did not name.
 */
export function mergeLater(merged: UndoRecord, later: UndoRecord): void {
  for (const [address, e] of later) {
    const m = merged.get(address);
    if (m === undefined) {
      merged.set(address, { before: e.before, cleared: e.cleared, slots: new Map(e.slots) });
      continue;
    }
    if (m.cleared) continue; // m already holds the whole storage as it was
    if (e.cleared) {
      // Storage then = everything at the later wipe, except the slots changed in between (m's).
      const slots = new Map(e.slots);
      for (const [slot, value] of m.slots) slots.set(slot, value);
      m.slots = slots;
      m.cleared = true;
    } else {
      for (const [slot, value] of e.slots) if (!m.slots.has(slot)) m.slots.set(slot, value);
    }
  }
}

/** The writes that restore the state a merged undo record describes. */
export function undoWrites(merged: UndoRecord): StateWrites {
  const writes: StateWrites = new Map();
  for (const [address, m] of merged) {
    if (m.before === undefined) {
      writes.set(address, deletedAccountWrite());
      continue;
    }
    // Code is stored by hash and never deleted, so restoring the hash restores the code.
    const w: AccountWrite = {
      deleted: false,
      nonce: m.before.nonce,
      balance: m.before.balance,
      codeHash: m.before.codeHash,
      storageCleared: m.cleared,
      storage: new Map(m.slots),
    };
    writes.set(address, w);
  }
  return writes;
}

// ---- encoding: RLP [[address, [] | [nonce, balance, codeHash], cleared, [[slot, value]...]]...] ----

export function encodeUndo(record: UndoRecord): Uint8Array {
  const items: RlpInput[] = [];
  for (const [address, e] of record) {
    const before: RlpInput =
      e.before === undefined
        ? []
        : [
            bigintToMinimalBytes(e.before.nonce),
            bigintToMinimalBytes(e.before.balance),
            bigintToBytes(e.before.codeHash, 32),
          ];
    const slots: RlpInput[] = [];
    for (const [slot, value] of e.slots) slots.push([bigintToMinimalBytes(slot), bigintToMinimalBytes(value)]);
    items.push([bigintToBytes(address, 20), before, e.cleared ? new Uint8Array([1]) : new Uint8Array(0), slots]);
  }
  return rlpEncode(items);
}

function list(item: RlpDecoded | undefined): RlpDecoded[] {
  if (!Array.isArray(item)) throw new Error("undo record: expected a list");
  return item;
}

function word(item: RlpDecoded | undefined): bigint {
  if (!(item instanceof Uint8Array)) throw new Error("undo record: expected a byte string");
  return bytesToBigint(item);
}

export function decodeUndo(bytes: Uint8Array): UndoRecord {
  const record: UndoRecord = new Map();
  for (const item of list(rlpDecode(bytes))) {
    const [address, before, cleared, slots] = list(item);
    const b = list(before);
    const slotMap = new Map<bigint, bigint>();
    for (const pair of list(slots)) {
      const [slot, value] = list(pair);
      slotMap.set(word(slot), word(value));
    }
    record.set(word(address), {
      before: b.length === 0 ? undefined : { nonce: word(b[0]), balance: word(b[1]), codeHash: word(b[2]) },
      cleared: (cleared as Uint8Array).length === 1,
      slots: slotMap,
    });
  }
  return record;
}

// ---- historical state ----

/** What a historical state follows: the chain's undo records as they are published. */
export interface HistorySource {
  /** The newest undo sequence published (committed, or being committed). */
  readonly publishedSeq: bigint;
  /** Changes on every revert. */
  readonly epoch: number;
  /** Undo records with sequence >= `from`, oldest first, those being committed included. */
  undoFrom(from: bigint): Iterable<[bigint, UndoRecord]>;
  /** The canonical hash of block `number`, undefined where there is none. */
  canonicalHash(number: bigint): bigint | undefined;
}

const EMPTY_CODE = new Uint8Array(0);

/**
 * The state after block `number`, read through the head state with the undo records from `fromSeq`
 * onwards undone. It follows the chain: records published after it was opened are folded in before
 * the next read, so it keeps showing block `number` while blocks are added. Folding a record in
 * early (while its commit is in flight) is safe: a record's old values are the head's until its
 * commit lands. After a revert that drops block `number`, reads throw.
 */
export class HistoricalState implements Host {
  private readonly merged: UndoRecord = new Map();
  private seen: bigint;
  private epoch: number;

  constructor(
    private readonly head: HeadState,
    private readonly source: HistorySource,
    readonly number: bigint,
    readonly hash: bigint,
    fromSeq: bigint,
  ) {
    this.seen = fromSeq - 1n;
    this.epoch = source.epoch;
    this.sync();
  }

  private sync(): void {
    if (this.epoch !== this.source.epoch) {
      if (this.source.canonicalHash(this.number) !== this.hash) {
        throw new Error(`the state of block ${this.number} is gone: the chain was reverted below it`);
      }
      this.epoch = this.source.epoch;
    }
    const published = this.source.publishedSeq;
    if (published <= this.seen) return;
    for (const [seq, record] of this.source.undoFrom(this.seen + 1n)) {
      mergeLater(this.merged, record);
      if (seq > this.seen) this.seen = seq;
    }
    if (published > this.seen) this.seen = published;
  }

  account(address: bigint): AccountInfo | undefined {
    this.sync();
    const m = this.merged.get(address);
    if (m === undefined) return this.head.account(address);
    return m.before === undefined ? undefined : { ...m.before };
  }

  code(address: bigint): Uint8Array {
    const info = this.account(address);
    if (info === undefined || info.codeHash === EMPTY_CODE_HASH) return EMPTY_CODE;
    return this.head.codeByHash(info.codeHash) ?? EMPTY_CODE;
  }

  storage(address: bigint, slot: bigint): bigint {
    this.sync();
    const m = this.merged.get(address);
    if (m === undefined) return this.head.storage(address, slot);
    if (m.before === undefined) return 0n;
    const value = m.slots.get(slot);
    if (value !== undefined) return value;
    return m.cleared ? 0n : this.head.storage(address, slot);
  }

  hasStorage(address: bigint): boolean {
    this.sync();
    const m = this.merged.get(address);
    if (m === undefined) return this.head.hasStorage(address);
    if (m.before === undefined) return false;
    for (const value of m.slots.values()) if (value !== 0n) return true;
    if (m.cleared) return false;
    for (const slot of this.head.storageEntries(address).keys()) if (!m.slots.has(slot)) return true;
    return false;
  }

  blockHash(number: bigint): bigint {
    if (number > this.number) return 0n;
    return this.source.canonicalHash(number) ?? 0n;
  }
}
