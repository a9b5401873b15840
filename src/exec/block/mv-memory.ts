// Block-STM's multi-version memory: one structure in SharedArrayBuffers that every worker reads and
// writes in place. Nothing is replicated or replayed: an incarnation's writes are published once.
//
// - Locations. An address record holds the account's versions (nonce, balance, code hash, existence;
//   at the coinbase also deferred fees, as deltas), the versions of its storage "clear" (created,
//   re-created or deleted: every slot reads 0 from that transaction on) and the list of its slot
//   records (its head kept apart, in `slotHeads`: a new slot changes it, and every read of the
//   account's versions would otherwise find its cache line taken); a slot record holds one slot's
//   versions; a code record holds code written in the block, by hash. A record gets its integer id
//   from a concurrent open-addressing hash table of its key (insert by compare-and-swap of an empty
//   entry), so every worker finds the same record.
// - Versions. Per location a linked list of immutable nodes (tx, incarnation, value, next), sorted
//   by transaction, highest first: a reader walks past the few versions above it, a writer links a
//   node under the record's lock. A new incarnation links a new node in place of its old one, so a
//   node id names one (tx, incarnation) and a read is recorded as the node it saw; ESTIMATE is a bit
//   set in place on an aborted incarnation's nodes.
// - Values. Words and accounts live in a byte arena (shared-words.ts); small slot values inline.
// - Read and write sets: flat (location, node) pairs in an Int32 arena, published per incarnation by
//   one offset, so whichever worker validates reads them in place.
import type { AccountInfo, AccountWrite, Host, StateWrites } from "../../evm/host.js";
import { EMPTY_CODE_HASH } from "../../primitives/keccak.js";
import { creditFee } from "./coinbase.js";
import { lock, unlock } from "./scheduler.js";
import { readLimbs, WordArena, WordCache, writeLimbs } from "./shared-words.js";

/** A read met an ESTIMATE: the reading incarnation depends on transaction `txIndex`. */
export class ReadBlocked extends Error {
  constructor(readonly txIndex: number) {
    super(`read blocked by transaction ${txIndex}`);
    this.name = "ReadBlocked";
  }
}

/** An arena or the location table ran out of room: the block finishes another way. */
export class MemoryFull extends Error {
  constructor(what: string) {
    super(`Block-STM multi-version memory full: ${what}`);
    this.name = "MemoryFull";
  }
}

/** Words of `meta`: allocation tops, then per transaction its published read set, write set and result. */
const TOP_RECORD = 0;
const TOP_NODE = 1;
const TOP_VALUE = 2;
const TOP_SET = 3;
/** Set once a block, before any view starts it (each view keeps its own copy: `tableMask`). */
const TABLE_MASK = 4;
/**
 * Code records made this block: while none, code is read from the base without a table probe. Read
 * at every code read, so on a cache line of its own, not with the tops that workers add to.
 */
const CODES = 16;
/** Two cache lines (16 ints each): the tops, then CODES; they share none with a transaction's words. */
const META_HEADER = 32;
/** Units a view claims at once from each arena (records, nodes, value words, set ints). */
const CHUNK = [64, 256, 4096, 4096];
/** A cache line per transaction: neighbours are published by different threads (no false sharing). */
const PER_TX = 16;
const READS_AT = 0;
const WRITES_AT = 1;
const RESULT_AT = 2;
/** Microseconds the transaction's last incarnation took to execute (the benchmark's critical path). */
const EXEC_US = 3;

const RECORD_INTS = 16;
const KIND = 0;
/** Address: account versions; slot: the slot's versions. Node id, 0 for none. */
const HEAD = 1;
/** Address: clear versions; slot: next slot record of the same address; code: value-arena index. */
const AUX = 2;
/** Slot: its address record; code: byte length (an address's first slot record is in `slotHeads`). */
const LINK = 3;
const LOCK = 4;
const KEY = 5;
/** An address key is three 64-bit limbs (addresses are 160 bits; tests use wider ones, kept exact). */
const ADDRESS_WORDS = 6;
const ADDRESS_RECORD = 1;
const SLOT_RECORD = 2;
const CODE_RECORD = 3;

/** Entries of a view's lookup cache (a power of two). */
const LOOKUP_CACHE = 1 << 14;
/** Entries of a view's cache of base accounts and code, by address record (a power of two). */
const BASE_CACHE = 1 << 12;
/** Entries of a view's cache of record keys read back as BigInts, by record (a power of two). */
const KEY_CACHE = 1 << 12;

const NODE_INTS = 4;
const TX = 0;
const INC = 1;
const VALUE = 2;
const NEXT = 3;
const ESTIMATE = 1 << 30;

/** Location kinds in a read or write set entry: `record << 3 | kind`. */
export const LocKind = { Account: 0, Clear: 1, Slot: 2, HasStorage: 3, AccountMore: 4 } as const;

/** Flags of an account value. */
const DELETED = 1;
const FEE = 2;
const HAS_CODE = 4;
/** The code hash is EMPTY_CODE_HASH (not stored: most accounts have no code). */
const NO_CODE = 8;

/** Capacities, in entries of each arena (the SharedArrayBuffers are reserved, pages touched as used). */
export interface MVCapacity {
  tableEntries: number;
  records: number;
  nodes: number;
  valueWords: number;
  setInts: number;
  txs: number;
}

