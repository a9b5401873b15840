// The chain's tables, kept in the state's LMDB environment (LmdbState.database) so that a block's
// records are written in the same transaction as its state:
//   chain/headers    number (8)             -> header RLP (encodeHeader)
//   chain/bodies     number (8)             -> 0x01, then per transaction its hash (32), sender (32),
//                                             raw length (4) and raw bytes (older stores: an RLP list
//                                             of each transaction's fields, read still)
//   chain/receipts   number (8)             -> RLP list of stored receipts (below)
//   chain/hashes     block hash (32)        -> number (8)
//   chain/txs        tx hash (32)           -> number (8) ++ index (4)
//   chain/undo       sequence (8)           -> undo record (history.ts), one per state change
//   chain/undoblocks number (8)             -> sequence (8) of that block's undo record
//   chain/meta       "genesis" -> genesis hash (32), "chainId" -> minimal bytes,
//                    "seq" -> the highest undo sequence ever used (8)
// Numbers are big-endian, so keys sort in block order. Readers outside a write transaction see the
// last committed block; every `put*`/`delete*` here must run inside LmdbState.commit's inTransaction.
import type { Database } from "lmdb";
import type { AccessListEntry } from "../exec/types.js";
import { bigintToBytes, bigintToMinimalBytes, bytesToBigint } from "../primitives/hex.js";
import { keccak256Word } from "../primitives/keccak.js";
import {
  type RlpDecoded,
  rlpDecode,
  rlpHeaderLength,
  rlpStringSize,
  writeRlpHeader,
  writeRlpString,
} from "../primitives/rlp.js";
import { readWordAt, writeAddressAt, writeWordAt } from "../primitives/word-view.js";
import type { LmdbState } from "../state/lmdb-state.js";
import { logsBloom } from "./bloom.js";
import { decodeHeader, encodeHeader } from "./header.js";
import { logsListSize, writeLogsList } from "./receipt.js";
import { decodeTransaction } from "./transaction.js";
import type { Block, BlockHeader, SignedTransaction, TransactionReceipt } from "./types.js";

/** What a receipt takes of its transaction. */
export type ReceiptTx = Pick<SignedTransaction, "hash" | "sender" | "to" | "type">;

/** Where the recipient is among a raw transaction's fields, by type (legacy, EIP-2930, EIP-1559, EIP-4844). */
const RECIPIENT_FIELD = [3, 4, 5, 5];

/** Block n as a caller sees the canonical chain: its hash, and the block where it is decoded already. */
export interface BlockView {
  hash: bigint;
  block?: Block;
}

/** A transaction of the canonical chain and where it stands. */
export interface TransactionLocation {
  tx: SignedTransaction;
  blockHash: bigint;
  blockNumber: bigint;
  index: number;
}

type Bin = Database<Uint8Array, Uint8Array>;

const GENESIS_KEY = Buffer.from("genesis");
const CHAIN_ID_KEY = Buffer.from("chainId");
const SEQ_KEY = Buffer.from("seq");

/** What a receipt stores beyond what its block's transaction gives (hash, index, from, to, type). */
export type StoredReceipt = Pick<
  TransactionReceipt,
  | "status"
  | "cumulativeGasUsed"
  | "gasUsed"
  | "effectiveGasPrice"
  | "contractAddress"
  | "logs"
  | "blobGasUsed"
  | "blobGasPrice"
>;

export interface TxLocation {
  blockNumber: bigint;
  index: number;
}

/** What putBlock writes for one block, encoded. */
export interface BlockRecords extends BlockContentRecords {
  header: Uint8Array;
  hashKey: Uint8Array;
}

/** The records of a block that its header does not enter: known before its state root is. */
export interface BlockContentRecords {
  numberKey: Buffer;
  body: Uint8Array;
  receipts: Uint8Array;
  /** Each transaction's hash key and its location (block number, index). */
  txKeys: Uint8Array[];
  txLocations: Buffer[];
}

