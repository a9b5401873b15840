// The net writes of a block whose LMDB commit is still in flight, as bytes for the pool's workers.
// The node executes the next block over them (chain/committing-state.ts layers them over LMDB), and
// so do the workers, which read LMDB: they layer the same writes over what they read. Encoded once per
// Block-STM run, when its block message is sent; each worker decodes them once.
//
// Per account: address, flags (DELETED, CLEARED, CODE), nonce, balance, code hash, the code where it
// changed, then the changed slots. The block's net writes carry no `storageOnly` (the block's overlay
// fills the account's fields when it merges such a write).
import type { AccountWrite, StateWrites } from "../../../evm/host.js";
import { ByteReader, ByteWriter } from "../../../threads/byte-codec.js";

const DELETED = 1;
const CLEARED = 2;
const CODE = 4;

export function encodePendingWrites(writes: StateWrites): SharedArrayBuffer {
  const w = new ByteWriter();
  w.u32(writes.size);
  for (const [address, write] of writes) {
    if (write.storageOnly === true) throw new Error("pending writes: a block's net write has no storageOnly");
    w.big(address);
    w.u8((write.deleted ? DELETED : 0) | (write.storageCleared ? CLEARED : 0) | (write.code ? CODE : 0));
    w.big(write.nonce);
    w.big(write.balance);
    w.big(write.codeHash);
    if (write.code) w.raw(write.code);
    w.u32(write.storage.size);
    for (const [slot, value] of write.storage) {
      w.big(slot);
      w.big(value);
    }
  }
  const buffer = new SharedArrayBuffer(w.length);
  new Uint8Array(buffer).set(w.view8());
  return buffer;
}

export function decodePendingWrites(buffer: SharedArrayBuffer): StateWrites {
  const r = new ByteReader(new Uint8Array(buffer));
  const writes: StateWrites = new Map();
  for (let n = r.u32(); n > 0; n--) {
    const address = r.big();
    const flags = r.u8();
    const write: AccountWrite = {
      deleted: (flags & DELETED) !== 0,
      nonce: r.big(),
      balance: r.big(),
      codeHash: r.big(),
      storageCleared: (flags & CLEARED) !== 0,
      storage: new Map(),
    };
    if ((flags & CODE) !== 0) write.code = r.raw();
    for (let slots = r.u32(); slots > 0; slots--) write.storage.set(r.big(), r.big());
    writes.set(address, write);
  }
  return writes;
}
