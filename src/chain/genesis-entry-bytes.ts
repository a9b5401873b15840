// One alloc entry's value read straight from its JSON bytes, for the common spelling: an object of
// "balance", "nonce", "code" and "storage" whose values are plain strings (storage: an object of
// them). A large genesis is almost all such entries (1M accounts: 218 MB), and JSON.parse of one
// builds an object, its property strings and Object.entries' pairs only to be converted again; a
// token's storage of 1M slots was one 140 MB string parsed whole. Anything else (numbers, null,
// escapes, secretKey, a repeated field, bad text) is left to JSON.parse and parseAllocEntry, which
// give the same result where the entry is good and the error message where it is not.
import { bigintToMinimalBytes, bytesToBigint, hexToBytes } from "../primitives/hex.js";
import { NO_SLOTS, PackedSlots } from "../state/trie/packed-slots.js";
import type { StreamedGenesisAccount } from "./genesis.js";

/** The widest nonce and balance, in bytes (genesis.ts's quantity limits: 2^64 - 1 and 2^256 - 1). */
const NONCE_BYTES = 8;
const BALANCE_BYTES = 32;
const NO_BYTES = new Uint8Array(0);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const WORD = 32;
/** The fields of the common spelling, as bytes: a field's index is its bit in `seen`. */
const FIELDS = ["balance", "nonce", "code", "storage"].map((name) => Buffer.from(name, "latin1"));
const [BALANCE, NONCE, CODE, STORAGE] = [0, 1, 2, 3];
/** A byte's value as a hex digit (either case), or -1. */
const HEX_DIGIT_VALUE = new Int8Array(256).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX_DIGIT_VALUE["0123456789abcdef".charCodeAt(i)] = i;
  HEX_DIGIT_VALUE["0123456789ABCDEF".charCodeAt(i)] = i;
}

/** Not the common spelling: the caller parses the entry the general way. */
class NotPlain extends Error {}
const NOT_PLAIN = new NotPlain();

/** Reads one value's bytes; every reader throws NOT_PLAIN where the fast path does not apply. */
class Reader {
  at = 0;
  constructor(private readonly bytes: Uint8Array) {}

  skipSpace(): number {
    const b = this.bytes;
    while (this.at < b.length && b[this.at]! <= 0x20) this.at++;
    return this.at < b.length ? b[this.at]! : -1;
  }

  expect(byte: number): void {
    if (this.skipSpace() !== byte) throw NOT_PLAIN;
    this.at++;
  }

  /** A string without escapes: [start, end) of its contents. */
  string(): [number, number] {
    this.expect(QUOTE);
    const start = this.at;
    const b = this.bytes;
    while (this.at < b.length && b[this.at] !== QUOTE) {
      if (b[this.at] === BACKSLASH) throw NOT_PLAIN;
      this.at++;
    }
    if (this.at >= b.length) throw NOT_PLAIN;
    return [start, this.at++];
  }

  /** After a member: true where another follows (a comma), false at the closing brace. */
  more(): boolean {
    const c = this.skipSpace();
    this.at++;
    if (c === COMMA) return true;
    if (c === CLOSE_OBJECT) return false;
    throw NOT_PLAIN;
  }