export const DEFAULT_CAPACITY: MVCapacity = {
  tableEntries: 1 << 22,
  records: 1 << 21,
  nodes: 1 << 23,
  valueWords: 1 << 26,
  setInts: 1 << 26,
  txs: 1 << 20,
};

/** The shared buffers of one multi-version memory; a pool keeps one set and reuses it block after block. */
export interface MVBuffers {
  meta: SharedArrayBuffer;
  table: SharedArrayBuffer;
  records: SharedArrayBuffer;
  nodes: SharedArrayBuffer;
  values: SharedArrayBuffer;
  sets: SharedArrayBuffer;
}

export function createMVBuffers(capacity: MVCapacity = DEFAULT_CAPACITY): MVBuffers {
  return {
    meta: new SharedArrayBuffer(4 * (META_HEADER + PER_TX * capacity.txs)),
    table: new SharedArrayBuffer(4 * capacity.tableEntries),
    // The records, then each record's slot-list head (MVMemory.slotHeads).
    records: new SharedArrayBuffer(4 * (RECORD_INTS + 1) * capacity.records),
    nodes: new SharedArrayBuffer(4 * NODE_INTS * capacity.nodes),
    values: new SharedArrayBuffer(8 * capacity.valueWords),
    sets: new SharedArrayBuffer(4 * capacity.setInts),
  };
}

/**
 * Prepares the buffers for a block of `size` transactions (main thread, no worker running): empties
 * the part of the hash table the block uses and resets the arenas. False where `size` exceeds them.
 */
export function resetMVBuffers(buffers: MVBuffers, size: number): boolean {
  const meta = new Int32Array(buffers.meta);
  const tableEntries = buffers.table.byteLength / 4;
  if (META_HEADER + PER_TX * size > meta.length) return false;
  let entries = 4096;
  while (entries < 32 * size && entries < tableEntries) entries *= 2;
  new Int32Array(buffers.table).fill(0, 0, entries);
  meta.fill(0, 0, META_HEADER + PER_TX * size);
  // Id 0 means none everywhere: allocation starts at 1.
  meta[TOP_RECORD] = 1;
  meta[TOP_NODE] = 1;
  meta[TOP_VALUE] = 1;
  meta[TOP_SET] = 1;
  meta[TABLE_MASK] = entries - 1;
  return true;
}

const EMPTY = new Uint8Array(0);

/** An append-only Int32 list that grows; reused, never shrunk. */
export class IntList {
  data = new Int32Array(256);
  length = 0;

  push2(a: number, b: number): void {
    if (this.length + 2 > this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length] = a;
    this.data[this.length + 1] = b;
    this.length += 2;
  }
}

/** A transaction's outcome as stored for the main thread: its writes read back from the memory. */
export interface PublishedWrites {
  writes: StateWrites;
  /** The deferred coinbase fee, if it deferred one. */
  fee: bigint | undefined;
}

/** Where a committed transaction's writes go (the committer's block overlay; `writesOf`'s map). */
export interface WriteSink {
  /**
   * The storage map that slot writes alone to `address` may be set into directly, if any; `record`
   * is the address's record in the memory, the same for the same address all block.
   */
  storageToMerge(address: bigint, record: number): Map<bigint, bigint> | undefined;
  account(address: bigint, write: AccountWrite): void;
  fee(fee: bigint): void;
}

/** One worker's (or the main thread's) view of the shared memory. */
export class MVMemory {
  private readonly meta: Int32Array;
  private readonly table: Int32Array;
  private readonly records: Int32Array;
  /**
   * An address record's first slot record (0: none), by record: off the record's cache line, which
   * every reader of the account or its clear reads, while each new slot of the address changes this.
   */
  private readonly slotHeads: Int32Array;
  private readonly nodes: Int32Array;
  private readonly sets: Int32Array;
  readonly arena: WordArena;
  private readonly recordCap: number;
  private readonly nodeCap: number;
  private readonly valueCap: number;
  private readonly setCap: number;
  /** Scratch limbs of a key being looked up. */
  private readonly key64 = new BigUint64Array(4);
  private readonly key32 = new Uint32Array(this.key64.buffer);
  /**
   * Keys read back (addresses, slots), by record (direct-mapped): an address or slot whose writes
   * are read back again (a contract most transactions change) is made into a BigInt once a block.
   */
  private readonly keyIds = new Int32Array(KEY_CACHE);
  private readonly keyValues: (bigint | undefined)[] = new Array<bigint | undefined>(KEY_CACHE).fill(undefined);
  /** The committer's cache of its logs' words (tx-result.ts), reused block after block. */
  readonly words = new WordCache();
  /**
   * This view's direct-mapped cache of the records it found this block, in front of the shared table:
   * most lookups repeat one (an address read many times, a slot read then written). Indexed by the
   * key's low 64 bits, which cost no BigInt to get (a Map keyed by BigInt hashes in the runtime, and
   * the table's full key needs three shifts); a hit compares the key itself and the record's kind and
   * address record (`tag`).
   */
  private readonly cacheKeys: (bigint | undefined)[] = new Array<bigint | undefined>(LOOKUP_CACHE).fill(undefined);
  private readonly cacheTags = new Int32Array(LOOKUP_CACHE);
  private readonly cacheIds = new Int32Array(LOOKUP_CACHE);
  /**
   * This view's direct-mapped cache of the base state's account and code by address record, this
   * block: a contract every transaction calls is read from the base once per view, not through the
   * base's maps (BigInt-keyed) for each read. `baseIds[i]` is the record whose values are at `i`.
   */
  private readonly baseIds = new Int32Array(BASE_CACHE);
  private readonly baseInfos: (AccountInfo | null)[] = new Array<AccountInfo | null>(BASE_CACHE).fill(null);
  private readonly baseCodes: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(BASE_CACHE).fill(
    undefined,
  );
  private readonly writeEntries = new IntList();
  /** What `seek` found before its node. */
  private seekPrev = -1;
  /** This view's current chunk of each arena, by its top's index in `meta`. */
  private readonly chunkNext = new Int32Array(META_HEADER);
  private readonly chunkEnd = new Int32Array(META_HEADER);
  /** The block's meta[TABLE_MASK], read once (startBlock). */
  private tableMask = 0;
  base!: Host;
  coinbase = 0n;

