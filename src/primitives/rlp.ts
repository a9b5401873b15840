// RLP. Decoding comes from @ethereumjs/rlp (well kept, spec-exact, and not on a hot path). Encoding is
// our own: every block encodes thousands of receipts, transactions and trie nodes, and the library's
// recursive concatenation copies each byte once per nesting level and allocates as much; this one
// measures the whole item first, then writes it into one buffer.
import { RLP } from "@ethereumjs/rlp";

export type RlpInput = Uint8Array | RlpInput[];
export type RlpDecoded = Uint8Array | RlpDecoded[];

// Payload lengths of the lists met while measuring, in the order `write` meets them again. Reused
// across calls (encoding is synchronous and not re-entrant).
let listLengths: number[] = [];
let listCursor = 0;

function lengthOfLength(n: number): number {
  let bytes = 0;
  while (n > 0) {
    bytes++;
    n = Math.floor(n / 256);
  }
  return bytes;
}

/** Bytes of the RLP header of a string or list whose payload is `payload` bytes. */
export function rlpHeaderLength(payload: number): number {
  return payload < 56 ? 1 : 1 + lengthOfLength(payload);
}

function measure(item: RlpInput): number {
  if (item instanceof Uint8Array) return rlpStringSize(item);
  const slot = listLengths.length;
  listLengths.push(0);
  let payload = 0;
  for (let i = 0; i < item.length; i++) payload += measure(item[i]!);
  listLengths[slot] = payload;
  return payload + rlpHeaderLength(payload);
}

/** Writes the RLP header of a payload of `payload` bytes at `pos` (`short`: 0x80 a string, 0xc0 a list); returns the end. */
export function writeRlpHeader(out: Uint8Array, pos: number, payload: number, short: number): number {
  if (payload < 56) {
    out[pos] = short + payload;
    return pos + 1;
  }
  const ll = lengthOfLength(payload);
  out[pos] = short + 55 + ll;
  for (let i = ll, n = payload; i > 0; i--, n = Math.floor(n / 256)) out[pos + i] = n % 256;
  return pos + 1 + ll;
}

/** The size of `v` as an RLP string. */
export function rlpStringSize(v: Uint8Array): number {
  if (v.length === 1 && v[0]! < 0x80) return 1;
  return v.length + rlpHeaderLength(v.length);
}

/** Writes `v` as an RLP string at `at`; returns the end. */
export function writeRlpString(out: Uint8Array, at: number, v: Uint8Array): number {
  if (v.length === 1 && v[0]! < 0x80) {
    out[at] = v[0]!;
    return at + 1;
  }
  at = writeRlpHeader(out, at, v.length, 0x80);
  return copyInto(out, at, v);
}

/** Writes `v` at `at` and returns the end: short ones byte by byte (TypedArray.set costs more below about 64 bytes). */
export function copyInto(out: Uint8Array, at: number, v: Uint8Array): number {
  const n = v.length;
  if (n > 64) out.set(v, at);
  else for (let i = 0; i < n; i++) out[at + i] = v[i]!;
  return at + n;
}

function write(item: RlpInput, out: Uint8Array, pos: number): number {
  if (item instanceof Uint8Array) return writeRlpString(out, pos, item);
  pos = writeRlpHeader(out, pos, listLengths[listCursor++]!, 0xc0);
  for (let i = 0; i < item.length; i++) pos = write(item[i]!, out, pos);
  return pos;
}

export function rlpEncode(input: RlpInput): Uint8Array {
  listLengths.length = 0;
  listCursor = 0;
  const out = new Uint8Array(measure(input));
  const end = write(input, out, 0);
  if (end !== out.length) throw new Error(`rlpEncode: wrote ${end} of ${out.length} bytes`);
  if (listLengths.length > 4096) listLengths = []; // do not keep a huge one alive
  return out;
}

/** Strict decode: throws on any malformed input or trailing bytes. */
export function rlpDecode(data: Uint8Array): RlpDecoded {
  return RLP.decode(data) as RlpDecoded;
}
