// The pre-block state as workers see it. A worker needs a synchronous Host; where it comes from is a
// `BaseSource`, sent once per block (a worker keeps what it opened while the source's id is unchanged):
// - "snapshot": a MemoryState serialised once into a SharedArrayBuffer (compact binary below); each
//   worker indexes it (address -> offset) and decodes accounts and storage lazily, on first read.
// - "lmdb": the LMDB environment at `path`, opened read-only in each worker once (lmdb-js shares the
//   writer's memory map within a process) and given a fresh read transaction every block, so the
//   workers read the last committed block: the node's state, with nothing copied. Where the parent
//   block's commit is still in flight, its net writes come along (`pending`, as bytes in the block
//   message) and the workers layer them over LMDB as the main thread does (committing-state.ts):
//   LMDB holds the parent's parent or, once the commit lands, the parent, and the writes answer either.
// BLOCKHASH cannot be shipped as a function: the block message carries the 256 hashes in its window.
import type { AccountInfo, Host, StateWrites } from "../../../evm/host.js";
import { EMPTY_CODE_HASH } from "../../../primitives/keccak.js";
import { LmdbState } from "../../../state/lmdb-state.js";
import { ByteReader, ByteWriter } from "../../../threads/byte-codec.js";
import { BlockOverlay } from "../overlay.js";
import { decodePendingWrites, encodePendingWrites } from "./pending-writes.js";

type SnapshotSource = { kind: "snapshot"; id: number; buffer: SharedArrayBuffer };

/** What a worker opens as its base Host. */
export type BaseSource = SnapshotSource | { kind: "lmdb"; id: number; path: string; pending?: StateWrites };

/** A BaseSource as a block message carries it: the pending writes as bytes. */
export type BaseWire = SnapshotSource | { kind: "lmdb"; id: number; path: string; pending?: SharedArrayBuffer };

/** The source as the block message carries it (pending writes encoded here, once per run). */
export function baseWire(source: BaseSource): BaseWire {
  if (source.kind === "snapshot") return source;
  const { id, path, pending } = source;
  return pending === undefined
    ? { kind: "lmdb", id, path }
    : { kind: "lmdb", id, path, pending: encodePendingWrites(pending) };
}

/** What a worker reads the pre-block state through; `blockHashes[i]` is the hash of block `firstHashed + i`. */
export interface WorkerBase extends Host {
  blockHashes: readonly bigint[];
  firstHashed: bigint;
}

/** BLOCKHASH from the window the block message carries (0n outside it). */
function hashInWindow(base: WorkerBase, number: bigint): bigint {
  const i = Number(number - base.firstHashed);
  return i >= 0 && i < base.blockHashes.length ? base.blockHashes[i]! : 0n;
}

/** The reads a snapshot needs: MemoryState has them. */
export interface SnapshotableState extends Host {
  addresses(): Iterable<bigint>;
  storageEntries(address: bigint): ReadonlyMap<bigint, bigint>;
}

let nextSnapshotId = 1;

const lmdbIds = new Map<string, number>();

/**
 * The base for workers reading the committed state of the LMDB environment at `path` (one id per
 * path), with `pending`: the net writes of the parent block while its commit is in flight.
 */
export function lmdbBase(path: string, pending?: StateWrites): BaseSource {
  let id = lmdbIds.get(path);
  if (id === undefined) lmdbIds.set(path, (id = nextSnapshotId++));
  return pending === undefined ? { kind: "lmdb", id, path } : { kind: "lmdb", id, path, pending };
}

/**
 * Serialises `state` once: per account address, nonce, balance, code hash, code, then its slots.
 * The id tells workers whether they already hold this version.
 */
export function snapshotState(state: SnapshotableState): BaseSource {
  const w = new ByteWriter();
  const addresses = [...state.addresses()];
  w.u32(addresses.length);
  for (const address of addresses) {
    const info = state.account(address)!;
    w.big(address);
    w.big(info.nonce);
    w.big(info.balance);
    w.big(info.codeHash);
    w.raw(info.codeHash === EMPTY_CODE_HASH ? new Uint8Array(0) : state.code(address));
    const storage = state.storageEntries(address);
    w.u32(storage.size);
    for (const [slot, value] of storage) {
      w.big(slot);
      w.big(value);
    }
  }
  const buffer = new SharedArrayBuffer(w.length);
  new Uint8Array(buffer).set(w.view8());
  return { kind: "snapshot", id: nextSnapshotId++, buffer };
}

const EMPTY = new Uint8Array(0);

interface Decoded {
  info: AccountInfo;
  codeAt: number;
  storageAt: number;
  storageCount: number;
  code?: Uint8Array;
  storage?: Map<bigint, bigint>;
}