  constructor(readonly buffers: MVBuffers) {
    this.meta = new Int32Array(buffers.meta);
    this.table = new Int32Array(buffers.table);
    this.records = new Int32Array(buffers.records);
    this.nodes = new Int32Array(buffers.nodes);
    this.sets = new Int32Array(buffers.sets);
    this.arena = new WordArena(buffers.values);
    this.recordCap = Math.floor(this.records.length / (RECORD_INTS + 1));
    this.slotHeads = new Int32Array(buffers.records, 4 * RECORD_INTS * this.recordCap, this.recordCap);
    this.nodeCap = this.nodes.length / NODE_INTS;
    this.valueCap = this.arena.u64.length;
    this.setCap = this.sets.length;
  }

  /** Before this view's first step of a block (after resetMVBuffers). */
  startBlock(base: Host, coinbase: bigint): void {
    this.base = base;
    this.coinbase = coinbase;
    this.cacheKeys.fill(undefined);
    this.baseIds.fill(0);
    this.baseCodes.fill(undefined);
    this.keyIds.fill(0);
    this.words.clear();
    this.chunkNext.fill(0);
    this.chunkEnd.fill(0);
    this.tableMask = this.meta[TABLE_MASK]!;
  }

  // --- allocation ---

  /**
   * `count` units from the arena whose top is meta[top], out of this view's current chunk: a chunk
   * is claimed with one atomic add, so workers do not contend on the tops for every allocation.
   */
  private claim(top: number, count: number, cap: number, what: string): number {
    let at = this.chunkNext[top]!;
    if (at + count > this.chunkEnd[top]!) {
      const size = Math.max(count, CHUNK[top]!);
      at = Atomics.add(this.meta, top, size);
      if (at + size > cap) throw new MemoryFull(what);
      this.chunkEnd[top] = at + size;
    }
    this.chunkNext[top] = at + count;
    return at;
  }

  private allocRecord(kind: number): number {
    const r = this.claim(TOP_RECORD, 1, this.recordCap, "locations");
    // The table stays at most 3/4 full, so probing stays short.
    if (4 * r > 3 * (this.tableMask + 1)) throw new MemoryFull("locations");
    // Records are reused block after block: a new one starts empty (it is not published yet). Its key
    // words are written by the caller and only those are ever compared.
    const at = r * RECORD_INTS;
    const records = this.records;
    records[at + KIND] = kind;
    records[at + HEAD] = 0;
    records[at + AUX] = 0;
    records[at + LINK] = 0;
    this.slotHeads[r] = 0;
    records[at + LOCK] = 0;
    return r;
  }

  private allocNode(tx: number, incarnation: number, value: number): number {
    const n = this.claim(TOP_NODE, 1, this.nodeCap, "versions");
    const at = n * NODE_INTS;
    this.nodes[at + TX] = tx;
    this.nodes[at + INC] = incarnation;
    this.nodes[at + VALUE] = value;
    return n;
  }

  /** `words` 8-byte words of the value arena. */
  private allocValue(words: number): number {
    return this.claim(TOP_VALUE, words, this.valueCap, "values");
  }

  private allocSet(ints: number): number {
    return this.claim(TOP_SET, ints, this.setCap, "read and write sets");
  }

  // --- the location table ---

  private hashKey(words: number, extra: number): number {
    let h = Math.imul(extra ^ 0x27d4eb2f, 0x9e3779b1);
    const k = this.key32;
    for (let i = 0; i < words; i++) h = Math.imul(h ^ k[i]!, 0x85ebca6b) ^ (h >>> 13);
    return (h ^ (h >>> 16)) & this.tableMask;
  }

  private keyEquals(r: number, kind: number, words: number, extra: number): boolean {
    const base = r * RECORD_INTS;
    const rec = this.records;
    if (rec[base + KIND] !== kind) return false;
    if (kind === SLOT_RECORD && rec[base + LINK] !== extra) return false;
    const k = this.key32;
    for (let i = 0; i < words; i++) if (rec[base + KEY + i] !== (k[i]! | 0)) return false;
    return true;
  }

