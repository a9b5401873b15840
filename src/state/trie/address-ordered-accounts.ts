// The flat state's account records, held by the bulk loader and written in address order at the
// end. The accounts table is keyed by address: batches in arrival (random) order each dirty most of
// the table's B-tree pages, so 1M accounts in 50k-account batches took 7.2 s against 1.5 s for the
// same batches in key order (lmdb-js, measured). Held as bytes in flat buffers: no object per account.
import type { RawStateTables } from "../lmdb-state.js";
import { LeafBuffer } from "./bulk-build.js";

const ADDRESS_BYTES = 20;

export class AddressOrderedAccounts {
  private records = new LeafBuffer(ADDRESS_BYTES);

  get size(): number {
    return this.records.count;
  }

  /** An account's address (20 bytes) and its record in the accounts table (LmdbState's encodeAccount). */
  add(address: Uint8Array, record: Uint8Array): void {
    this.records.add(address, record);
  }

  /**
   * The records and their ascending address order (writeAccountsInOrder's), forgotten here. An
   * address added twice is a DuplicateLeafError naming the later one's index in the order added.
   */
  take(): { records: LeafBuffer; order: Uint32Array<ArrayBuffer> } {
    const records = this.records;
    const order = records.sortedOrder();
    this.records = new LeafBuffer(ADDRESS_BYTES);
    return { records, order };
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