/** Block `number`'s body, receipts and transaction index, encoded (receipts' block hashes are not stored: any may be unset). */
export function encodeBlockContents(
  number: bigint,
  transactions: readonly SignedTransaction[],
  receipts: readonly TransactionReceipt[],
): BlockContentRecords {
  const n = numberKey(number);
  const txKeys: Uint8Array[] = [];
  const txLocations: Buffer[] = [];
  transactions.forEach((tx, i) => {
    const loc = Buffer.allocUnsafe(12);
    n.copy(loc, 0);
    loc.writeUInt32BE(i, 8);
    txKeys.push(wordKey(tx.hash));
    txLocations.push(loc);
  });
  return {
    numberKey: n,
    body: encodeBody(transactions),
    receipts: encodeStoredReceipts(receipts),
    txKeys,
    txLocations,
  };
}

/** A block's records as putBlock writes them, its contents' given where they are encoded already. */
export function encodeBlockRecords(
  block: Block,
  receipts: readonly TransactionReceipt[],
  contents: BlockContentRecords = encodeBlockContents(block.header.number, block.transactions, receipts),
): BlockRecords {
  return { ...contents, header: encodeHeader(block.header), hashKey: wordKey(block.hash) };
}

export class ChainStore {
  private readonly headers: Bin;
  private readonly bodies: Bin;
  private readonly receipts: Bin;
  private readonly hashes: Bin;
  private readonly txs: Bin;
  private readonly undo: Bin;
  private readonly undoBlocks: Bin;
  private readonly meta: Bin;
  /** The state's own BLOCKHASH table: a revert removes the hashes of the blocks it drops. */
  private readonly blockHashes: Bin;

  constructor(private readonly state: LmdbState) {
    this.headers = state.database("chain/headers");
    this.bodies = state.database("chain/bodies");
    this.receipts = state.database("chain/receipts");
    this.hashes = state.database("chain/hashes");
    this.txs = state.database("chain/txs");
    this.undo = state.database("chain/undo");
    this.undoBlocks = state.database("chain/undoblocks");
    this.meta = state.database("chain/meta");
    this.blockHashes = state.database("blockhashes");
  }

  // ---- meta ----

  genesis(): { hash: bigint; chainId: bigint } | undefined {
    const hash = this.meta.getBinary(GENESIS_KEY);
    const chainId = this.meta.getBinary(CHAIN_ID_KEY);
    if (hash === undefined || chainId === undefined) return undefined;
    return { hash: bytesToBigint(hash), chainId: bytesToBigint(chainId) };
  }

  putGenesis(hash: bigint, chainId: bigint): void {
    this.meta.putSync(GENESIS_KEY, bigintToBytes(hash, 32));
    this.meta.putSync(CHAIN_ID_KEY, bigintToMinimalBytes(chainId));
  }

  /** The highest undo sequence ever used (0 before the first): sequences are never reused. */
  lastSeq(): bigint {
    const raw = this.meta.getBinary(SEQ_KEY);
    return raw === undefined ? 0n : bytesToBigint(raw);
  }

  // ---- blocks ----

  putBlock(block: Block, receipts: readonly TransactionReceipt[]): void {
    this.putEncodedBlock(encodeBlockRecords(block, receipts));
  }

  /** putBlock of records encoded beforehand (a mined block's, outside its commit's transaction). */
  putEncodedBlock(records: BlockRecords): void {
    const state = this.state;
    const n = records.numberKey;
    state.put(this.headers, n, records.header);
    state.put(this.bodies, n, records.body);
    state.put(this.receipts, n, records.receipts);
    state.put(this.hashes, records.hashKey, n);
    for (let i = 0; i < records.txKeys.length; i++) state.put(this.txs, records.txKeys[i]!, records.txLocations[i]!);
  }

  /** Removes block `number` and everything indexed by it (its hash, its transactions, its undo link). */
  deleteBlock(number: bigint): void {
    const n = numberKey(number);
    const block = this.block(number);
    if (block !== undefined) {
      this.hashes.removeSync(wordKey(block.hash));
      for (const tx of block.transactions) this.txs.removeSync(wordKey(tx.hash));
    }
    for (const db of [this.headers, this.bodies, this.receipts, this.undoBlocks, this.blockHashes]) db.removeSync(n);
  }

  header(number: bigint): BlockHeader | undefined {
    const raw = this.headers.getBinary(numberKey(number));
    return raw === undefined ? undefined : decodeHeader(plain(raw));
  }

