// Transaction codec: the network encodings of types 0-3 (legacy, EIP-2930, EIP-1559, EIP-4844),
// their signing hashes, signing, and decoding with sender recovery. Decoding is strict, as geth's:
// canonical RLP, integers without leading zeros and within their widths, exact address and hash
// sizes, low-s signatures (EIP-2), and the chain id checked when the caller names one.
import type { AccessListEntry, TxInput } from "../exec/types.js";
import { bigintToBytes, bigintToMinimalBytes, bytesToBigint, concatBytes } from "../primitives/hex.js";
import { keccak256Word } from "../primitives/keccak.js";
import { type RlpDecoded, type RlpInput, rlpDecode, rlpEncode } from "../primitives/rlp.js";
import { TxDecodeError } from "./errors.js";
import { privateKeyToAddress, recoverAddress, SECP256K1_HALF_N, SECP256K1_N, signHash } from "./sign.js";
import type { SignedTransaction } from "./types.js";

/** A transaction before signing: everything but the sender (which the signature determines). */
export type UnsignedTransaction = Omit<TxInput, "sender">;

export interface DecodeOptions {
  /** Reject a transaction signed for another chain (a legacy one without a chain id is still accepted). */
  chainId?: bigint;
  /**
   * The sender, when already known and trusted (a transaction read back from the node's own store,
   * or recovered by a worker thread): skips the recovery (about 40 µs), keeps every other check.
   */
  sender?: bigint;
  /**
   * The hash, when already known (a transaction read back from the node's own store, which keeps it:
   * an impersonated transaction's is not keccak256 of its raw bytes): skips hashing the raw bytes.
   */
  hash?: bigint;
}

const EMPTY = new Uint8Array(0);
const TYPE_NAMES = ["legacy", "EIP-2930", "EIP-1559", "EIP-4844"] as const;
/** Payload item counts, signature included. */
const FIELD_COUNTS = [9, 11, 12, 14] as const;

// ---------------------------------------------------------------------------------------------
// Encoding

function int(value: bigint): Uint8Array {
  if (value < 0n) throw new Error(`cannot encode a negative integer (${value})`);
  return bigintToMinimalBytes(value);
}

function address(value: bigint): Uint8Array {
  return bigintToBytes(value, 20);
}

function accessListItems(list: readonly AccessListEntry[]): RlpInput[] {
  return list.map((e) => [address(e.address), e.storageKeys.map((k) => bigintToBytes(k, 32))]);
}

function required(tx: UnsignedTransaction, field: keyof UnsignedTransaction): bigint {
  const value = tx[field];
  if (typeof value !== "bigint") throw new Error(`type ${tx.type} transaction needs ${field}`);
  return value;
}

/** The RLP items that are signed (for a legacy transaction, without the EIP-155 suffix). */
function unsignedItems(tx: UnsignedTransaction): RlpInput[] {
  const to = tx.to === null ? EMPTY : address(tx.to);
  switch (tx.type) {
    case 0:
      return [int(tx.nonce), int(required(tx, "gasPrice")), int(tx.gasLimit), to, int(tx.value), tx.data];
    case 1:
      return [
        int(required(tx, "chainId")),
        int(tx.nonce),
        int(required(tx, "gasPrice")),
        int(tx.gasLimit),
        to,
        int(tx.value),
        tx.data,
        accessListItems(tx.accessList),
      ];
    case 2:
    case 3: {
      const items: RlpInput[] = [
        int(required(tx, "chainId")),
        int(tx.nonce),
        int(required(tx, "maxPriorityFeePerGas")),
        int(required(tx, "maxFeePerGas")),
        int(tx.gasLimit),
        to,
        int(tx.value),
        tx.data,
        accessListItems(tx.accessList),
      ];
      if (tx.type === 3) {
        if (tx.to === null) throw new Error("a blob (type 3) transaction cannot create a contract");
        const hashes = tx.blobVersionedHashes;
        if (hashes === undefined) throw new Error("type 3 transaction needs blobVersionedHashes");
        items.push(
          int(required(tx, "maxFeePerBlobGas")),
          hashes.map((h) => bigintToBytes(h, 32)),
        );
      }
      return items;
    }
    default:
      throw new Error(`unsupported transaction type ${(tx as { type: unknown }).type}`);
  }
}

function envelope(type: number, items: RlpInput[]): Uint8Array {
  const body = rlpEncode(items);
  return type === 0 ? body : concatBytes(new Uint8Array([type]), body);
}

function signingHashOf(tx: UnsignedTransaction, items: RlpInput[]): bigint {
  if (tx.type === 0 && tx.chainId !== undefined) items = [...items, int(tx.chainId), EMPTY, EMPTY]; // EIP-155
  return keccak256Word(envelope(tx.type, items));
}