  /**
   * The record of the key in the scratch limbs (`words` of them, plus `extra` for a slot's address
   * record), created where absent when `create` (else 0). `prepare` fills a new record before it is
   * published.
   */
  private lookup(kind: number, words: number, extra: number, create: boolean, prepare?: (r: number) => void): number {
    const mask = this.tableMask;
    let h = this.hashKey(words, extra);
    let mine = 0;
    for (;;) {
      let e = Atomics.load(this.table, h);
      if (e === 0) {
        if (!create) return 0;
        if (mine === 0) {
          mine = this.allocRecord(kind);
          const base = mine * RECORD_INTS;
          for (let i = 0; i < words; i++) this.records[base + KEY + i] = this.key32[i]!;
          if (kind === SLOT_RECORD) this.records[base + LINK] = extra;
          prepare?.(mine);
        }
        e = Atomics.compareExchange(this.table, h, 0, mine);
        if (e === 0) return mine;
      }
      if (this.keyEquals(e, kind, words, extra)) return e; // a record made by another wins; ours stays unused
      h = (h + 1) & mask;
    }
  }

  private setKey(v: bigint): void {
    writeLimbs(this.key64, 0, v);
  }

  /** Where `key` with `tag` would be in the lookup cache (its low limb lands in the scratch limbs). */
  private cacheIndex(key: bigint, tag: number): number {
    this.key64[0] = key; // the store keeps the low 64 bits: no BigInt made
    const h = Math.imul(this.key32[0]! ^ Math.imul(this.key32[1]! ^ tag, 0x9e3779b1), 0x85ebca6b);
    return (h ^ (h >>> 15)) & (LOOKUP_CACHE - 1);
  }

  /** The address record (created where absent when `create`; else 0 where absent). */
  addressRecord(address: bigint, create: boolean): number {
    const i = this.cacheIndex(address, ADDRESS_RECORD);
    if (this.cacheKeys[i] === address && this.cacheTags[i] === ADDRESS_RECORD) return this.cacheIds[i]!;
    this.setKey(address);
    const r = this.lookup(ADDRESS_RECORD, ADDRESS_WORDS, 0, create);
    if (r !== 0) this.remember(i, address, ADDRESS_RECORD, r);
    return r;
  }

  /** The slot's record under address record `a` (0 where absent and not `create`). */
  slotRecord(a: number, slot: bigint, create: boolean): number {
    const tag = (a << 2) | SLOT_RECORD;
    const i = this.cacheIndex(slot, tag);
    if (this.cacheKeys[i] === slot && this.cacheTags[i] === tag) return this.cacheIds[i]!;
    this.setKey(slot);
    // A new slot record joins its address's list before it is findable, so a walk of the list that
    // starts after any version of it is published sees it (a losing duplicate stays, with no versions).
    const r = this.lookup(SLOT_RECORD, 8, a, create, (r) => this.linkSlot(a, r));
    if (r !== 0) this.remember(i, slot, tag, r);
    return r;
  }

  private remember(i: number, key: bigint, tag: number, r: number): void {
    this.cacheKeys[i] = key;
    this.cacheTags[i] = tag;
    this.cacheIds[i] = r;
  }

  private linkSlot(a: number, r: number): void {
    for (;;) {
      const first = Atomics.load(this.slotHeads, a);
      this.records[r * RECORD_INTS + AUX] = first;
      if (Atomics.compareExchange(this.slotHeads, a, first, r) === first) return;
    }
  }

  /** Code written in this block, by hash; undefined where none was. */
  private codeByHash(codeHash: bigint): Uint8Array | undefined {
    if (Atomics.load(this.meta, CODES) === 0) return undefined;
    this.setKey(codeHash);
    const r = this.lookup(CODE_RECORD, 8, 0, false);
    if (r === 0) return undefined;
    const at = this.records[r * RECORD_INTS + AUX]!;
    const length = this.records[r * RECORD_INTS + LINK]!;
    return this.arena.bytes.slice(at * 8, at * 8 + length);
  }

  private putCode(codeHash: bigint, code: Uint8Array): void {
    // Before the record and the account version naming it are published: a reader that finds either sees it.
    Atomics.add(this.meta, CODES, 1);
    this.setKey(codeHash);
    this.lookup(CODE_RECORD, 8, 0, true, (r) => {
      const at = this.allocValue(Math.ceil(code.length / 8) || 1);
      this.arena.bytes.set(code, at * 8);
      this.records[r * RECORD_INTS + AUX] = at;
      this.records[r * RECORD_INTS + LINK] = code.length;
    });
  }

  /** The address a record (address or slot) belongs to. */
  private addressOf(r: number): bigint {
    if (this.records[r * RECORD_INTS + KIND] === SLOT_RECORD) r = this.records[r * RECORD_INTS + LINK]!;
    return this.keyOf(r, ADDRESS_WORDS);
  }

  /** The key of record `r`, `words` 32-bit words of it. */
  private keyOf(r: number, words: number): bigint {
    const i = r & (KEY_CACHE - 1);
    if (this.keyIds[i] === r) return this.keyValues[i]!;
    const k = this.key32;
    const base = r * RECORD_INTS + KEY;
    for (let j = 0; j < 8; j++) k[j] = j < words ? this.records[base + j]! : 0;
    const key = readLimbs(k, this.key64, 0);
    this.keyIds[i] = r;
    this.keyValues[i] = key;
    return key;
  }

