import assert from "node:assert/strict";
import { test } from "node:test";
import { bytesToHex, hexToBytes } from "../primitives/hex.js";
import { type RlpDecoded, rlpDecode, rlpEncode } from "../primitives/rlp.js";
import { blockSize, encodeBlock } from "./block.js";
import { decodeHeader } from "./header.js";
import { BLOCK_RLP, TX_SENDER } from "./testdata/cancun-blob-block.js";
import { decodeTransaction, signTransaction } from "./transaction.js";

test("a geth-filled Cancun block re-encodes byte for byte", () => {
  const [header, txs] = rlpDecode(hexToBytes(BLOCK_RLP)) as [RlpDecoded, Uint8Array[]];
  const tx = decodeTransaction(txs[0]!);
  const encoded = encodeBlock(decodeHeader(rlpEncode(header)), [tx]);
  assert.equal(bytesToHex(encoded), BLOCK_RLP);
  assert.equal(blockSize(decodeHeader(rlpEncode(header)), [tx]), (BLOCK_RLP.length - 2) / 2);
  // A trusted sender skips recovery and is taken as given.
  assert.equal(decodeTransaction(txs[0]!, { sender: 5n }).sender, 5n);
  assert.equal(decodeTransaction(txs[0]!).sender, TX_SENDER);
});

test("legacy transactions sit in the block as lists, typed ones as strings", () => {
  const [header] = rlpDecode(hexToBytes(BLOCK_RLP)) as [RlpDecoded];
  const key = new Uint8Array(32).fill(1);
  const base = { nonce: 0n, gasLimit: 21000n, to: 1n, value: 0n, data: new Uint8Array(0), accessList: [] };
  const legacy = signTransaction({ ...base, type: 0, gasPrice: 1n, chainId: 1n }, key);
  const typed = signTransaction({ ...base, type: 2, chainId: 1n, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n }, key);
  const block = rlpDecode(encodeBlock(decodeHeader(rlpEncode(header)), [legacy, typed])) as RlpDecoded[];
  const txs = block[1] as RlpDecoded[];
  assert.ok(Array.isArray(txs[0]));
  assert.deepEqual(txs[1], typed.raw);
  assert.deepEqual(block[2], []);
  assert.deepEqual(block[3], []);
});