/** The hash a sender signs: keccak256 of the unsigned encoding (EIP-155 form for a legacy transaction with a chain id). */
export function signingHash(tx: UnsignedTransaction): bigint {
  return signingHashOf(tx, unsignedItems(tx));
}

/** The v a signature is encoded with: yParity for typed transactions; 27/28 or chainId * 2 + 35/36 (EIP-155) for legacy. */
export function encodeV(tx: UnsignedTransaction, yParity: 0 | 1): bigint {
  if (tx.type !== 0) return BigInt(yParity);
  return tx.chainId === undefined ? 27n + BigInt(yParity) : tx.chainId * 2n + 35n + BigInt(yParity);
}

function withSignature(tx: UnsignedTransaction, v: bigint, r: bigint, s: bigint): Uint8Array {
  return envelope(tx.type, [...unsignedItems(tx), int(v), int(r), int(s)]);
}

/** The network encoding (the canonical form for type 3: no blob sidecar). Built from the fields, not from `raw`. */
export function encodeTransaction(tx: SignedTransaction): Uint8Array {
  return withSignature(tx, tx.v, tx.r, tx.s);
}

/**
 * `tx` signed: the fields of its type only, then the signature's. Built field by field: an object
 * spread with fields added after it took V8's slow path, about 6 µs a transaction (most of a decode).
 */
function signedCopy(
  tx: UnsignedTransaction,
  sender: bigint,
  hash: bigint,
  raw: Uint8Array,
  v: bigint,
  r: bigint,
  s: bigint,
): SignedTransaction {
  const { type, chainId, nonce, gasLimit, gasPrice, maxFeePerGas, maxPriorityFeePerGas, to, value, data } = tx;
  const out: SignedTransaction = {
    type,
    sender,
    nonce,
    gasLimit,
    to,
    value,
    data,
    accessList: tx.accessList,
    hash,
    raw,
    v,
    r,
    s,
  };
  if (chainId !== undefined) out.chainId = chainId;
  if (type <= 1) out.gasPrice = gasPrice;
  else {
    out.maxFeePerGas = maxFeePerGas;
    out.maxPriorityFeePerGas = maxPriorityFeePerGas;
  }
  if (type === 3) {
    out.maxFeePerBlobGas = tx.maxFeePerBlobGas;
    out.blobVersionedHashes = tx.blobVersionedHashes;
  }
  return out;
}

/** Signs with `privateKey` (deterministic RFC 6979 signature, low s). */
export function signTransaction(tx: UnsignedTransaction, privateKey: Uint8Array): SignedTransaction {
  const items = unsignedItems(tx);
  const { r, s, yParity } = signHash(signingHashOf(tx, items), privateKey);
  const v = encodeV(tx, yParity);
  const raw = envelope(tx.type, [...items, int(v), int(r), int(s)]);
  const sender = privateKeyToAddress(privateKey);
  return signedCopy(tx, sender, keccak256Word(raw), raw, v, r, s);
}

/**
 * A transaction from an account whose key the node does not hold (anvil_impersonateAccount): it
 * carries the placeholder signature r = s = 1 (as anvil's) and a hash over the encoding and the
 * sender, so two senders of the same fields get distinct hashes. Its `raw` does not decode.
 */
export function impersonatedTransaction(tx: UnsignedTransaction, sender: bigint): SignedTransaction {
  const v = encodeV(tx, 0);
  const raw = withSignature(tx, v, 1n, 1n);
  const hash = keccak256Word(concatBytes(raw, address(sender)));
  return signedCopy(tx, sender, hash, raw, v, 1n, 1n);
}

// ---------------------------------------------------------------------------------------------
// Decoding

function fail(code: "RLP" | "TYPE" | "FIELDS" | "SIGNATURE" | "CHAIN_ID", message: string): never {
  throw new TxDecodeError(code, message);
}

function bytesField(item: RlpDecoded | undefined, name: string): Uint8Array {
  if (!(item instanceof Uint8Array)) fail("FIELDS", `${name}: expected a byte string, got a list`);
  return item;
}

/** An RLP integer: no leading zero byte, at most `maxBytes` bytes. */
function intField(item: RlpDecoded | undefined, name: string, maxBytes: number): bigint {
  const b = bytesField(item, name);
  if (b.length > maxBytes) fail("FIELDS", `${name}: ${b.length} bytes, at most ${maxBytes} allowed`);
  if (b.length > 0 && b[0] === 0) fail("FIELDS", `${name}: non-canonical integer (leading zero byte)`);
  return b.length === 0 ? 0n : bytesToBigint(b);
}

