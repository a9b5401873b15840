// The binary form of a block's transactions, in place of structured clone (which walks every
// bigint-heavy object property by property, on both sides): encoded once into a SharedArrayBuffer
// that every worker reads, a transaction decoded only when a worker first executes it.

import { ByteReader, ByteWriter } from "../threads/byte-codec.js";
import type { AccessListEntry, TxInput } from "./types.js";

const CHAIN_ID = 1;
const GAS_PRICE = 2;
const MAX_FEE = 4;
const MAX_PRIORITY = 8;
const TO = 16;
const MAX_BLOB_FEE = 32;
const BLOB_HASHES = 64;

/** Appends a transaction's execution fields (the recovery wire appends hash and signature after them). */
export function writeTxInput(w: ByteWriter, tx: TxInput): void {
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
    w.bigs(entry.storageKeys);
  }
  if (tx.maxFeePerBlobGas !== undefined) w.big(tx.maxFeePerBlobGas);
  if (tx.blobVersionedHashes !== undefined) {
    w.bigs(tx.blobVersionedHashes);
  }
}

/**
 * The inverse of writeTxInput. With `viewData` the calldata is a view of the reader's bytes, not a
 * copy: for a buffer that never changes while the transaction is used (a block's transactions).
 */
export function readTxInput(r: ByteReader, viewData = false): TxInput {
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
  const data = viewData ? r.rawView() : r.raw();
  const accessList: AccessListEntry[] = new Array(r.u32());
  for (let k = 0; k < accessList.length; k++) {
    const address = r.big();
    accessList[k] = { address, storageKeys: r.bigs() };
  }
  const tx: TxInput = { type, sender, nonce, gasLimit, to, value, data, accessList };
  if (chainId !== undefined) tx.chainId = chainId;
  if (gasPrice !== undefined) tx.gasPrice = gasPrice;
  if (maxFeePerGas !== undefined) tx.maxFeePerGas = maxFeePerGas;
  if (maxPriorityFeePerGas !== undefined) tx.maxPriorityFeePerGas = maxPriorityFeePerGas;
  if (flags & MAX_BLOB_FEE) tx.maxFeePerBlobGas = r.big();
  if (flags & BLOB_HASHES) tx.blobVersionedHashes = r.bigs();
  return tx;
}

/** Each transaction's execution fields, encoded once for the workers (the object is never changed). */
const encoded = new WeakMap<TxInput, Uint8Array>();
const scratch = new ByteWriter();

/**
 * readTxInput over `bytes` at `r`'s position, keeping a copy of the bytes it read as the transaction's
 * encodedTx: a transaction that arrives in this form (from a recovery worker) is not encoded again.
 */
export function readEncodedTxInput(r: ByteReader, bytes: Uint8Array): TxInput {
  const start = r.pos;
  const tx = readTxInput(r);
  encoded.set(tx, bytes.slice(start, r.pos));
  return tx;
}

/**
 * The transaction's encoding for the workers, made on first use and kept with the object: a node
 * makes it when the transaction enters its pool (TxPool.add), so a block's setup only copies bytes.
 */
export function encodedTx(tx: TxInput): Uint8Array {
  let bytes = encoded.get(tx);
  if (bytes === undefined) {
    scratch.reset();
    writeTxInput(scratch, tx);
    encoded.set(tx, (bytes = scratch.view8().slice()));
  }
  return bytes;
}

/**
 * Layout: u32 count, u32 offsets (into the bytes after the table), then the transactions. Written into
 * `reuse` where it has room (a pool's buffer of the block before, which no worker reads any more:
 * a fresh SharedArrayBuffer's pages are zeroed and faulted in, about 1-2 µs per transaction); else
 * into a new buffer with room to spare.
 */
export function encodeTxs(txs: readonly TxInput[], reuse?: SharedArrayBuffer): SharedArrayBuffer {
  const parts: Uint8Array[] = new Array(txs.length);
  const offsets = new Uint32Array(txs.length);
  let length = 0;
  for (let i = 0; i < txs.length; i++) {
    offsets[i] = length;
    parts[i] = encodedTx(txs[i]!);
    length += parts[i]!.length;
  }
  const table = 4 * (1 + txs.length);
  const buffer =
    reuse !== undefined && reuse.byteLength >= table + length
      ? reuse
      : new SharedArrayBuffer(reuse === undefined ? table + length : 2 * (table + length));
  const head = new Uint32Array(buffer, 0, 1 + txs.length);
  head[0] = txs.length;
  head.set(offsets, 1);
  const body = new Uint8Array(buffer, table);
  for (let i = 0; i < txs.length; i++) body.set(parts[i]!, offsets[i]!);
  return buffer;
}

/** Worker side: the block's transactions, each decoded on first use. */
export class TxTable {
  private readonly head: Uint32Array;
  private readonly bytes: Uint8Array;
  private readonly decoded: (TxInput | undefined)[];
  readonly length: number;

  constructor(buffer: SharedArrayBuffer) {
    this.length = new Uint32Array(buffer, 0, 1)[0]!;
    this.head = new Uint32Array(buffer, 0, 1 + this.length);
    this.bytes = new Uint8Array(buffer, 4 * (1 + this.length));
    this.decoded = new Array(this.length);
  }

  get(i: number): TxInput {
    let tx = this.decoded[i];
    // The calldata stays a view of the block's buffer (not written while the block runs; the pool
    // writes the next block's over it once every worker is done): copying it allocated a backing
    // store per transaction.
    if (tx === undefined) this.decoded[i] = tx = readTxInput(new ByteReader(this.bytes, this.head[1 + i]!), true);
    return tx;
  }
}