  // --- versions ---

  /** The node of the highest version below `txIndex` in the list at `head` (0: none); throws at an ESTIMATE. */
  private latest(head: number, txIndex: number): number {
    let n = Atomics.load(this.records, head);
    while (n !== 0 && this.nodes[n * NODE_INTS + TX]! >= txIndex) n = Atomics.load(this.nodes, n * NODE_INTS + NEXT);
    if (n !== 0 && (Atomics.load(this.nodes, n * NODE_INTS + INC) & ESTIMATE) !== 0) {
      throw new ReadBlocked(this.nodes[n * NODE_INTS + TX]!);
    }
    return n;
  }

  /** The next version below node `n` in its list (0: none); throws at an ESTIMATE. */
  private below(n: number): number {
    const m = Atomics.load(this.nodes, n * NODE_INTS + NEXT);
    if (m !== 0 && (Atomics.load(this.nodes, m * NODE_INTS + INC) & ESTIMATE) !== 0) {
      throw new ReadBlocked(this.nodes[m * NODE_INTS + TX]!);
    }
    return m;
  }

  /**
   * Under the record's lock: the first node of the list at `head` whose transaction is at most `tx`
   * (0: none), with the node before it in `seekPrev` (-1: the head itself).
   */
  private seek(head: number, tx: number): number {
    let prev = -1;
    let n = this.records[head]!;
    while (n !== 0 && this.nodes[n * NODE_INTS + TX]! > tx) {
      prev = n;
      n = this.nodes[n * NODE_INTS + NEXT]!;
    }
    this.seekPrev = prev;
    return n;
  }

  /** Points `seekPrev` (or the head) at `next`; the seq-cst store publishes what was written before it. */
  private relink(head: number, next: number): void {
    if (this.seekPrev === -1) Atomics.store(this.records, head, next);
    else Atomics.store(this.nodes, this.seekPrev * NODE_INTS + NEXT, next);
  }

  /** Links `node` (of transaction tx) into the list at `head`, in place of tx's node if it has one. */
  private link(r: number, head: number, node: number): void {
    const tx = this.nodes[node * NODE_INTS + TX]!;
    const l = r * RECORD_INTS + LOCK;
    lock(this.records, l);
    const n = this.seek(head, tx);
    const replaces = n !== 0 && this.nodes[n * NODE_INTS + TX] === tx;
    this.nodes[node * NODE_INTS + NEXT] = replaces ? this.nodes[n * NODE_INTS + NEXT]! : n;
    this.relink(head, node);
    unlock(this.records, l);
  }

  /** Unlinks tx's node from the list at `head` if it is of an earlier incarnation than `incarnation`. */
  private unlinkStale(r: number, head: number, tx: number, incarnation: number): void {
    const l = r * RECORD_INTS + LOCK;
    lock(this.records, l);
    const n = this.seek(head, tx);
    const at = n * NODE_INTS;
    if (n !== 0 && this.nodes[at + TX] === tx && (this.nodes[at + INC]! & ~ESTIMATE) !== incarnation) {
      this.relink(head, this.nodes[at + NEXT]!);
    }
    unlock(this.records, l);
  }

  /** The list head a set entry's location refers to. */
  private headOf(loc: number): number {
    const base = (loc >>> 3) * RECORD_INTS;
    return (loc & 7) === LocKind.Clear ? base + AUX : base + HEAD;
  }

  // --- values ---

  private accountValue(w: AccountWrite): number {
    if (w.deleted) {
      const at = this.allocValue(1);
      this.arena.u32[at * 2] = DELETED;
      return at;
    }
    const noCode = w.codeHash === EMPTY_CODE_HASH;
    const at = this.allocValue(noCode ? 6 : 10);
    this.arena.u32[at * 2] = (w.code !== undefined ? HAS_CODE : 0) | (noCode ? NO_CODE : 0);
    this.arena.u64[at + 1] = w.nonce;
    this.arena.writeWord(at + 2, w.balance);
    if (!noCode) this.arena.writeWord(at + 6, w.codeHash);
    return at;
  }

  private feeValue(fee: bigint): number {
    const at = this.allocValue(5);
    this.arena.u32[at * 2] = FEE;
    this.arena.writeWord(at + 1, fee);
    return at;
  }

  private slotValue(v: bigint): number {
    if (v < 0x80000000n) return ~Number(v);
    const at = this.allocValue(4);
    this.arena.writeWord(at, v);
    return at;
  }

  private readSlotValue(node: number): bigint {
    const v = this.nodes[node * NODE_INTS + VALUE]!;
    return v < 0 ? BigInt(~v) : this.arena.readWord(v);
  }

  private flagsOf(node: number): number {
    return this.arena.u32[this.nodes[node * NODE_INTS + VALUE]! * 2]!;
  }

  private readAccountValue(node: number): AccountInfo | undefined {
    const at = this.nodes[node * NODE_INTS + VALUE]!;
    const flags = this.arena.u32[at * 2]!;
    if ((flags & DELETED) !== 0) return undefined;
    const codeHash = (flags & NO_CODE) !== 0 ? EMPTY_CODE_HASH : this.arena.readWord(at + 6);
    return { nonce: this.arena.u64[at + 1]!, balance: this.arena.readWord(at + 2), codeHash };
  }

