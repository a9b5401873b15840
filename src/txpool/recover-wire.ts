// What crosses to and from the recovery workers, in place of structured clone: raw transactions
// packed into one transferred buffer, and per transaction either its decoded fields with the
// recovered sender (the main thread keeps the raw bytes, so they do not travel back) or the
// decoder's error code and message.
import type { SignedTransaction } from "../chain/types.js";
import { readEncodedTxInput, writeTxInput } from "../exec/tx-wire.js";
import { ByteReader, type ByteWriter } from "../threads/byte-codec.js";

/** A raw transaction the worker could not accept: the decoder's error code ("RLP", "SIGNATURE", ...). */
export interface RecoverFailure {
  code: string;
  message: string;
}

export type Recovered = SignedTransaction | RecoverFailure;

export function isRecoverFailure(r: Recovered): r is RecoverFailure {
  return typeof (r as RecoverFailure).code === "string";
}

/** Layout: u32 count, u32 lengths, then the bytes one after another. */
export function packRaws(raws: readonly Uint8Array[]): ArrayBuffer {
  let total = 0;
  for (const raw of raws) total += raw.length;
  const table = 4 * (1 + raws.length);
  const buffer = new ArrayBuffer(table + total);
  const head = new Uint32Array(buffer, 0, 1 + raws.length);
  head[0] = raws.length;
  const bytes = new Uint8Array(buffer, table);
  let at = 0;
  for (let i = 0; i < raws.length; i++) {
    const raw = raws[i]!;
    head[1 + i] = raw.length;
    bytes.set(raw, at);
    at += raw.length;
  }
  return buffer;
}

/** Views (not copies) of the packed transactions. */
export function unpackRaws(buffer: ArrayBuffer): Uint8Array[] {
  const count = new Uint32Array(buffer, 0, 1)[0]!;
  const head = new Uint32Array(buffer, 4, count);
  const out: Uint8Array[] = new Array(count);
  let at = 4 * (1 + count);
  for (let i = 0; i < count; i++) {
    out[i] = new Uint8Array(buffer, at, head[i]!);
    at += head[i]!;
  }
  return out;
}

const OK = 0;
const FAILED = 1;

const UTF8_ENCODER = new TextEncoder();
const UTF8_DECODER = new TextDecoder();

export function writeFailure(w: ByteWriter, failure: RecoverFailure): void {
  w.u8(FAILED);
  w.raw(UTF8_ENCODER.encode(failure.code));
  w.raw(UTF8_ENCODER.encode(failure.message));
}

/** Appends a decoded transaction's fields (everything but `raw`). */
export function writeRecovered(w: ByteWriter, tx: SignedTransaction): void {
  w.u8(OK);
  writeTxInput(w, tx);
  w.big(tx.hash);
  w.big(tx.v);
  w.big(tx.r);
  w.big(tx.s);
}

/** Reads `raws.length` results written by writeRecovered / writeFailure, in order. */
export function readResults(bytes: Uint8Array, raws: readonly Uint8Array[]): Recovered[] {
  const r = new ByteReader(bytes);
  const out: Recovered[] = new Array(raws.length);
  for (let i = 0; i < raws.length; i++) {
    if (r.u8() === FAILED) {
      out[i] = { code: UTF8_DECODER.decode(r.raw()), message: UTF8_DECODER.decode(r.raw()) };
      continue;
    }
    // The decoded object grows into the signed one: a spread into a new object copied every field.
    // Its execution fields' bytes become its encodedTx, which the pool would otherwise encode again.
    const tx = readEncodedTxInput(r, bytes) as SignedTransaction;
    tx.hash = r.big();
    tx.raw = raws[i]!;
    tx.v = r.big();
    tx.r = r.big();
    tx.s = r.big();
    out[i] = tx;
  }
  return out;
}
