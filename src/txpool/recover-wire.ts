// What crosses to and from the recovery workers, in place of structured clone: raw transactions
// packed into one transferred buffer, and per transaction either its decoded fields with the
// recovered sender (the main thread keeps the raw bytes, so they do not travel back) or the
// decoder's error code and message.
import type { SignedTransaction } from "../chain/types.js";
import { ByteReader, type ByteWriter } from "../exec/block/pool/codec.js";
import type { AccessListEntry, TxInput } from "../exec/types.js";

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

const CHAIN_ID = 1;
const GAS_PRICE = 2;
const MAX_FEE = 4;
const MAX_PRIORITY = 8;
const TO = 16;
const MAX_BLOB_FEE = 32;
const BLOB_HASHES = 64;

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
  w.u8(tx.type);
  w.u8(
    (tx.chainId !== undefined ? CHAIN_ID : 0) |
      (tx.gasPrice !== undefined ? GAS_PRICE : 0) |
      (tx.maxFeePerGas !== undefined ? MAX_FEE : 0) |
      (tx.maxPriorityFeePerGas !== undefined ? MAX_PRIORITY : 0) |
      (tx.to !== null ? TO : 0) |
      (tx.maxFeePerBlobGas !== undefined ? MAX_BLOB_FEE : 0) |
      (tx.blobVersionedHashes !== undefined ? BLOB_HASHES : 0),
  );
  if (tx.chainId !== undefined) w.big(tx.chainId);
  w.big(tx.sender);
  w.big(tx.nonce);
  w.big(tx.gasLimit);
  if (tx.gasPrice !== undefined) w.big(tx.gasPrice);
  if (tx.maxFeePerGas !== undefined) w.big(tx.maxFeePerGas);
  if (tx.maxPriorityFeePerGas !== undefined) w.big(tx.maxPriorityFeePerGas);
  if (tx.to !== null) w.big(tx.to);
  w.big(tx.value);
  w.raw(tx.data);
  w.u32(tx.accessList.length);
  for (const entry of tx.accessList) {
    w.big(entry.address);
    w.u32(entry.storageKeys.length);
    for (const key of entry.storageKeys) w.big(key);
  }
  if (tx.maxFeePerBlobGas !== undefined) w.big(tx.maxFeePerBlobGas);
  if (tx.blobVersionedHashes !== undefined) {
    w.u32(tx.blobVersionedHashes.length);
    for (const h of tx.blobVersionedHashes) w.big(h);
  }
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
    const type = r.u8() as TxInput["type"];
    const flags = r.u8();
    const chainId = flags & CHAIN_ID ? r.big() : undefined;
    const sender = r.big();
    const nonce = r.big();
    const gasLimit = r.big();
    const gasPrice = flags & GAS_PRICE ? r.big() : undefined;
    const maxFeePerGas = flags & MAX_FEE ? r.big() : undefined;
    const maxPriorityFeePerGas = flags & MAX_PRIORITY ? r.big() : undefined;
    const to = flags & TO ? r.big() : null;
    const value = r.big();
    const data = r.raw();
    const accessList: AccessListEntry[] = new Array(r.u32());
    for (let k = 0; k < accessList.length; k++) {
      const address = r.big();
      const storageKeys: bigint[] = new Array(r.u32());
      for (let j = 0; j < storageKeys.length; j++) storageKeys[j] = r.big();
      accessList[k] = { address, storageKeys };
    }
    const maxFeePerBlobGas = flags & MAX_BLOB_FEE ? r.big() : undefined;
    let blobVersionedHashes: bigint[] | undefined;
    if (flags & BLOB_HASHES) {
      blobVersionedHashes = new Array(r.u32());
      for (let j = 0; j < blobVersionedHashes.length; j++) blobVersionedHashes[j] = r.big();
    }
    const hash = r.big();
    const v = r.big();
    const rr = r.big();
    const s = r.big();
    const tx: SignedTransaction = {
      type,
      sender,
      nonce,
      gasLimit,
      to,
      value,
      data,
      accessList,
      hash,
      raw: raws[i]!,
      v,
      r: rr,
      s,
    };
    if (chainId !== undefined) tx.chainId = chainId;
    if (gasPrice !== undefined) tx.gasPrice = gasPrice;
    if (maxFeePerGas !== undefined) tx.maxFeePerGas = maxFeePerGas;
    if (maxPriorityFeePerGas !== undefined) tx.maxPriorityFeePerGas = maxPriorityFeePerGas;
    if (maxFeePerBlobGas !== undefined) tx.maxFeePerBlobGas = maxFeePerBlobGas;
    if (blobVersionedHashes !== undefined) tx.blobVersionedHashes = blobVersionedHashes;
    out[i] = tx;
  }
  return out;
}