  /** Block `number`'s header and hash (the keccak of the stored header), without its transactions. */
  headerAndHash(number: bigint): { header: BlockHeader; hash: bigint } | undefined {
    const raw = this.headers.getBinary(numberKey(number));
    return raw === undefined ? undefined : { header: decodeHeader(plain(raw)), hash: keccak256Word(raw) };
  }

  /** Whether block `number`'s transactions and receipts are stored (not decoded). */
  hasBodyAndReceipts(number: bigint): boolean {
    const n = numberKey(number);
    return this.bodies.doesExist(n) && this.receipts.doesExist(n);
  }

  /** Block `number` with its transactions; its hash is the keccak of the stored header. */
  block(number: bigint): Block | undefined {
    const n = numberKey(number);
    const rawHeader = this.headers.getBinary(n);
    if (rawHeader === undefined) return undefined;
    const body = this.bodies.getBinary(n);
    if (body === undefined) throw new Error(`chain store: block ${number} has a header but no body`);
    const header = decodeHeader(plain(rawHeader));
    return { header, hash: keccak256Word(rawHeader), transactions: decodeBody(plain(body), number) };
  }

  numberOf(hash: bigint): bigint | undefined {
    const raw = this.hashes.getBinary(wordKey(hash));
    return raw === undefined ? undefined : bytesToBigint(raw);
  }

  txLocation(hash: bigint): TxLocation | undefined {
    const raw = this.txs.getBinary(wordKey(hash));
    if (raw === undefined) return undefined;
    return { blockNumber: Buffer.from(raw).readBigUInt64BE(0), index: Buffer.from(raw).readUInt32BE(8) };
  }

  /**
   * The canonical transaction `hash` with its block, in the caller's view of the canonical chain:
   * `blockOf(n)` gives block n's hash (and the block, where the caller has it decoded), undefined
   * where n is not in that view. An undecoded block's transaction is decoded alone.
   */
  locateTransaction(hash: bigint, blockOf: (number: bigint) => BlockView | undefined): TransactionLocation | undefined {
    const loc = this.txLocation(hash);
    if (loc === undefined) return undefined;
    const view = blockOf(loc.blockNumber);
    if (view === undefined) return undefined;
    const tx =
      view.block !== undefined ? view.block.transactions[loc.index] : this.transactionAt(loc.blockNumber, loc.index);
    if (tx === undefined || tx.hash !== hash) return undefined;
    return { tx, blockHash: view.hash, blockNumber: loc.blockNumber, index: loc.index };
  }

  /** Transaction `index` of stored block `number`, decoded alone (the others are skipped, not decoded). */
  transactionAt(number: bigint, index: number): SignedTransaction | undefined {
    // Scanned in lmdb-js's own buffer (no copy of the whole body); the one transaction is copied out.
    const raw = this.bodies.getBinaryFast(numberKey(number));
    if (raw === undefined) return undefined;
    if (raw[0] !== BODY_FORMAT) return decodeBody(copyOf(raw, 0, raw.length), number)[index];
    const view = new DataView(raw.buffer, raw.byteOffset, raw.length);
    let at = 1;
    for (let i = 0; at < raw.length; i++) {
      const end = storedTxEnd(raw, view, at, number);
      if (i === index) {
        const own = copyOf(raw, at, end);
        return storedTx(own, new DataView(own.buffer, own.byteOffset, own.length), 0, own.length);
      }
      at = end;
    }
    return undefined;
  }

  /** The receipts of `block` (whose transactions give the fields receipts do not store). */
  receiptsOf(block: Block): TransactionReceipt[] {
    return this.receiptsFor(block.header.number, block.hash, block.transactions);
  }

  /** The receipts of stored block `number` (hash `blockHash`), its transactions not decoded: receiptTxsAt. */
  storedReceipts(number: bigint, blockHash: bigint): TransactionReceipt[] {
    return this.receiptsFor(number, blockHash, this.receiptTxsAt(number));
  }