/** A read-only Host over a snapshot; `blockHashes[i]` is the hash of block `firstHashed + i`. */
export class SnapshotHost implements WorkerBase {
  private readonly bytes: Uint8Array;
  private readonly offsets = new Map<bigint, number>();
  private readonly decoded = new Map<bigint, Decoded>();
  blockHashes: readonly bigint[] = [];
  firstHashed = 0n;

  constructor(buffer: SharedArrayBuffer) {
    this.bytes = new Uint8Array(buffer);
    const r = new ByteReader(this.bytes);
    const count = r.u32();
    for (let i = 0; i < count; i++) {
      const address = r.big();
      this.offsets.set(address, r.pos);
      r.skipBig();
      r.skipBig();
      r.skipBig();
      r.skipRaw();
      const slots = r.u32();
      for (let s = 0; s < 2 * slots; s++) r.skipBig();
    }
  }

  private get(address: bigint): Decoded | undefined {
    let d = this.decoded.get(address);
    if (d !== undefined) return d;
    const at = this.offsets.get(address);
    if (at === undefined) return undefined;
    const r = new ByteReader(this.bytes, at);
    const info = { nonce: r.big(), balance: r.big(), codeHash: r.big() };
    const codeAt = r.pos;
    r.skipRaw();
    const storageCount = r.u32();
    d = { info, codeAt, storageAt: r.pos, storageCount };
    this.decoded.set(address, d);
    return d;
  }

  account(address: bigint): AccountInfo | undefined {
    const info = this.get(address)?.info;
    // A copy: callers may keep or change what they get.
    return info === undefined ? undefined : { nonce: info.nonce, balance: info.balance, codeHash: info.codeHash };
  }

  code(address: bigint): Uint8Array {
    const d = this.get(address);
    if (d === undefined) return EMPTY;
    if (d.code === undefined) d.code = new ByteReader(this.bytes, d.codeAt).raw();
    return d.code;
  }

  storage(address: bigint, slot: bigint): bigint {
    const d = this.get(address);
    if (d === undefined || d.storageCount === 0) return 0n;
    if (d.storage === undefined) {
      const r = new ByteReader(this.bytes, d.storageAt);
      d.storage = new Map();
      for (let i = 0; i < d.storageCount; i++) d.storage.set(r.big(), r.big());
    }
    return d.storage.get(slot) ?? 0n;
  }

  hasStorage(address: bigint): boolean {
    return (this.get(address)?.storageCount ?? 0) > 0;
  }

  blockHash(number: bigint): bigint {
    return hashInWindow(this, number);
  }
}

/** Worker side: the Host for `source`, reusing the one already open for the same id. */
export function openBase(
  source: BaseWire,
  cached: { id: number; host: WorkerBase } | undefined,
): { id: number; host: WorkerBase } {
  if (cached !== undefined && cached.id === source.id) {
    if (cached.host instanceof LmdbBase) cached.host.refresh();
    return cached;
  }
  if (source.kind === "lmdb") return { id: source.id, host: new LmdbBase(LmdbState.openReadOnly(source.path)) };
  return { id: source.id, host: new SnapshotHost(source.buffer) };
}

/** Worker side: this block's base, `opened` with the source's pending writes over it where it has some. */
export function blockBase(source: BaseWire, opened: WorkerBase): WorkerBase {
  if (source.kind === "snapshot" || source.pending === undefined) return opened;
  return new PendingBase(opened, decodePendingWrites(source.pending));
}

/** A block in flight's net writes over the committed state (committing-state.ts's layering). */
class PendingBase extends BlockOverlay implements WorkerBase {
  blockHashes: readonly bigint[] = [];
  firstHashed = 0n;

  constructor(committed: WorkerBase, pending: StateWrites) {
    super(committed);
    this.apply(pending, true);
  }

  override blockHash(number: bigint): bigint {
    return hashInWindow(this, number);
  }
}

/** The committed LMDB state as a worker's base (BLOCKHASH from the block message, like a snapshot's). */
class LmdbBase implements WorkerBase {
  blockHashes: readonly bigint[] = [];
  firstHashed = 0n;

  constructor(private readonly state: LmdbState) {}

  refresh(): void {
    this.state.refresh();
  }

  account(address: bigint): AccountInfo | undefined {
    return this.state.account(address);
  }

  code(address: bigint): Uint8Array {
    return this.state.code(address);
  }

  storage(address: bigint, slot: bigint): bigint {
    return this.state.storage(address, slot);
  }

  hasStorage(address: bigint): boolean {
    return this.state.hasStorage(address);
  }

  blockHash(number: bigint): bigint {
    return hashInWindow(this, number);
  }
}
