// Multi-version memory across threads, as a replicated log: every MVMemory mutation (an
// incarnation's record: writes, deferred fee and read set; an abort's ESTIMATE marking) is encoded
// and appended, under one short lock, to an append-only log in a SharedArrayBuffer. Each worker keeps
// its own MVMemory replica and applies the log up to the current tail before every read, validation
// and append, so all replicas go through the same sequence of states (the log order is the
// linearisation), and every read is synchronous and local. A mutation is in the log before its
// scheduler step (finishExecution, finishValidation) is, so whoever gets a task that the step
// created sees the mutation, as Block-STM requires.
import type { AccountWrite, StateWrites } from "../../../evm/host.js";
import type { MVMemory, Read } from "../mv-memory.js";
import { ReadKind } from "../mv-memory.js";
import { ByteReader, ByteWriter } from "./codec.js";
import { Ctl, lock, unlock } from "./shared-scheduler.js";

const RECORD = 1;
const ESTIMATE = 2;

/** The log ran out of room: the block falls back to another executor. */
export class LogFull extends Error {
  constructor() {
    super("Block-STM op log full");
    this.name = "LogFull";
  }
}

export function encodeWrites(w: ByteWriter, writes: StateWrites): void {
  w.u32(writes.size);
  for (const [address, a] of writes) {
    w.big(address);
    w.u8((a.deleted ? 1 : 0) | (a.storageCleared ? 2 : 0) | (a.code !== undefined ? 4 : 0) | (a.storageOnly ? 8 : 0));
    w.big(a.nonce);
    w.big(a.balance);
    w.big(a.codeHash);
    if (a.code !== undefined) w.raw(a.code);
    w.u32(a.storage.size);
    for (const [slot, value] of a.storage) {
      w.big(slot);
      w.big(value);
    }
  }
}

export function decodeWrites(r: ByteReader): StateWrites {
  const writes: StateWrites = new Map();
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    const address = r.big();
    const flags = r.u8();
    const a: AccountWrite = {
      deleted: (flags & 1) !== 0,
      nonce: r.big(),
      balance: r.big(),
      codeHash: r.big(),
      storageCleared: (flags & 2) !== 0,
      storage: new Map(),
    };
    if (flags & 4) a.code = r.raw();
    if (flags & 8) a.storageOnly = true;
    const slots = r.u32();
    for (let s = 0; s < slots; s++) a.storage.set(r.big(), r.big());
    writes.set(address, a);
  }
  return writes;
}

function encodeReads(w: ByteWriter, reads: readonly Read[]): void {
  w.u32(reads.length);
  for (const read of reads) {
    w.u8(read.kind);
    w.big(read.address);
    switch (read.kind) {
      case ReadKind.Account:
        w.u32(read.versions.length);
        for (const v of read.versions) w.i32(v);
        break;
      case ReadKind.Slot:
        w.big(read.slot);
        w.i32(read.tx);
        w.i32(read.incarnation);
        w.i32(read.clearTx);
        w.i32(read.clearIncarnation);
        break;
      case ReadKind.HasStorage:
        w.u8(read.value ? 1 : 0);
        break;
    }
  }
}

function decodeReads(r: ByteReader): Read[] {
  const count = r.u32();
  const reads: Read[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const kind = r.u8() as ReadKind;
    const address = r.big();
    switch (kind) {
      case ReadKind.Account: {
        const n = r.u32();
        const versions: number[] = new Array(n);
        for (let j = 0; j < n; j++) versions[j] = r.i32();
        reads[i] = { kind, address, versions };
        break;
      }
      case ReadKind.Slot:
        reads[i] = {
          kind,
          address,
          slot: r.big(),
          tx: r.i32(),
          incarnation: r.i32(),
          clearTx: r.i32(),
          clearIncarnation: r.i32(),
        };
        break;
      case ReadKind.HasStorage:
        reads[i] = { kind, address, value: r.u8() === 1 };
        break;
    }
  }
  return reads;
}

export class OpLog {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private readonly writer = new ByteWriter();
  /** Bytes of the log already applied to this replica. */
  private applied = 0;

  constructor(
    private readonly ctl: Int32Array,
    buffer: SharedArrayBuffer,
    private readonly memory: MVMemory,
  ) {
    this.bytes = new Uint8Array(buffer);
    this.view = new DataView(buffer);
  }

  /** Applies what other workers appended since the last call; one atomic load when nothing did. */
  catchUp(limit = Atomics.load(this.ctl, Ctl.LOG_TAIL)): void {
    while (this.applied < limit) {
      const len = this.view.getUint32(this.applied, true);
      const r = new ByteReader(this.bytes, this.applied + 4);
      const type = r.u8();
      const txIndex = r.u32();
      if (type === RECORD) {
        const incarnation = r.u32();
        const writes = decodeWrites(r);
        const fee = r.u8() === 1 ? r.big() : undefined;
        this.memory.record(txIndex, incarnation, decodeReads(r), writes, fee);
      } else {
        this.memory.convertWritesToEstimates(txIndex);
      }
      this.applied += 4 + len;
    }
  }

  /** Appends the writer's bytes; returns where the entry starts. */
  private append(): number {
    const payload = this.writer.view8();
    lock(this.ctl, Ctl.LOG_LOCK);
    const start = Atomics.load(this.ctl, Ctl.LOG_TAIL);
    const end = start + 4 + payload.length;
    if (end > this.bytes.length) {
      unlock(this.ctl, Ctl.LOG_LOCK);
      throw new LogFull();
    }
    this.view.setUint32(start, payload.length, true);
    this.bytes.set(payload, start + 4);
    // The seq-cst store publishes the bytes above to any worker that loads the new tail.
    Atomics.store(this.ctl, Ctl.LOG_TAIL, end);
    unlock(this.ctl, Ctl.LOG_LOCK);
    return start;
  }

  /** MVMemory.record, through the log; returns its `wroteNew`. */
  record(txIndex: number, incarnation: number, reads: Read[], writes: StateWrites, fee: bigint | undefined): boolean {
    const w = this.writer;
    w.reset();
    w.u8(RECORD);
    w.u32(txIndex);
    w.u32(incarnation);
    encodeWrites(w, writes);
    if (fee === undefined) w.u8(0);
    else {
      w.u8(1);
      w.big(fee);
    }
    encodeReads(w, reads);
    const start = this.append();
    this.catchUp(start);
    // Our own entry: applied from the objects in hand, not decoded back.
    const wroteNew = this.memory.record(txIndex, incarnation, reads, writes, fee);
    this.applied = start + 4 + w.length;
    return wroteNew;
  }

  /** MVMemory.convertWritesToEstimates, through the log. */
  convertWritesToEstimates(txIndex: number): void {
    const w = this.writer;
    w.reset();
    w.u8(ESTIMATE);
    w.u32(txIndex);
    const start = this.append();
    this.catchUp(start + 4 + w.length);
  }
}