  private receiptsFor(number: bigint, blockHash: bigint, txs: readonly ReceiptTx[]): TransactionReceipt[] {
    const raw = this.receipts.getBinary(numberKey(number));
    if (raw === undefined) throw new Error(`chain store: block ${number} has no receipts`);
    const list = rlpDecode(plain(raw));
    if (!Array.isArray(list) || list.length !== txs.length) {
      throw new Error(`chain store: receipts of block ${number} do not match its transactions`);
    }
    let logIndex = 0;
    return list.map((item, i) => {
      const receipt = fullReceipt(
        loadReceipt(item),
        { tx: txs[i]!, blockHash, blockNumber: number, index: i },
        logIndex,
      );
      logIndex += receipt.logs.length;
      return receipt;
    });
  }

  /**
   * What receipts take of block `number`'s transactions (hash, sender, recipient, type), read from
   * the stored body without decoding the transactions: the hash and sender are stored beside each,
   * the type and recipient are the raw encoding's first byte and one of its first fields.
   */
  receiptTxsAt(number: bigint): ReceiptTx[] {
    const raw = this.bodies.getBinaryFast(numberKey(number));
    if (raw === undefined) return [];
    if (raw[0] !== BODY_FORMAT) return decodeBody(copyOf(raw, 0, raw.length), number);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.length);
    const span = new RlpSpan(raw, number, "body");
    const txs: ReceiptTx[] = [];
    for (let at = 1; at < raw.length; ) {
      const end = storedTxEnd(raw, view, at, number);
      const from = at + TX_HEAD;
      // A typed transaction is its type byte, then its fields' list; a legacy one is the list.
      const type = raw[from]! < 0x80 ? raw[from]! : 0;
      if (type > 3) throw new Error(`chain store: body of block ${number} holds a transaction of type ${type}`);
      span.at(type === 0 ? from : from + 1);
      let field = span.start;
      for (let f = 0; f < RECIPIENT_FIELD[type]!; f++) field = span.at(field);
      span.at(field);
      // An empty string: a creation.
      const to = raw[field] === 0x80 ? null : bytesToBigint(raw.subarray(span.start, span.start + 20));
      txs.push({ hash: readWordAt(view, at), sender: readWordAt(view, at + 32), to, type: type as 0 | 1 | 2 | 3 });
      at = end;
    }
    return txs;
  }

  /**
   * The receipt of the transaction at `loc` alone: the block's earlier receipts are skipped (their
   * logs counted for the log index), not decoded, so a lookup in a large block costs a scan.
   */
  receiptAt(loc: TransactionLocation): TransactionReceipt {
    const number = loc.blockNumber;
    // Scanned in lmdb-js's own buffer (no copy of the whole list); the one receipt is copied out.
    const bytes = this.receipts.getBinaryFast(numberKey(number));
    if (bytes === undefined) throw new Error(`chain store: block ${number} has no receipts`);
    const span = new RlpSpan(bytes, number);
    const listEnd = span.at(0);
    let at = span.start;
    let logIndex = 0;
    for (let i = 0; i < loc.index; i++) {
      if (at >= listEnd) throw new Error(`chain store: receipts of block ${number} do not match its transactions`);
      const itemEnd = span.at(at);
      // The logs are the sixth field: the five before it are skipped, the logs counted.
      let field = span.start;
      for (let f = 0; f < 5; f++) field = span.at(field);
      const logsEnd = span.at(field);
      for (let l = span.start; l < logsEnd; l = span.at(l)) logIndex++;
      at = itemEnd;
    }
    if (at >= listEnd) throw new Error(`chain store: receipts of block ${number} do not match its transactions`);
    const own = copyOf(bytes, at, span.at(at));
    return fullReceipt(loadReceipt(rlpDecode(own)), loc, logIndex);
  }

  // ---- undo records ----

  putUndo(seq: bigint, record: Uint8Array, blockNumber?: bigint): void {
    const key = numberKey(seq);
    this.state.put(this.undo, key, record);
    if (blockNumber !== undefined) this.state.put(this.undoBlocks, numberKey(blockNumber), key);
    if (seq > this.lastSeq()) this.state.put(this.meta, SEQ_KEY, key);
  }

  /** The sequence of block `number`'s undo record (undefined for genesis or an unknown block). */
  blockSeq(number: bigint): bigint | undefined {
    const raw = this.undoBlocks.getBinary(numberKey(number));
    return raw === undefined ? undefined : bytesToBigint(raw);
  }

  /** Undo records with sequence >= `from`, oldest first. */
  *undoFrom(from: bigint): Iterable<[bigint, Uint8Array]> {
    for (const { key, value } of this.undo.getRange({ start: numberKey(from) })) {
      yield [bytesToBigint(key), plain(value)];
    }
  }

  /** The sequence of the last undo record at or below `seq` (0n where none). */
  lastUndoAtOrBelow(seq: bigint): bigint {
    for (const key of this.undo.getKeys({ start: numberKey(seq), reverse: true, limit: 1 })) return bytesToBigint(key);
    return 0n;
  }

  deleteUndoFrom(from: bigint): void {
    // Collect first: deleting under a live cursor of the same transaction is not safe.
    const keys = Array.from(this.undo.getKeys({ start: numberKey(from) }));
    for (const k of keys) this.undo.removeSync(k);
  }
}

