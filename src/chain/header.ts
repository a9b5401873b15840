// Block header RLP (Cancun: London's fields, then withdrawalsRoot (Shanghai), blobGasUsed,
// excessBlobGas and parentBeaconBlockRoot (Cancun)); the block hash is keccak256 of it.
import { bigintToBytes, bigintToMinimalBytes, bytesToBigint } from "../primitives/hex.js";
import { keccak256Word } from "../primitives/keccak.js";
import { type RlpDecoded, rlpDecode, rlpEncode } from "../primitives/rlp.js";
import { BLOOM_BYTES } from "./bloom.js";
import type { BlockHeader } from "./types.js";

/** keccak256(rlp([])): the ommers hash of every post-merge block. */
export const EMPTY_OMMERS_HASH = 0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347n;

const word = (v: bigint) => bigintToBytes(v, 32);
const int = (v: bigint) => {
  if (v < 0n) throw new Error(`header: negative integer ${v}`);
  return bigintToMinimalBytes(v);
};

export function encodeHeader(h: BlockHeader): Uint8Array {
  if (h.logsBloom.length !== BLOOM_BYTES) throw new Error(`header: logsBloom must be ${BLOOM_BYTES} bytes`);
  if (h.extraData.length > 32) throw new Error(`header: extraData is ${h.extraData.length} bytes, at most 32`);
  return rlpEncode([
    word(h.parentHash),
    word(h.ommersHash),
    bigintToBytes(h.coinbase, 20),
    word(h.stateRoot),
    word(h.transactionsRoot),
    word(h.receiptsRoot),
    h.logsBloom,
    int(h.difficulty),
    int(h.number),
    int(h.gasLimit),
    int(h.gasUsed),
    int(h.timestamp),
    h.extraData,
    word(h.mixHash),
    bigintToBytes(h.nonce, 8),
    int(h.baseFeePerGas),
    word(h.withdrawalsRoot),
    int(h.blobGasUsed),
    int(h.excessBlobGas),
    word(h.parentBeaconBlockRoot),
  ]);
}

export function hashHeader(h: BlockHeader): bigint {
  return keccak256Word(encodeHeader(h));
}

const HEADER_FIELDS = 20;

/** The inverse of encodeHeader (Cancun headers only: exactly 20 fields). */
export function decodeHeader(encoded: Uint8Array): BlockHeader {
  const items = rlpDecode(encoded);
  if (!Array.isArray(items) || items.length !== HEADER_FIELDS) {
    throw new Error(`invalid header encoding: expected a list of ${HEADER_FIELDS} fields (Cancun)`);
  }
  const b = (i: number, length?: number): Uint8Array => {
    const item: RlpDecoded = items[i]!;
    if (!(item instanceof Uint8Array) || (length !== undefined && item.length !== length)) {
      throw new Error(`invalid header encoding: field ${i}`);
    }
    return item;
  };
  const n = (i: number, length?: number) => bytesToBigint(b(i, length));
  return {
    parentHash: n(0, 32),
    ommersHash: n(1, 32),
    coinbase: n(2, 20),
    stateRoot: n(3, 32),
    transactionsRoot: n(4, 32),
    receiptsRoot: n(5, 32),
    logsBloom: b(6, BLOOM_BYTES),
    difficulty: n(7),
    number: n(8),
    gasLimit: n(9),
    gasUsed: n(10),
    timestamp: n(11),
    extraData: b(12),
    mixHash: n(13, 32),
    nonce: n(14, 8),
    baseFeePerGas: n(15),
    withdrawalsRoot: n(16, 32),
    blobGasUsed: n(17),
    excessBlobGas: n(18),
    parentBeaconBlockRoot: n(19, 32),
  };
}
