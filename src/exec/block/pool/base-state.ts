// The pre-block state as workers see it. A worker needs a synchronous Host; where it comes from is a
// `BaseSource`, sent once per block (a worker keeps what it opened while the source's id is unchanged):
// - "snapshot": a MemoryState serialised once into a SharedArrayBuffer (compact binary below); each
//   worker indexes it (address -> offset) and decodes accounts and storage lazily, on first read.
// - "lmdb": the LMDB environment at `path`, opened read-only in each worker once (lmdb-js shares the
//   writer's memory map within a process) and given a fresh read transaction every block, so the
//   workers read exactly the last committed block: the node's state, with nothing copied.
// BLOCKHASH cannot be shipped as a function: the block message carries the 256 hashes in its window.
import type { AccountInfo, Host } from "../../../evm/host.js";
import { EMPTY_CODE_HASH } from "../../../primitives/keccak.js";
import { LmdbState } from "../../../state/lmdb-state.js";
import { ByteReader, ByteWriter } from "../../../threads/byte-codec.js";

/** What a worker opens as its base Host. */
export type BaseSource =
  | { kind: "snapshot"; id: number; buffer: SharedArrayBuffer }
  | { kind: "lmdb"; id: number; path: string };

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

/** The base for workers reading the committed state of the LMDB environment at `path` (one id per path). */
export function lmdbBase(path: string): BaseSource {
  let id = lmdbIds.get(path);
  if (id === undefined) lmdbIds.set(path, (id = nextSnapshotId++));
  return { kind: "lmdb", id, path };
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
  source: BaseSource,
  cached: { id: number; host: WorkerBase } | undefined,
): { id: number; host: WorkerBase } {
  if (cached !== undefined && cached.id === source.id) {
    if (cached.host instanceof LmdbBase) cached.host.refresh();
    return cached;
  }
  if (source.kind === "lmdb") return { id: source.id, host: new LmdbBase(LmdbState.openReadOnly(source.path)) };
  return { id: source.id, host: new SnapshotHost(source.buffer) };
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
