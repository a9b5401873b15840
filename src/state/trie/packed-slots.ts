// One account's storage as bytes: 32-byte slot keys and 32-byte big-endian values in two flat
// buffers. A large genesis's storage (a token's 1M slots) goes from the parser to the trie's leaves
// and the flat state's puts this way, without a Map of bigints the collector then has to trace.
import { bigintToBytes, bytesToBigint } from "../../primitives/hex.js";
import { inOrder, sortKeys } from "./key-order.js";

const WORD = 32;
/** The buffers before the first slot: most accounts have none. */
const NONE = new Uint8Array(0);

export class PackedSlots {
  keys: Uint8Array = NONE;
  values: Uint8Array = NONE;
  count = 0;
  private sorted = true;

  /** Slots of `entries` whose value is not zero, sorted by key; a key given twice is an error. */
  static fromEntries(entries: Iterable<readonly [bigint, bigint]>): PackedSlots {
    const slots = new PackedSlots();
    for (const [slot, value] of entries) {
      if (value === 0n) continue;
      const at = slots.append() * WORD;
      slots.keys.set(bigintToBytes(slot, WORD), at);
      slots.values.set(bigintToBytes(value, WORD), at);
    }
    if (!slots.sortByKey()) throw new Error("storage names a slot twice");
    return slots;
  }

  /** Slots already sorted by key, in buffers of their own (a storage handed to the writer thread). */
  static ofSorted(keys: Uint8Array, values: Uint8Array, count: number): PackedSlots {
    const slots = new PackedSlots();
    slots.keys = keys;
    slots.values = values;
    slots.count = count;
    return slots;
  }

  get size(): number {
    return this.count;
  }

  /** Appends a slot of zero key and value and returns its index: the caller writes its bytes. */
  append(): number {
    if ((this.count + 1) * WORD > this.keys.length) {
      const capacity = Math.max(4, this.count * 2) * WORD;
      this.keys = grown(this.keys, capacity);
      this.values = grown(this.values, capacity);
    }
    this.sorted = this.count === 0;
    return this.count++;
  }

  /** Drops the slot last appended (its bytes are zeroed for the next). */
  removeLast(): void {
    this.count--;
    this.keys.fill(0, this.count * WORD, (this.count + 1) * WORD);
    this.values.fill(0, this.count * WORD, (this.count + 1) * WORD);
  }

  /** Puts the slots in key order; false (and unchanged) where two share a key. */
  sortByKey(): boolean {
    if (this.sorted) return true;
    const { sorted, order, repeated } = sortKeys(this.keys, WORD, this.count);
    if (repeated >= 0) return false;
    this.keys = sorted;
    this.values = inOrder(this.values, WORD, order);
    this.sorted = true;
    return true;
  }

  key(i: number): Uint8Array {
    return this.keys.subarray(i * WORD, i * WORD + WORD);
  }

  /** Slot `i`'s value as minimal big-endian bytes (no leading zeros). */
  minimalValue(i: number): Uint8Array {
    let from = i * WORD;
    const end = from + WORD;
    while (from < end && this.values[from] === 0) from++;
    return this.values.subarray(from, end);
  }

  /** [slot, value] pairs, for readers that want bigints (tests, small storages). */
  *[Symbol.iterator](): IterableIterator<[bigint, bigint]> {
    for (let i = 0; i < this.count; i++) {
      yield [bytesToBigint(this.key(i)), bytesToBigint(this.values.subarray(i * WORD, i * WORD + WORD))];
    }
  }
}

/** The empty storage most accounts share; frozen, so it never gains a slot (append throws). */
export const NO_SLOTS = Object.freeze(new PackedSlots()) as PackedSlots;

function grown(a: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  out.set(a);
  return out;
}
