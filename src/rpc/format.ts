// The RPC (geth-shaped) JSON of blocks, headers, transactions and receipts.
import { effectiveGasPrice } from "../chain/fees.js";
import { encodeHeader } from "../chain/header.js";
import type { Block, BlockHeader, SignedTransaction, TransactionReceipt } from "../chain/types.js";
import { addressToHex, bigintToHex, bytesToHex, wordToHex } from "../primitives/hex.js";
import { formatAccessList, formatLog, indexHex, nonce8 } from "./hex-codec.js";

/** Where a mined transaction sits; absent for a pending one. */
export interface TxLocation {
  blockHash: bigint;
  blockNumber: bigint;
  index: number;
  /** The block's base fee: gasPrice of a dynamic-fee transaction is then its effective price. */
  baseFee: bigint;
  /** The block's timestamp (reported as blockTimestamp, as geth 1.16 and anvil do). */
  timestamp: bigint;
}

export function formatTransaction(tx: SignedTransaction, at?: TxLocation): Record<string, unknown> {
  const out: Record<string, unknown> = {
    blockHash: at === undefined ? null : wordToHex(at.blockHash),
    blockNumber: at === undefined ? null : bigintToHex(at.blockNumber),
    transactionIndex: at === undefined ? null : indexHex(at.index),
    hash: wordToHex(tx.hash),
    type: indexHex(tx.type),
    from: addressToHex(tx.sender),
    to: tx.to === null ? null : addressToHex(tx.to),
    nonce: bigintToHex(tx.nonce),
    gas: bigintToHex(tx.gasLimit),
    value: bigintToHex(tx.value),
    input: bytesToHex(tx.data),
  };
  if (tx.type >= 2) {
    // geth: a mined dynamic-fee transaction shows the price it paid, a pending one its cap.
    out.gasPrice = bigintToHex(at === undefined ? tx.maxFeePerGas! : effectiveGasPrice(tx, at.baseFee));
    out.maxFeePerGas = bigintToHex(tx.maxFeePerGas!);
    out.maxPriorityFeePerGas = bigintToHex(tx.maxPriorityFeePerGas!);
  } else {
    out.gasPrice = bigintToHex(tx.gasPrice!);
  }
  if (tx.type === 3) {
    out.maxFeePerBlobGas = bigintToHex(tx.maxFeePerBlobGas ?? 0n);
    out.blobVersionedHashes = (tx.blobVersionedHashes ?? []).map(wordToHex);
  }
  if (tx.type >= 1) out.accessList = formatAccessList(tx.accessList);
  if (tx.chainId !== undefined) out.chainId = bigintToHex(tx.chainId);
  if (at !== undefined) out.blockTimestamp = bigintToHex(at.timestamp);
  out.v = bigintToHex(tx.v);
  out.r = bigintToHex(tx.r);
  out.s = bigintToHex(tx.s);
  if (tx.type >= 1) out.yParity = bigintToHex(tx.v);
  return out;
}

export function formatHeader(header: BlockHeader, hash: bigint | null): Record<string, unknown> {
  return {
    number: bigintToHex(header.number),
    hash: hash === null ? null : wordToHex(hash),
    parentHash: wordToHex(header.parentHash),
    nonce: nonce8(header.nonce),
    sha3Uncles: wordToHex(header.ommersHash),
    logsBloom: bytesToHex(header.logsBloom),
    transactionsRoot: wordToHex(header.transactionsRoot),
    stateRoot: wordToHex(header.stateRoot),
    receiptsRoot: wordToHex(header.receiptsRoot),
    miner: addressToHex(header.coinbase),
    difficulty: bigintToHex(header.difficulty),
    totalDifficulty: bigintToHex(header.difficulty),
    extraData: bytesToHex(header.extraData),
    gasLimit: bigintToHex(header.gasLimit),
    gasUsed: bigintToHex(header.gasUsed),
    timestamp: bigintToHex(header.timestamp),
    mixHash: wordToHex(header.mixHash),
    baseFeePerGas: bigintToHex(header.baseFeePerGas),
    withdrawalsRoot: wordToHex(header.withdrawalsRoot),
    blobGasUsed: bigintToHex(header.blobGasUsed),
    excessBlobGas: bigintToHex(header.excessBlobGas),
    parentBeaconBlockRoot: wordToHex(header.parentBeaconBlockRoot),
  };
}

