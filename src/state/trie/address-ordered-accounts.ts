// The flat state's account records, held by the bulk loader and written in address order at the
// end. The accounts table is keyed by address: batches in arrival (random) order each dirty most of
// the table's B-tree pages, so 1M accounts in 50k-account batches took 7.2 s against 1.5 s for the
// same batches in key order (lmdb-js, measured). Held as bytes in flat buffers: no object per account.
//
// Each account's storage root is kept beside its record: the account trie's leaves are made from
// both where the records are written (accountLeavesOf), on the writer thread in a large load.
import { bigintToBytes } from "../../primitives/hex.js";
import { EMPTY_CODE_HASH, keccak256OfInto } from "../../primitives/keccak.js";
import type { RawStateTables } from "../lmdb-state.js";
import { LeafBuffer } from "./bulk-build.js";
import { MAX_ACCOUNT_LEAF_VALUE, writeAccountLeafValueOfBytes } from "./leaves.js";

const ADDRESS_BYTES = 20;
const ROOT_BYTES = 32;
const EMPTY_CODE_HASH_BYTES = bigintToBytes(EMPTY_CODE_HASH, 32);

export class AddressOrderedAccounts {
  private records = new LeafBuffer(ADDRESS_BYTES);
  private storageRoots = new Uint8Array(ROOT_BYTES * 1024);

  get size(): number {
    return this.records.count;
  }

  /**
   * An account's address (20 bytes), its record in the accounts table (LmdbState's
   * encodeAccountOfMinimal) and its storage root (32 bytes).
   */
  add(address: Uint8Array, record: Uint8Array, storageRoot: Uint8Array): void {
    const at = this.records.count * ROOT_BYTES;
    if (at + ROOT_BYTES > this.storageRoots.length) {
      const grown = new Uint8Array(this.storageRoots.length * 2);
      grown.set(this.storageRoots);
      this.storageRoots = grown;
    }
    this.storageRoots.set(storageRoot, at);
    this.records.add(address, record);
  }

  /**
   * The records, their ascending address order (writeAccountsInOrder's) and their storage roots (32
   * bytes each, in the order added), forgotten here. An address added twice is a
   * DuplicateLeafError naming the later one's index in the order added.
   */
  take(): { records: LeafBuffer; order: Uint32Array<ArrayBuffer>; storageRoots: Uint8Array<ArrayBuffer> } {
    const records = this.records;
    const order = records.sortedOrder();
    const storageRoots = this.storageRoots.slice(0, records.count * ROOT_BYTES);
    this.records = new LeafBuffer(ADDRESS_BYTES);
    return { records, order, storageRoots };
  }
}

/** Adds each account's leaf (keccak256(address), rlp([nonce, balance, storageRoot, codeHash])) to `leaves`, in the order added. */
export function accountLeavesOf(leaves: LeafBuffer, records: LeafBuffer, storageRoots: Uint8Array): void {
  // Read in place (a million accounts: no views made per account).
  const { keys, values, ends, count } = records.parts();
  const key = new Uint8Array(32);
  const value = new Uint8Array(MAX_ACCOUNT_LEAF_VALUE);
  for (let i = 0, start = 0; i < count; start = ends[i++]!) {
    // The record: nonce length, nonce, balance length, balance, then the code hash where there is code.
    const nonceEnd = start + 1 + values[start]!;
    const balanceEnd = nonceEnd + 1 + values[nonceEnd]!;
    const withCode = ends[i]! > balanceEnd;
    keccak256OfInto(keys, i * ADDRESS_BYTES, ADDRESS_BYTES, key, 0);
    const length = writeAccountLeafValueOfBytes(
      value,
      values.subarray(start + 1, nonceEnd),
      values.subarray(nonceEnd + 1, balanceEnd),
      withCode ? values.subarray(balanceEnd, balanceEnd + 32) : EMPTY_CODE_HASH_BYTES,
      storageRoots.subarray(i * ROOT_BYTES, (i + 1) * ROOT_BYTES),
    );
    leaves.add(key, value.subarray(0, length));
  }
}
/** Writes account records (keyed by address) in `order`, `batch` per transaction. */
export function writeAccountsInOrder(
  lmdb: { writeRawStateSync(write: (tables: RawStateTables) => void, mostlyInOrder: boolean): void },
  records: LeafBuffer,
  order: Uint32Array,
  batch: number,
): void {
  for (let from = 0; from < order.length; from += batch) {
    lmdb.writeRawStateSync((tables) => {
      const end = Math.min(order.length, from + batch);
      for (let n = from; n < end; n++) tables.account(records.key(order[n]!), records.value(order[n]!));
    }, true);
  }
}
