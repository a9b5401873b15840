// Receipt consensus encoding (EIP-2718 envelope): RLP([status, cumulativeGasUsed, logsBloom, logs]),
// prefixed by the type byte for typed transactions. This is what the receipts trie holds.
import type { Log } from "../evm/host.js";
import { bigintToBytes, bigintToMinimalBytes, bytesToBigint, concatBytes } from "../primitives/hex.js";
import { type RlpDecoded, type RlpInput, rlpDecode, rlpEncode } from "../primitives/rlp.js";
import { BLOOM_BYTES } from "./bloom.js";
import type { TransactionReceipt } from "./types.js";

/** The fields of a receipt that consensus commits to. */
export type ReceiptConsensus = Pick<TransactionReceipt, "type" | "status" | "cumulativeGasUsed" | "logsBloom" | "logs">;

function logItem(log: Log): RlpInput {
  return [bigintToBytes(log.address, 20), log.topics.map((t) => bigintToBytes(t, 32)), log.data];
}

export function encodeReceipt(r: ReceiptConsensus): Uint8Array {
  if (r.logsBloom.length !== BLOOM_BYTES) throw new Error(`receipt logsBloom must be ${BLOOM_BYTES} bytes`);
  const body = rlpEncode([
    r.status === 1 ? new Uint8Array([1]) : new Uint8Array(0),
    bigintToMinimalBytes(r.cumulativeGasUsed),
    r.logsBloom,
    r.logs.map(logItem),
  ]);
  return r.type === 0 ? body : concatBytes(new Uint8Array([r.type]), body);
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
