// Receipt consensus encoding (EIP-2718 envelope): RLP([status, cumulativeGasUsed, logsBloom, logs]),
// prefixed by the type byte for typed transactions. This is what the receipts trie holds.
import type { Log } from "../evm/host.js";
import { slabBytes } from "../primitives/byte-slab.js";
import { bigintToMinimalBytes, bytesToBigint } from "../primitives/hex.js";
import {
  type RlpDecoded,
  rlpDecode,
  rlpHeaderLength,
  rlpStringSize,
  writeRlpHeader,
  writeRlpString,
} from "../primitives/rlp.js";
import { writeAddressAt, writeWordAt } from "../primitives/word-view.js";
import { BLOOM_BYTES } from "./bloom.js";
import type { TransactionReceipt } from "./types.js";

/** The fields of a receipt that consensus commits to. */
export type ReceiptConsensus = Pick<TransactionReceipt, "type" | "status" | "cumulativeGasUsed" | "logsBloom" | "logs">;

function logPayload(log: Log): number {
  const topics = 33 * log.topics.length;
  return 21 + topics + rlpHeaderLength(topics) + rlpStringSize(log.data);
}

/** The payload of the RLP list of `logs`: each log's [address, topics, data] with its header. */
function logsPayload(logs: readonly Log[]): number {
  let payload = 0;
  for (const log of logs) {
    const size = logPayload(log);
    payload += size + rlpHeaderLength(size);
  }
  return payload;
}

/** Bytes of the RLP list of `logs`, header included. */
export function logsListSize(logs: readonly Log[]): number {
  const payload = logsPayload(logs);
  return payload + rlpHeaderLength(payload);
}

/** Writes the RLP list of `logs` at `at` (`view` over `out`'s bytes); returns the end. */
export function writeLogsList(out: Uint8Array, view: DataView, at: number, logs: readonly Log[]): number {
  at = writeRlpHeader(out, at, logsPayload(logs), 0xc0);
  for (const log of logs) {
    at = writeRlpHeader(out, at, logPayload(log), 0xc0);
    out[at++] = 0x80 + 20;
    writeAddressAt(view, at, log.address);
    at += 20;
    at = writeRlpHeader(out, at, 33 * log.topics.length, 0xc0);
    for (const topic of log.topics) {
      out[at++] = 0x80 + 32;
      writeWordAt(view, at, topic);
      at += 32;
    }
    at = writeRlpString(out, at, log.data);
  }
  return at;
}

/** Measured first, then written into one slab view of the exact size (no per-field arrays): it is hashed into the receipts root and dropped. */
export function encodeReceipt(r: ReceiptConsensus): Uint8Array {
  if (r.logsBloom.length !== BLOOM_BYTES) throw new Error(`receipt logsBloom must be ${BLOOM_BYTES} bytes`);
  const gas = bigintToMinimalBytes(r.cumulativeGasUsed);
  const payload = 1 + rlpStringSize(gas) + 3 + BLOOM_BYTES + logsListSize(r.logs);
  const typed = r.type === 0 ? 0 : 1;
  const out = slabBytes(typed + rlpHeaderLength(payload) + payload);
  const view = new DataView(out.buffer, out.byteOffset, out.length);
  if (typed) out[0] = r.type;
  let at = writeRlpHeader(out, typed, payload, 0xc0);
  // status: 0x01, or the empty string
  out[at++] = r.status === 1 ? 1 : 0x80;
  at = writeRlpString(out, at, gas);
  at = writeRlpString(out, at, r.logsBloom);
  writeLogsList(out, view, at, r.logs);
  return out;
}

function bytes(item: RlpDecoded | undefined, what: string, length?: number): Uint8Array {
  if (!(item instanceof Uint8Array) || (length !== undefined && item.length !== length)) {
    throw new Error(`invalid receipt encoding: ${what}`);
  }
  return item;
}

function list(item: RlpDecoded | undefined, what: string): RlpDecoded[] {
  if (!Array.isArray(item)) throw new Error(`invalid receipt encoding: ${what} is not a list`);
  return item;
}

/** The inverse of encodeReceipt. */
export function decodeReceipt(encoded: Uint8Array): ReceiptConsensus {
  if (encoded.length === 0) throw new Error("invalid receipt encoding: empty");
  const first = encoded[0]!;
  let type: 0 | 1 | 2 | 3 = 0;
  let body = encoded;
  if (first < 0x80) {
    if (first < 1 || first > 3) throw new Error(`invalid receipt encoding: unknown type ${first}`);
    type = first as 1 | 2 | 3;
    body = encoded.subarray(1);
  }
  const items = list(rlpDecode(body), "receipt");
  if (items.length !== 4) throw new Error("invalid receipt encoding: expected 4 fields");
  const status = bytes(items[0], "status");
  if (status.length > 1 || (status.length === 1 && status[0] !== 1)) {
    throw new Error("invalid receipt encoding: status must be empty or 0x01 (pre-Byzantium state roots unsupported)");
  }
  return {
    type,
    status: status.length === 1 ? 1 : 0,
    cumulativeGasUsed: bytesToBigint(bytes(items[1], "cumulativeGasUsed")),
    logsBloom: bytes(items[2], "logsBloom", BLOOM_BYTES),
    logs: list(items[3], "logs").map((l, i) => {
      const [address, topics, data] = list(l, `logs[${i}]`);
      return {
        address: bytesToBigint(bytes(address, `logs[${i}].address`, 20)),
        topics: list(topics, `logs[${i}].topics`).map((t, j) => bytesToBigint(bytes(t, `logs[${i}].topics[${j}]`, 32))),
        data: bytes(data, `logs[${i}].data`),
      };
    }),
  };
}
