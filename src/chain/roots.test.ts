import assert from "node:assert/strict";
import { test } from "node:test";
import { bigintToBytes, bigintToMinimalBytes, hexToBytes } from "../primitives/hex.js";
import { EMPTY_TRIE_ROOT } from "../primitives/keccak.js";
import { type RlpDecoded, rlpDecode, rlpEncode } from "../primitives/rlp.js";
import { logsBloom } from "./bloom.js";
import { decodeHeader } from "./header.js";
import { decodeReceipt, encodeReceipt } from "./receipt.js";
import { orderedTrieRoot, receiptsRoot, transactionsRoot } from "./roots.js";
import {
  BLOCK_GAS_USED,
  BLOCK_RECEIPTS_ROOT,
  BLOCK_RLP,
  BLOCK_TRANSACTIONS_ROOT,
  TX_SENDER,
} from "./testdata/cancun-blob-block.js";
import { decodeTransaction } from "./transaction.js";

test("transactions and receipts roots of a geth-filled Cancun block (one blob transaction)", () => {
  const [header, txs] = rlpDecode(hexToBytes(BLOCK_RLP)) as [RlpDecoded, RlpDecoded[]];
  const h = decodeHeader(rlpEncode(header));
  // In a block body a typed transaction is an RLP string holding type ++ payload.
  const tx = decodeTransaction(txs[0] as Uint8Array, { chainId: 1n });
  assert.equal(tx.type, 3);
  assert.equal(tx.sender, TX_SENDER);
  assert.equal(tx.blobVersionedHashes?.length, 3);
  assert.equal(transactionsRoot([tx]), BLOCK_TRANSACTIONS_ROOT);
  assert.equal(h.transactionsRoot, BLOCK_TRANSACTIONS_ROOT);
  // The blob-hash contract stores BLOBHASH(10) = 0 into slot 0: success, no logs.
  const receipt = {
    type: 3 as const,
    status: 1 as const,
    cumulativeGasUsed: BLOCK_GAS_USED,
    logs: [],
    logsBloom: logsBloom([]),
  };
  assert.equal(receiptsRoot([receipt]), BLOCK_RECEIPTS_ROOT);
  assert.equal(h.receiptsRoot, BLOCK_RECEIPTS_ROOT);
});

test("empty lists give the empty trie root", () => {
  assert.equal(transactionsRoot([]), EMPTY_TRIE_ROOT);
  assert.equal(receiptsRoot([]), EMPTY_TRIE_ROOT);
});

test("ordered trie keys are RLP(index): more than 128 entries cross the one-byte key boundary", () => {
  const values = Array.from({ length: 300 }, (_, i) => new Uint8Array([1, i & 0xff, i >> 8]));
  const root = orderedTrieRoot(values);
  assert.notEqual(root, orderedTrieRoot(values.slice(0, 299)));
  // Index 0 is RLP("") = 0x80, index 127 is 0x7f, 128 is 0x8180: swapping two values changes the root.
  const swapped = [...values];
  [swapped[0], swapped[128]] = [swapped[128]!, swapped[0]!];
  assert.notEqual(orderedTrieRoot(swapped), root);
});

test("receipts round-trip through their encoding (legacy and typed, with logs)", () => {
  const logs = [
    { address: 0x1234n, topics: [1n, 2n], data: new Uint8Array([9, 9]) },
    { address: 0xffn, topics: [], data: new Uint8Array(0) },
  ];
  for (const type of [0, 1, 2, 3] as const) {
    for (const status of [0, 1] as const) {
      const r = { type, status, cumulativeGasUsed: 123456n, logs, logsBloom: logsBloom(logs) };
      const encoded = encodeReceipt(r);
      assert.equal(encoded[0]! >= 0xc0, type === 0);
      assert.deepEqual(decodeReceipt(encoded), r);
    }
  }
  assert.throws(() => decodeReceipt(new Uint8Array([5, 0xc0])), /unknown type/);
});

test("a receipt's encoding is the RLP of its fields (data of 0, 1, 55, 56 and 300 bytes; 0-4 topics)", () => {
  for (const length of [0, 1, 55, 56, 300]) {
    for (const first of [0x05, 0x90]) {
      const data = new Uint8Array(length).fill(0x33);
      if (length > 0) data[0] = first;
      const logs = [0, 1, 4].map((n) => ({
        address: 0xd0d0n + BigInt(n),
        topics: Array.from({ length: n }, (_, k) => (1n << 255n) + BigInt(k)),
        data,
      }));
      for (const cumulativeGasUsed of [0n, 5n, 0x80n, 30_000_000n]) {
        const r = { type: 2 as const, status: 1 as const, cumulativeGasUsed, logs, logsBloom: logsBloom(logs) };
        const fields = [
          new Uint8Array([1]),
          bigintToMinimalBytes(cumulativeGasUsed),
          r.logsBloom,
          logs.map((l) => [bigintToBytes(l.address, 20), l.topics.map((t) => bigintToBytes(t, 32)), l.data]),
        ];
        assert.deepEqual(encodeReceipt(r), Uint8Array.from([2, ...rlpEncode(fields)]));
      }
    }
  }
});