  text(start: number, end: number): string {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.length).toString("latin1", start, end);
  }

  /** Hex digits in [start, end), after an optional 0x: where they start. */
  hexDigitsFrom(start: number, end: number): number {
    const b = this.bytes;
    const from =
      end - start >= 2 && b[start] === 0x30 && (b[start + 1] === 0x78 || b[start + 1] === 0x58) ? start + 2 : start;
    for (let i = from; i < end; i++) {
      const c = b[i]! | 0x20;
      if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) throw NOT_PLAIN;
    }
    return from;
  }

  /** The index in FIELDS of a member's name. */
  field(): number {
    const [start, end] = this.string();
    const b = this.bytes;
    const index = FIELDS.findIndex((f) => f.length === end - start && f.every((c, i) => b[start + i] === c));
    if (index < 0) throw NOT_PLAIN;
    return index;
  }

  /**
   * As genesis.ts's fixedHex for 32 bytes (optional 0x, at most 64 hex digits), into
   * `target[at..at+32)` as big-endian bytes (which are zero); false where the value is zero.
   */
  wordInto(target: Uint8Array, at: number): boolean {
    // The string read here, not by `string`: a token's storage is millions of these.
    this.expect(QUOTE);
    const b = this.bytes;
    const start = this.at;
    const last = Math.min(b.length, start + WORD * 2 + 3);
    let end = start;
    while (end < last && b[end] !== QUOTE) end++;
    if (end === last) throw NOT_PLAIN;
    this.at = end + 1;
    const from =
      end - start >= 2 && b[start] === 0x30 && (b[start + 1] === 0x78 || b[start + 1] === 0x58) ? start + 2 : start;
    if (end - from > WORD * 2) throw NOT_PLAIN;
    // Decoded from the last digit back (an odd count has a lone first digit), no string made: a
    // token's storage is millions of these.
    let out = at + WORD;
    let bits = 0;
    for (let i = end; i > from; i -= 2) {
      const low = HEX_DIGIT_VALUE[b[i - 1]!]!;
      const high = i - 2 >= from ? HEX_DIGIT_VALUE[b[i - 2]!]! : 0;
      if ((low | high) < 0) throw NOT_PLAIN;
      const byte = (high << 4) | low;
      target[--out] = byte;
      bits |= byte;
    }
    return bits !== 0;
  }

  /**
   * As genesis.ts's quantity for a string ("0x" hex or decimal digits, at most `maxBytes` wide), as
   * minimal big-endian bytes: hex is decoded where it lies (a million balances: no string, no BigInt).
   */
  quantityBytes(maxBytes: number): Uint8Array {
    const [start, end] = this.string();
    const b = this.bytes;
    if (end - start >= 2 && b[start] === 0x30 && (b[start + 1] === 0x78 || b[start + 1] === 0x58)) {
      let from = this.hexDigitsFrom(start, end);
      while (from < end && b[from] === 0x30) from++;
      if (end - from > maxBytes * 2) throw NOT_PLAIN;
      if (from === end) return NO_BYTES;
      const out = new Uint8Array((end - from + 1) >> 1);
      // From the last digit back: an odd count has a lone first digit.
      for (let i = end, o = out.length; i > from; i -= 2) {
        out[--o] = (i - 2 >= from ? HEX_DIGIT_VALUE[b[i - 2]!]! << 4 : 0) | HEX_DIGIT_VALUE[b[i - 1]!]!;
      }
      return out;
    }
    if (end === start) throw NOT_PLAIN;
    for (let i = start; i < end; i++) if (b[i]! < 0x30 || b[i]! > 0x39) throw NOT_PLAIN;
    const n = BigInt(this.text(start, end));
    if (n >= 1n << BigInt(maxBytes * 8)) throw NOT_PLAIN;
    return bigintToMinimalBytes(n);
  }

  /** As genesis.ts's hexBytes: optional 0x, an even number of hex digits. */
  hexBytes(): Uint8Array {
    const [start, end] = this.string();
    const from = this.hexDigitsFrom(start, end);
    if ((end - from) & 1) throw NOT_PLAIN;
    return hexToBytes(this.text(from, end));
  }

  /** Non-zero slots in key order; NOT_PLAIN where a slot is named twice (JSON.parse keeps the last). */
  storage(): PackedSlots {
    const slots = new PackedSlots();
    this.expect(OPEN_OBJECT);
    if (this.skipSpace() === CLOSE_OBJECT) {
      this.at++;
      return slots;
    }
    do {
      const at = slots.append() * WORD;
      this.wordInto(slots.keys, at);
      this.expect(COLON);
      // As parseAllocEntry: zero slots are left out.
      if (!this.wordInto(slots.values, at)) slots.removeLast();
    } while (this.more());
    if (!slots.sortByKey()) throw NOT_PLAIN;
    return slots;
  }
}

/**
 * An alloc entry read from its bytes: its nonce and balance kept as minimal big-endian bytes, which
 * the bulk loader takes as they are (BulkAccount's nonceBytes and balanceBytes), as bigints on demand.
 */
export class PlainGenesisAccount implements StreamedGenesisAccount {
  nonceBytes: Uint8Array = NO_BYTES;
  balanceBytes: Uint8Array = NO_BYTES;
  code: Uint8Array = NO_BYTES;
  /** Where the entry names none, one shared empty storage (most accounts). */
  storage: PackedSlots = NO_SLOTS;

  get nonce(): bigint {
    return bytesToBigint(this.nonceBytes);
  }

  get balance(): bigint {
    return bytesToBigint(this.balanceBytes);
  }
}

/**
 * The account of an alloc entry whose value's JSON is `bytes`, or undefined where it is not in the
 * common spelling (then JSON.parse it and use parseAllocEntry).
 */
export function parsePlainAccount(bytes: Uint8Array): PlainGenesisAccount | undefined {
  const r = new Reader(bytes);
  const account = new PlainGenesisAccount();
  let seen = 0;
  try {
    r.expect(OPEN_OBJECT);
    if (r.skipSpace() === CLOSE_OBJECT) r.at++;
    else {
      do {
        const field = r.field();
        if (seen & (1 << field)) throw NOT_PLAIN;
        seen |= 1 << field;
        r.expect(COLON);
        if (field === BALANCE) account.balanceBytes = r.quantityBytes(BALANCE_BYTES);
        else if (field === NONCE) account.nonceBytes = r.quantityBytes(NONCE_BYTES);
        else if (field === CODE) account.code = r.hexBytes();
        else if (field === STORAGE) account.storage = r.storage();
      } while (r.more());
    }
    if (r.skipSpace() !== -1) throw NOT_PLAIN;
    return account;
  } catch (e) {
    if (e === NOT_PLAIN) return undefined;
    throw e;
  }
}