/** A block with transaction hashes, or with full transactions when `full`. `pending`: no hash yet. */
export function formatBlock(block: Block, full: boolean, pending = false): Record<string, unknown> {
  const out = formatHeader(block.header, pending ? null : block.hash);
  out.size = bigintToHex(BigInt(blockSize(block)));
  out.uncles = [];
  out.withdrawals = [];
  out.transactions = block.transactions.map((tx, index) =>
    full ? formatTransaction(tx, pending ? undefined : locationIn(block, index)) : wordToHex(tx.hash),
  );
  return out;
}

/** Where transaction `index` of a mined block sits. */
export function locationIn(block: Pick<Block, "hash" | "header">, index: number): TxLocation {
  const h = block.header;
  return { blockHash: block.hash, blockNumber: h.number, index, baseFee: h.baseFeePerGas, timestamp: h.timestamp };
}

/** A receipt; `timestamp` is its block's (blockTimestamp, on the receipt and its logs). */
export function formatReceipt(r: TransactionReceipt, timestamp?: bigint): Record<string, unknown> {
  const out: Record<string, unknown> = {
    transactionHash: wordToHex(r.transactionHash),
    transactionIndex: indexHex(r.transactionIndex),
    blockHash: wordToHex(r.blockHash),
    blockNumber: bigintToHex(r.blockNumber),
    from: addressToHex(r.from),
    to: r.to === null ? null : addressToHex(r.to),
    cumulativeGasUsed: bigintToHex(r.cumulativeGasUsed),
    gasUsed: bigintToHex(r.gasUsed),
    contractAddress: r.contractAddress === null ? null : addressToHex(r.contractAddress),
    logs: receiptLogs(r, timestamp),
    logsBloom: bytesToHex(r.logsBloom),
    type: indexHex(r.type),
    status: indexHex(r.status),
    effectiveGasPrice: bigintToHex(r.effectiveGasPrice),
  };
  if (timestamp !== undefined) out.blockTimestamp = bigintToHex(timestamp);
  if (r.blobGasUsed !== undefined) out.blobGasUsed = bigintToHex(r.blobGasUsed);
  if (r.blobGasPrice !== undefined) out.blobGasPrice = bigintToHex(r.blobGasPrice);
  return out;
}

export function receiptLogs(r: TransactionReceipt, timestamp?: bigint): Record<string, unknown>[] {
  return r.logs.map((log, i) =>
    formatLog(log, {
      blockHash: r.blockHash,
      blockNumber: r.blockNumber,
      transactionHash: r.transactionHash,
      transactionIndex: r.transactionIndex,
      logIndex: r.firstLogIndex + i,
      ...(timestamp === undefined ? {} : { blockTimestamp: timestamp }),
    }),
  );
}

/** The RLP size of the block [header, transactions, ommers, withdrawals], as geth reports `size`. */
export function blockSize(block: Block): number {
  let txs = 0;
  // A legacy transaction is an RLP list in the body; a typed one is a byte string holding its envelope.
  for (const tx of block.transactions) txs += tx.type === 0 ? tx.raw.length : rlpLength(tx.raw.length);
  return rlpLength(encodeHeader(block.header).length + rlpLength(txs) + 1 + 1);
}

/** Length of an RLP string or list whose payload is `n` bytes (n > 1 or the payload is not a single low byte). */
function rlpLength(n: number): number {
  if (n < 56) return n + 1;
  let bytes = 0;
  for (let m = n; m > 0; m = Math.floor(m / 256)) bytes++;
  return n + 1 + bytes;
}