function fixedField(item: RlpDecoded | undefined, name: string, length: number): bigint {
  const b = bytesField(item, name);
  if (b.length !== length) fail("FIELDS", `${name}: ${b.length} bytes, expected ${length}`);
  return bytesToBigint(b);
}

function toField(item: RlpDecoded | undefined, allowCreate: boolean): bigint | null {
  const b = bytesField(item, "to");
  if (b.length === 0) {
    if (!allowCreate) fail("FIELDS", "to: a blob (type 3) transaction cannot create a contract");
    return null;
  }
  if (b.length !== 20) fail("FIELDS", `to: ${b.length} bytes, expected 20 (or empty to create)`);
  return bytesToBigint(b);
}

function listField(item: RlpDecoded | undefined, name: string): RlpDecoded[] {
  if (!Array.isArray(item)) fail("FIELDS", `${name}: expected a list`);
  return item;
}

function accessListField(item: RlpDecoded | undefined): AccessListEntry[] {
  return listField(item, "accessList").map((entry, i) => {
    const pair = listField(entry, `accessList[${i}]`);
    if (pair.length !== 2) fail("FIELDS", `accessList[${i}]: expected [address, storageKeys]`);
    return {
      address: fixedField(pair[0], `accessList[${i}].address`, 20),
      storageKeys: listField(pair[1], `accessList[${i}].storageKeys`).map((k, j) =>
        fixedField(k, `accessList[${i}].storageKeys[${j}]`, 32),
      ),
    };
  });
}

function decodeRlp(bytes: Uint8Array, what: string): RlpDecoded[] {
  let decoded: RlpDecoded;
  try {
    decoded = rlpDecode(bytes);
  } catch (e) {
    fail("RLP", `${what}: invalid RLP (${(e as Error).message})`);
  }
  if (!Array.isArray(decoded)) fail("RLP", `${what}: expected an RLP list`);
  return decoded;
}

/**
 * Decodes a raw transaction (as eth_sendRawTransaction carries it) and recovers its sender. Type 3
 * must be in its canonical form: the pool splits a network form's sidecar off first (blob-sidecar.ts). Throws TxDecodeError: RLP (malformed), TYPE
 * (unknown or unsupported type), FIELDS (wrong count, size or encoding of a field), SIGNATURE (bad v,
 * r or s, high s, or nothing recovers), CHAIN_ID (signed for another chain than opts.chainId).
 */
export function decodeTransaction(raw: Uint8Array, opts: DecodeOptions = {}): SignedTransaction {
  const checked = decodeChecked(raw, opts);
  let sender = opts.sender;
  if (sender === undefined) {
    sender = recoverAddress(signingHashOf(checked.tx, checked.unsignedItems), checked.r, checked.s, checked.yParity);
    if (sender === undefined) throw unrecoverableSignature();
  }
  return signedTransaction(checked, sender, opts.hash);
}

/** A raw transaction decoded and checked, its sender still to be recovered from its signature. */
export interface UnrecoveredTransaction {
  /** The hash the sender signed. */
  signingHash: bigint;
  r: bigint;
  s: bigint;
  yParity: number;
  /** The transaction once its sender is known. */
  withSender(sender: bigint): SignedTransaction;
}

/**
 * decodeTransaction without the recovery, for a caller that recovers many senders in one call
 * (recover-worker.ts): throws as decodeTransaction does, except for a signature from which no key
 * recovers, which the caller reports with unrecoverableSignature().
 */
export function decodeUnrecovered(raw: Uint8Array, opts: Omit<DecodeOptions, "sender"> = {}): UnrecoveredTransaction {
  const checked = decodeChecked(raw, opts);
  return {
    signingHash: signingHashOf(checked.tx, checked.unsignedItems),
    r: checked.r,
    s: checked.s,
    yParity: checked.yParity,
    withSender: (sender) => signedTransaction(checked, sender),
  };
}

/** decodeTransaction's error for a well-formed signature from which no public key recovers. */
export function unrecoverableSignature(): TxDecodeError {
  return new TxDecodeError("SIGNATURE", "invalid signature: no public key recovers");
}

/** A transaction that passed every check of decodeTransaction but the recovery. */
interface CheckedTransaction {
  tx: UnsignedTransaction;
  /** The decoded items without the signature: re-encoded, they are the signed payload (decoding was canonical). */
  unsignedItems: RlpInput[];
  raw: Uint8Array;
  v: bigint;
  r: bigint;
  s: bigint;
  yParity: number;
}

function signedTransaction(checked: CheckedTransaction, sender: bigint, hash?: bigint): SignedTransaction {
  const { tx, raw, v, r, s } = checked;
  return signedCopy(tx, sender, hash ?? keccak256Word(raw), raw, v, r, s);
}