// ---- key encodings ----

/**
 * LMDB hands out Buffers, and a decoded field is a subarray of its input: a plain Uint8Array view
 * keeps Buffers out of the values the chain serves (they compare unequal to Uint8Arrays).
 */
/** bytes[from, to) in a Uint8Array of its own (a Buffer's slice would be a view of lmdb-js's reused buffer). */
function copyOf(bytes: Uint8Array, from: number, to: number): Uint8Array {
  const out = new Uint8Array(to - from);
  out.set(bytes.subarray(from, to));
  return out;
}

function plain(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

function numberKey(n: bigint): Buffer {
  return Buffer.from(bigintToBytes(n, 8));
}

function wordKey(w: bigint): Buffer {
  return Buffer.from(bigintToBytes(w, 32));
}

// ---- stored transactions ----
// A transaction is stored as its raw bytes with its sender and hash beside them: an impersonated
// transaction's signature recovers nothing and its hash covers the sender, so neither can be
// re-derived from `raw`; every other field is decoded from `raw` when the block is read (rarely,
// against the write of every block). Stores written before kept each field in an RLP list.

const BODY_FORMAT = 0x01;
/** Hash, sender (as a word) and the raw transaction's length. */
const TX_HEAD = 68;

function encodeBody(txs: readonly SignedTransaction[]): Uint8Array {
  let size = 1;
  for (const tx of txs) size += TX_HEAD + tx.raw.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out[0] = BODY_FORMAT;
  let at = 1;
  for (const tx of txs) {
    writeWordAt(view, at, tx.hash);
    writeWordAt(view, at + 32, tx.sender);
    view.setUint32(at + 64, tx.raw.length);
    out.set(tx.raw, at + TX_HEAD);
    at += TX_HEAD + tx.raw.length;
  }
  return out;
}

function decodeBody(body: Uint8Array, number: bigint): SignedTransaction[] {
  if (body[0] !== BODY_FORMAT) {
    const list = rlpDecode(body);
    if (!Array.isArray(list)) throw new Error(`chain store: body of block ${number} is not a list`);
    return list.map(loadTx);
  }
  const view = new DataView(body.buffer, body.byteOffset, body.length);
  const txs: SignedTransaction[] = [];
  for (let at = 1; at < body.length; ) {
    const end = storedTxEnd(body, view, at, number);
    txs.push(storedTx(body, view, at, end));
    at = end;
  }
  return txs;
}

/** Where the stored transaction at `at` of block `number`'s body ends. */
function storedTxEnd(body: Uint8Array, view: DataView, at: number, number: bigint): number {
  if (at + TX_HEAD > body.length) throw new Error(`chain store: body of block ${number} is truncated`);
  const end = at + TX_HEAD + view.getUint32(at + 64);
  if (end > body.length) throw new Error(`chain store: body of block ${number} is truncated`);
  return end;
}

/** The stored transaction in body[at, end). */
function storedTx(body: Uint8Array, view: DataView, at: number, end: number): SignedTransaction {
  return decodeTransaction(body.subarray(at + TX_HEAD, end), {
    sender: readWordAt(view, at + 32),
    hash: readWordAt(view, at),
  });
}

/** Walks the RLP items of block `number`'s stored receipts without decoding them (or allocating per item). */
class RlpSpan {
  /** Where the payload of the item `at` last looked at starts. */
  start = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly number: bigint,
    /** What the bytes are, for the error: "receipts" or "body". */
    private readonly what = "receipts",
  ) {}

  /** Where the item at `at` ends (its payload's start in `start`). */
  at(at: number): number {
    const bytes = this.bytes;
    const b = bytes[at];
    let start: number;
    let length: number;
    if (b === undefined) start = length = Number.NaN;
    else if (b < 0x80) {
      start = at;
      length = 1;
    } else if (b <= 0xb7 || (b >= 0xc0 && b <= 0xf7)) {
      start = at + 1;
      length = b - (b >= 0xc0 ? 0xc0 : 0x80);
    } else {
      const lengthBytes = b - (b >= 0xc0 ? 0xf7 : 0xb7);
      start = at + 1 + lengthBytes;
      length = 0;
      for (let i = at + 1; i < start; i++) length = length * 256 + (bytes[i] ?? Number.NaN);
    }
    const end = start + length;
    if (!(end <= bytes.length)) throw new Error(`chain store: ${this.what} of block ${this.number} is truncated`);
    this.start = start;
    return end;
  }
}

