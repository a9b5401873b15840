import assert from "node:assert/strict";
import { test } from "node:test";
import { bytesToHex, hexToBytes } from "../primitives/hex.js";
import { type RlpDecoded, rlpDecode, rlpEncode } from "../primitives/rlp.js";
import { decodeHeader, EMPTY_OMMERS_HASH, encodeHeader, hashHeader } from "./header.js";
import { BLOCK_GAS_USED, BLOCK_HASH, BLOCK_RLP, GENESIS_HASH, GENESIS_RLP } from "./testdata/cancun-blob-block.js";

/** The header's own RLP, cut out of a block's RLP. */
function headerRlp(blockRlp: string): Uint8Array {
  const block = rlpDecode(hexToBytes(blockRlp)) as RlpDecoded[];
  return rlpEncode(block[0]!);
}

test("a geth-filled Cancun header decodes, re-encodes byte for byte and hashes to its block hash", () => {
  for (const [rlp, hash] of [
    [BLOCK_RLP, BLOCK_HASH],
    [GENESIS_RLP, GENESIS_HASH],
  ] as const) {
    const encoded = headerRlp(rlp);
    const header = decodeHeader(encoded);
    assert.equal(bytesToHex(encodeHeader(header)), bytesToHex(encoded));
    assert.equal(hashHeader(header), hash);
  }
  const h = decodeHeader(headerRlp(BLOCK_RLP));
  assert.equal(h.number, 1n);
  assert.equal(h.parentHash, GENESIS_HASH);
  assert.equal(h.gasUsed, BLOCK_GAS_USED);
  assert.equal(h.blobGasUsed, 0x60000n);
  assert.equal(h.baseFeePerGas, 7n);
  assert.equal(h.mixHash, 0x20000n);
  assert.equal(h.ommersHash, EMPTY_OMMERS_HASH);
  assert.deepEqual(h.extraData, new Uint8Array([0]));
});

test("changing any field changes the hash; bad headers are refused", () => {
  const h = decodeHeader(headerRlp(BLOCK_RLP));
  assert.notEqual(hashHeader({ ...h, parentBeaconBlockRoot: 1n }), BLOCK_HASH);
  assert.notEqual(hashHeader({ ...h, excessBlobGas: 1n }), BLOCK_HASH);
  assert.throws(() => encodeHeader({ ...h, logsBloom: new Uint8Array(255) }), /logsBloom/);
  assert.throws(() => encodeHeader({ ...h, extraData: new Uint8Array(33) }), /extraData/);
  assert.throws(() => decodeHeader(rlpEncode([new Uint8Array(1)])), /20 fields/);
});