function decodeChecked(raw: Uint8Array, opts: Omit<DecodeOptions, "sender">): CheckedTransaction {
  if (raw.length === 0) fail("RLP", "empty transaction");
  // Keep no view into a larger buffer (a network or shared-memory batch): data fields point into raw.
  if (raw.byteOffset !== 0 || raw.byteLength !== raw.buffer.byteLength) raw = raw.slice();
  const first = raw[0]!;
  let type: 0 | 1 | 2 | 3;
  let items: RlpDecoded[];
  if (first >= 0xc0) {
    type = 0;
    items = decodeRlp(raw, "legacy transaction");
  } else if (first >= 0x80) {
    fail("RLP", "expected an RLP list (legacy) or a type byte followed by an RLP list (typed transaction)");
  } else if (first >= 1 && first <= 3) {
    type = first as 1 | 2 | 3;
    items = decodeRlp(raw.subarray(1), `type ${type} transaction`);
  } else if (first === 4) {
    fail("TYPE", "transaction type 4 (EIP-7702 set-code) is not supported");
  } else {
    fail("TYPE", `unknown transaction type 0x${first.toString(16).padStart(2, "0")}`);
  }

  const count = FIELD_COUNTS[type];
  if (type === 3 && items.length === 4 && Array.isArray(items[0])) {
    fail("FIELDS", "blob transaction in network form: split off its sidecar first (splitBlobNetworkForm)");
  }
  if (items.length !== count) {
    fail("FIELDS", `${TYPE_NAMES[type]} transaction: ${items.length} fields, expected ${count}`);
  }

  let tx: UnsignedTransaction;
  if (type === 0) {
    tx = {
      type,
      nonce: intField(items[0], "nonce", 8),
      gasPrice: intField(items[1], "gasPrice", 32),
      gasLimit: intField(items[2], "gasLimit", 8),
      to: toField(items[3], true),
      value: intField(items[4], "value", 32),
      data: bytesField(items[5], "data"),
      accessList: [],
    };
  } else {
    const chainId = intField(items[0], "chainId", 32);
    const nonce = intField(items[1], "nonce", 8);
    if (type === 1) {
      tx = {
        type,
        chainId,
        nonce,
        gasPrice: intField(items[2], "gasPrice", 32),
        gasLimit: intField(items[3], "gasLimit", 8),
        to: toField(items[4], true),
        value: intField(items[5], "value", 32),
        data: bytesField(items[6], "data"),
        accessList: accessListField(items[7]),
      };
    } else {
      tx = {
        type,
        chainId,
        nonce,
        maxPriorityFeePerGas: intField(items[2], "maxPriorityFeePerGas", 32),
        maxFeePerGas: intField(items[3], "maxFeePerGas", 32),
        gasLimit: intField(items[4], "gasLimit", 8),
        to: toField(items[5], type === 2),
        value: intField(items[6], "value", 32),
        data: bytesField(items[7], "data"),
        accessList: accessListField(items[8]),
      };
      if (type === 3) {
        tx.maxFeePerBlobGas = intField(items[9], "maxFeePerBlobGas", 32);
        tx.blobVersionedHashes = listField(items[10], "blobVersionedHashes").map((h, i) =>
          fixedField(h, `blobVersionedHashes[${i}]`, 32),
        );
      }
    }
  }

  const v = intField(items[count - 3], "v", 32);
  const r = intField(items[count - 2], "r", 32);
  const s = intField(items[count - 1], "s", 32);
  let yParity: number;
  if (type === 0) {
    if (v === 27n || v === 28n) yParity = Number(v - 27n);
    else if (v >= 35n) {
      tx.chainId = (v - 35n) >> 1n;
      yParity = Number((v - 35n) & 1n);
    } else fail("SIGNATURE", `invalid signature: v = ${v} (expected 27, 28 or chainId * 2 + 35/36)`);
  } else {
    if (v > 1n) fail("SIGNATURE", `invalid signature: yParity = ${v} (expected 0 or 1)`);
    yParity = Number(v);
  }
  if (r === 0n || r >= SECP256K1_N || s === 0n || s >= SECP256K1_N) {
    fail("SIGNATURE", "invalid signature: r and s must be in [1, n-1]");
  }
  if (s > SECP256K1_HALF_N) fail("SIGNATURE", "invalid signature: s above n/2 (EIP-2 high-s)");
  if (opts.chainId !== undefined && tx.chainId !== undefined && tx.chainId !== opts.chainId) {
    fail("CHAIN_ID", `invalid chain id: transaction signed for chain ${tx.chainId}, expected ${opts.chainId}`);
  }
  return { tx, unsignedItems: items.slice(0, count - 3) as RlpInput[], raw, v, r, s, yParity };
}