/** A stored receipt with what its transaction and block give (a mined block's too, before its hash is known). */
export function fullReceipt(
  r: StoredReceipt,
  at: { tx: ReceiptTx; blockHash: bigint; blockNumber: bigint; index: number },
  firstLogIndex: number,
): TransactionReceipt {
  const tx = at.tx;
  const receipt: TransactionReceipt = {
    transactionHash: tx.hash,
    transactionIndex: at.index,
    blockHash: at.blockHash,
    blockNumber: at.blockNumber,
    from: tx.sender,
    to: tx.to,
    type: tx.type,
    status: r.status,
    cumulativeGasUsed: r.cumulativeGasUsed,
    gasUsed: r.gasUsed,
    effectiveGasPrice: r.effectiveGasPrice,
    contractAddress: r.contractAddress,
    logs: r.logs,
    logsBloom: logsBloom(r.logs),
    firstLogIndex,
  };
  if (r.blobGasUsed !== undefined) receipt.blobGasUsed = r.blobGasUsed;
  if (r.blobGasPrice !== undefined) receipt.blobGasPrice = r.blobGasPrice;
  return receipt;
}

// The fields of a transaction as stores before BODY_FORMAT kept them; optional fields are [] when
// absent and a byte string when present.

function bytesOf(item: RlpDecoded | undefined, what: string): Uint8Array {
  if (!(item instanceof Uint8Array)) throw new Error(`chain store: ${what} is not a byte string`);
  return item;
}

function listOf(item: RlpDecoded | undefined, what: string): RlpDecoded[] {
  if (!Array.isArray(item)) throw new Error(`chain store: ${what} is not a list`);
  return item;
}

const big = (item: RlpDecoded | undefined, what: string): bigint => bytesToBigint(bytesOf(item, what));
const optBig = (item: RlpDecoded | undefined, what: string): bigint | undefined =>
  Array.isArray(item) ? undefined : big(item, what);

function loadTx(item: RlpDecoded): SignedTransaction {
  const f = listOf(item, "stored transaction");
  if (f.length !== 19) throw new Error("chain store: stored transaction has the wrong field count");
  const type = bytesOf(f[0], "type")[0];
  if (type !== 0 && type !== 1 && type !== 2 && type !== 3) throw new Error(`chain store: transaction type ${type}`);
  const to = bytesOf(f[8], "to");
  const accessList: AccessListEntry[] = listOf(f[11], "accessList").map((e) => {
    const [address, keys] = listOf(e, "access list entry");
    return { address: big(address, "address"), storageKeys: listOf(keys, "storage keys").map((k) => big(k, "key")) };
  });
  const blobs = listOf(f[13], "blob hashes");
  const tx: SignedTransaction = {
    type,
    sender: big(f[2], "sender"),
    nonce: big(f[3], "nonce"),
    gasLimit: big(f[4], "gasLimit"),
    to: to.length === 0 ? null : bytesToBigint(to),
    value: big(f[9], "value"),
    data: bytesOf(f[10], "data"),
    accessList,
    v: big(f[14], "v"),
    r: big(f[15], "r"),
    s: big(f[16], "s"),
    hash: big(f[17], "hash"),
    raw: bytesOf(f[18], "raw"),
  };
  const fields = [
    ["chainId", f[1]],
    ["gasPrice", f[5]],
    ["maxFeePerGas", f[6]],
    ["maxPriorityFeePerGas", f[7]],
    ["maxFeePerBlobGas", f[12]],
  ] as const;
  for (const [name, value] of fields) {
    const v = optBig(value, name);
    if (v !== undefined) tx[name] = v;
  }
  if (blobs.length === 1) tx.blobVersionedHashes = listOf(blobs[0], "blob hashes").map((h) => big(h, "blob hash"));
  return tx;
}