  private readFee(node: number): bigint {
    return this.arena.readWord(this.nodes[node * NODE_INTS + VALUE]! + 1);
  }

  // --- the base state, through this view's cache ---

  /** The base's account of address record `r` (a copy: callers may change it). */
  private baseAccount(r: number, address: bigint): AccountInfo | undefined {
    const i = r & (BASE_CACHE - 1);
    if (this.baseIds[i] !== r) this.cacheBase(i, r, address);
    const info = this.baseInfos[i]!;
    return info === null ? undefined : { nonce: info.nonce, balance: info.balance, codeHash: info.codeHash };
  }

  private cacheBase(i: number, r: number, address: bigint): void {
    this.baseIds[i] = r;
    this.baseInfos[i] = this.base.account(address) ?? null;
    this.baseCodes[i] = undefined;
  }

  /** The base's code of `address`, cached with its account where it has a record. */
  private baseCode(address: bigint): Uint8Array {
    const r = this.addressRecord(address, false);
    if (r === 0) return this.base.code(address);
    const i = r & (BASE_CACHE - 1);
    if (this.baseIds[i] !== r) this.cacheBase(i, r, address);
    let code = this.baseCodes[i];
    if (code === undefined) this.baseCodes[i] = code = this.base.code(address);
    return code;
  }

  // --- reads, as transaction `txIndex` sees them, recorded into `reads`; each throws ReadBlocked at an ESTIMATE ---

  account(address: bigint, txIndex: number, reads: IntList | undefined): AccountInfo | undefined {
    const r = this.addressRecord(address, reads !== undefined);
    if (r === 0) return this.base.account(address);
    const loc = (r << 3) | LocKind.Account;
    let n = this.latest(r * RECORD_INTS + HEAD, txIndex);
    reads?.push2(loc, n);
    if (n === 0) return this.baseAccount(r, address);
    let fees = 0n;
    // Deferred fees (coinbase only) are deltas on the latest absolute value below them.
    while ((this.flagsOf(n) & FEE) !== 0) {
      fees += this.readFee(n);
      n = this.below(n);
      reads?.push2((r << 3) | LocKind.AccountMore, n);
      if (n === 0) return creditFee(this.baseAccount(r, address), fees);
    }
    return creditFee(this.readAccountValue(n), fees);
  }

  storage(address: bigint, slot: bigint, txIndex: number, reads: IntList | undefined): bigint {
    const a = this.addressRecord(address, reads !== undefined);
    if (a === 0) return this.base.storage(address, slot);
    const s = this.slotRecord(a, slot, reads !== undefined);
    const slotNode = s === 0 ? 0 : this.latest(s * RECORD_INTS + HEAD, txIndex);
    const clearNode = this.latest(a * RECORD_INTS + AUX, txIndex);
    if (reads !== undefined) {
      reads.push2((s << 3) | LocKind.Slot, slotNode);
      reads.push2((a << 3) | LocKind.Clear, clearNode);
    }
    const clearTx = clearNode === 0 ? -1 : this.nodes[clearNode * NODE_INTS + TX]!;
    // A slot written in the clearing transaction itself was written after the clear.
    if (slotNode !== 0 && this.nodes[slotNode * NODE_INTS + TX]! >= clearTx) return this.readSlotValue(slotNode);
    return clearNode !== 0 ? 0n : this.base.storage(address, slot);
  }

  /** Whether the account has a non-zero slot (EIP-7610), as the sequential overlay answers it. */
  hasStorage(address: bigint, txIndex: number, reads: IntList | undefined): boolean {
    const a = this.addressRecord(address, reads !== undefined);
    const value = a === 0 ? this.base.hasStorage(address) : this.hasStorageAt(a, address, txIndex);
    reads?.push2((a << 3) | LocKind.HasStorage, value ? 1 : 0);
    return value;
  }

  private hasStorageAt(a: number, address: bigint, txIndex: number): boolean {
    const clearNode = this.latest(a * RECORD_INTS + AUX, txIndex);
    const clearTx = clearNode === 0 ? -1 : this.nodes[clearNode * NODE_INTS + TX]!;
    for (let s = Atomics.load(this.slotHeads, a); s !== 0; s = this.records[s * RECORD_INTS + AUX]!) {
      const n = this.latest(s * RECORD_INTS + HEAD, txIndex);
      if (n !== 0 && this.nodes[n * NODE_INTS + TX]! >= clearTx && this.readSlotValue(n) !== 0n) return true;
    }
    return clearNode === 0 && this.base.hasStorage(address);
  }

  /** Code by the account's code hash (the account read is recorded by the caller). */
  code(address: bigint, codeHash: bigint): Uint8Array {
    if (codeHash === EMPTY_CODE_HASH) return EMPTY;
    return this.codeByHash(codeHash) ?? this.baseCode(address);
  }

  // --- publishing an incarnation ---

  /**
   * Publishes an incarnation's writes (and deferred coinbase fee), its read set and its encoded
   * result; unlinks what its previous incarnation wrote and this one did not.
   */
  record(
    txIndex: number,
    incarnation: number,
    reads: IntList,
    writes: StateWrites,
    fee: bigint | undefined,
    result: Uint8Array,
    execMicros: number,
  ): void {
    const entries = this.writeEntries;
    entries.length = 0;
    let coinbaseWritten = false;
    for (const [address, w] of writes) {
      if (address === this.coinbase) coinbaseWritten = true;
      const a = this.addressRecord(address, true);
      // A write that changed only storage leaves the account location alone: otherwise every call to a
      // contract whose storage changes would depend on the call before it.
      if (w.storageOnly !== true) {
        if (w.code !== undefined) this.putCode(w.codeHash, w.code);
        const node = this.allocNode(txIndex, incarnation, this.accountValue(w));
        this.link(a, a * RECORD_INTS + HEAD, node);
        entries.push2((a << 3) | LocKind.Account, node);
      }
      if (w.storageCleared) {
        const node = this.allocNode(txIndex, incarnation, 0);
        this.link(a, a * RECORD_INTS + AUX, node);
        entries.push2((a << 3) | LocKind.Clear, node);
      }
      for (const [slot, value] of w.storage) {
        const s = this.slotRecord(a, slot, true);
        const node = this.allocNode(txIndex, incarnation, this.slotValue(value));
        this.link(s, s * RECORD_INTS + HEAD, node);
        entries.push2((s << 3) | LocKind.Slot, node);
      }
    }
    // A zero fee changes nothing (canDeferFees rules out the one case where it would).
    if (fee !== undefined && fee !== 0n) {
      if (coinbaseWritten) throw new Error("a deferred fee beside a coinbase write");
      const a = this.addressRecord(this.coinbase, true);
      const node = this.allocNode(txIndex, incarnation, this.feeValue(fee));
      this.link(a, a * RECORD_INTS + HEAD, node);
      entries.push2((a << 3) | LocKind.Account, node);
    }
    const meta = META_HEADER + PER_TX * txIndex;
    const previous = this.meta[meta + WRITES_AT]!;
    if (previous !== 0) {
      const end = previous + 1 + this.sets[previous]!;
      for (let i = previous + 1; i < end; i += 2) {
        const loc = this.sets[i]!;
        this.unlinkStale(loc >>> 3, this.headOf(loc), txIndex, incarnation);
      }
    }
    this.meta[meta + WRITES_AT] = this.publishSet(entries.data, entries.length);
    this.meta[meta + READS_AT] = this.publishSet(reads.data, reads.length);
    const at = this.allocValue(1 + Math.ceil(result.length / 8));
    this.arena.u32[at * 2] = result.length;
    this.arena.bytes.set(result, at * 8 + 8);
    this.meta[meta + RESULT_AT] = at;
    this.meta[meta + EXEC_US] = execMicros;
  }

  /** Copies a set into the arena, its length first; returns where it starts. */
  private publishSet(data: Int32Array, length: number): number {
    const at = this.allocSet(1 + length);
    const sets = this.sets;
    sets[at] = length;
    // A loop: sets are short, and a subarray view per call costs more than the copy.
    for (let i = 0; i < length; i++) sets[at + 1 + i] = data[i]!;
    return at;
  }

  /** After an abort: the transaction's writes stay, as ESTIMATEs that make readers wait for it. */
  convertWritesToEstimates(txIndex: number): void {
    const at = this.meta[META_HEADER + PER_TX * txIndex + WRITES_AT]!;
    if (at === 0) return;
    const end = at + 1 + this.sets[at]!;
    for (let i = at + 1; i < end; i += 2) Atomics.or(this.nodes, this.sets[i + 1]! * NODE_INTS + INC, ESTIMATE);
  }

  // --- validation ---

  /** Whether every read of the transaction's last recorded incarnation would observe the same thing now. */
  validateReadSet(txIndex: number): boolean {
    const at = Atomics.load(this.meta, META_HEADER + PER_TX * txIndex + READS_AT);
    const sets = this.sets;
    const end = at + 1 + sets[at]!;
    try {
      for (let i = at + 1; i < end; i += 2) {
        const loc = sets[i]!;
        const kind = loc & 7;
        const r = loc >>> 3;
        if (kind === LocKind.HasStorage) {
          const now = this.hasStorageAt(r, this.addressOf(r), txIndex);
          if ((now ? 1 : 0) !== sets[i + 1]) return false;
          continue;
        }
        if (kind === LocKind.AccountMore) continue; // checked with the account read it follows
        let n = this.latest(this.headOf(loc), txIndex);
        if (n !== sets[i + 1]) return false;
        if (kind !== LocKind.Account) continue;
        // The fee chain the read folded must be the same nodes, no more and no fewer.
        let j = i + 2;
        while (n !== 0 && (this.flagsOf(n) & FEE) !== 0) {
          n = this.below(n);
          if (j >= end || (sets[j]! & 7) !== LocKind.AccountMore || sets[j + 1] !== n) return false;
          j += 2;
        }
        if (j < end && (sets[j]! & 7) === LocKind.AccountMore) return false;
      }
      return true;
    } catch (error) {
      if (error instanceof ReadBlocked) return false;
      throw error;
    }
  }

  // --- what the main thread reads back of a committed transaction ---