// ---- stored receipts ----

/** An optional integer field: the empty list when absent. */
function optionalSize(v: Uint8Array | undefined): number {
  return v === undefined ? 1 : rlpStringSize(v);
}

function writeOptional(out: Uint8Array, at: number, v: Uint8Array | undefined): number {
  if (v !== undefined) return writeRlpString(out, at, v);
  out[at] = 0xc0;
  return at + 1;
}

/**
 * The RLP list of the block's receipts, each [status, cumulativeGasUsed, gasUsed, effectiveGasPrice,
 * contractAddress or [], logs, blobGasUsed or [], blobGasPrice or []]: measured, then written into
 * one buffer of the exact size.
 */
export function encodeStoredReceipts(receipts: readonly TransactionReceipt[]): Uint8Array {
  const fields = receipts.map((r) => {
    const ints = [r.cumulativeGasUsed, r.gasUsed, r.effectiveGasPrice].map(bigintToMinimalBytes);
    const blobGasUsed = r.blobGasUsed === undefined ? undefined : bigintToMinimalBytes(r.blobGasUsed);
    const blobGasPrice = r.blobGasPrice === undefined ? undefined : bigintToMinimalBytes(r.blobGasPrice);
    let payload = 1 + (r.contractAddress === null ? 1 : 21) + logsListSize(r.logs);
    for (const v of ints) payload += rlpStringSize(v);
    payload += optionalSize(blobGasUsed) + optionalSize(blobGasPrice);
    return { r, ints, blobGasUsed, blobGasPrice, payload };
  });
  let payload = 0;
  for (const f of fields) payload += f.payload + rlpHeaderLength(f.payload);
  const out = new Uint8Array(rlpHeaderLength(payload) + payload);
  const view = new DataView(out.buffer);
  let at = writeRlpHeader(out, 0, payload, 0xc0);
  for (const { r, ints, blobGasUsed, blobGasPrice, payload } of fields) {
    at = writeRlpHeader(out, at, payload, 0xc0);
    out[at++] = r.status === 1 ? 1 : 0x80;
    for (const v of ints) at = writeRlpString(out, at, v);
    if (r.contractAddress === null) out[at++] = 0xc0;
    else {
      out[at++] = 0x80 + 20;
      writeAddressAt(view, at, r.contractAddress);
      at += 20;
    }
    at = writeLogsList(out, view, at, r.logs);
    at = writeOptional(out, at, blobGasUsed);
    at = writeOptional(out, at, blobGasPrice);
  }
  return out;
}

function loadReceipt(item: RlpDecoded): StoredReceipt {
  const f = listOf(item, "stored receipt");
  if (f.length !== 8) throw new Error("chain store: stored receipt has the wrong field count");
  const r: StoredReceipt = {
    status: bytesOf(f[0], "status").length === 1 ? 1 : 0,
    cumulativeGasUsed: big(f[1], "cumulativeGasUsed"),
    gasUsed: big(f[2], "gasUsed"),
    effectiveGasPrice: big(f[3], "effectiveGasPrice"),
    contractAddress: optBig(f[4], "contractAddress") ?? null,
    logs: listOf(f[5], "logs").map((l) => {
      const [address, topics, data] = listOf(l, "log");
      return {
        address: big(address, "log address"),
        topics: listOf(topics, "topics").map((t) => big(t, "topic")),
        data: bytesOf(data, "log data"),
      };
    }),
  };
  const blobGasUsed = optBig(f[6], "blobGasUsed");
  const blobGasPrice = optBig(f[7], "blobGasPrice");
  if (blobGasUsed !== undefined) r.blobGasUsed = blobGasUsed;
  if (blobGasPrice !== undefined) r.blobGasPrice = blobGasPrice;
  return r;
}