  /** Where the encoded result of the transaction's last recorded incarnation starts, in `arena.bytes`. */
  resultAt(txIndex: number): number {
    return this.meta[META_HEADER + PER_TX * txIndex + RESULT_AT]! * 8 + 8;
  }

  execMicros(txIndex: number): number {
    return this.meta[META_HEADER + PER_TX * txIndex + EXEC_US]!;
  }

  /** The writers of the versions the transaction's committed incarnation read (the dependency graph). */
  readFrom(txIndex: number, visit: (writer: number) => void): void {
    const at = this.meta[META_HEADER + PER_TX * txIndex + READS_AT]!;
    const end = at + 1 + this.sets[at]!;
    for (let i = at + 1; i < end; i += 2) {
      const kind = this.sets[i]! & 7;
      const n = this.sets[i + 1]!;
      if (kind !== LocKind.HasStorage && n !== 0) visit(this.nodes[n * NODE_INTS + TX]!);
    }
  }

  /**
   * The transaction's writes, rebuilt from its published write set. A storage-only write carries no
   * account fields (the account location was not written): `storageOnly` is set and the block's
   * overlay keeps the fields it has.
   */
  writesOf(txIndex: number): PublishedWrites {
    const out: PublishedWrites = { writes: new Map(), fee: undefined };
    this.forEachWrite(txIndex, {
      storageToMerge: () => undefined,
      account: (address, w) => out.writes.set(address, w),
      fee: (fee) => {
        out.fee = fee;
      },
    });
    return out;
  }

  /**
   * Hands the transaction's published writes to `sink`, an account at a time (the write set holds an
   * account's entries together: fields, clear, slots), then its deferred fee. Slot writes alone go
   * straight into the map `sink.storageToMerge` gives, if it gives one: no write object per account.
   */
  forEachWrite(txIndex: number, sink: WriteSink): void {
    const at = this.meta[META_HEADER + PER_TX * txIndex + WRITES_AT]!;
    if (at === 0) return;
    const sets = this.sets;
    const end = at + 1 + sets[at]!;
    let fee: bigint | undefined;
    for (let i = at + 1; i < end; ) {
      const a = this.entryAddressRecord(i);
      if (a === 0) {
        fee = this.readFee(sets[i + 1]!);
        i += 2;
        continue;
      }
      // The account's entries run to the first of another account (or the fee).
      let slotsOnly = (sets[i]! & 7) === LocKind.Slot;
      let j = i + 2;
      for (; j < end && this.entryAddressRecord(j) === a; j += 2) {
        if ((sets[j]! & 7) !== LocKind.Slot) slotsOnly = false;
      }
      const address = this.addressOf(a);
      const merge = slotsOnly ? sink.storageToMerge(address, a) : undefined;
      if (merge !== undefined) {
        for (let e = i; e < j; e += 2) merge.set(this.keyOf(sets[e]! >>> 3, 8), this.readSlotValue(sets[e + 1]!));
      } else {
        sink.account(address, this.accountWrite(i, j));
      }
      i = j;
    }
    if (fee !== undefined) sink.fee(fee);
  }

  /** The address record of the write-set entry at `i`; 0 for a deferred fee. */
  private entryAddressRecord(i: number): number {
    const loc = this.sets[i]!;
    const kind = loc & 7;
    if (kind === LocKind.Slot) return this.records[(loc >>> 3) * RECORD_INTS + LINK]!;
    if (kind === LocKind.Account && (this.flagsOf(this.sets[i + 1]!) & FEE) !== 0) return 0;
    return loc >>> 3;
  }

  /** One account's write, from its write-set entries `from` to `to`. */
  private accountWrite(from: number, to: number): AccountWrite {
    let account = 0;
    let storageCleared = false;
    const storage = new Map<bigint, bigint>();
    for (let i = from; i < to; i += 2) {
      const loc = this.sets[i]!;
      const node = this.sets[i + 1]!;
      const kind = loc & 7;
      if (kind === LocKind.Account) account = node;
      else if (kind === LocKind.Clear) storageCleared = true;
      else storage.set(this.keyOf(loc >>> 3, 8), this.readSlotValue(node));
    }
    // Built whole in one of the overlay's shapes (no property deleted or added after).
    if (account === 0) {
      return {
        deleted: false,
        nonce: 0n,
        balance: 0n,
        codeHash: EMPTY_CODE_HASH,
        storageCleared,
        storage,
        storageOnly: true,
      };
    }
    const at = this.nodes[account * NODE_INTS + VALUE]!;
    const arena = this.arena;
    const flags = arena.u32[at * 2]!;
    if ((flags & DELETED) !== 0) {
      return { deleted: true, nonce: 0n, balance: 0n, codeHash: EMPTY_CODE_HASH, storageCleared, storage };
    }
    const codeHash = (flags & NO_CODE) !== 0 ? EMPTY_CODE_HASH : arena.readWord(at + 6);
    const w: AccountWrite = {
      deleted: false,
      nonce: arena.u64[at + 1]!,
      balance: arena.readWord(at + 2),
      codeHash,
      storageCleared,
      storage,
    };
    if ((flags & HAS_CODE) !== 0) w.code = this.codeByHash(codeHash) ?? EMPTY;
    return w;
  }
}
