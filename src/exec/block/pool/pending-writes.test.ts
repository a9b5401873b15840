import assert from "node:assert/strict";
import { test } from "node:test";
import type { StateWrites } from "../../../evm/host.js";
import { decodePendingWrites, encodePendingWrites } from "./pending-writes.js";

test("a block's net writes survive the trip to the workers as bytes: deletion, clear, new code, slots, zero values", () => {
  const writes: StateWrites = new Map([
    [0xa1n, { deleted: true, nonce: 0n, balance: 0n, codeHash: 0n, storageCleared: false, storage: new Map() }],
    [
      0xc0de0000000000000000000000000000000000ffn,
      {
        deleted: false,
        nonce: 1n,
        balance: 2n ** 255n + 3n,
        codeHash: 0x1234n,
        code: new Uint8Array([0x60, 0x00, 0xf3]),
        storageCleared: true,
        storage: new Map([
          [0n, 0n],
          [2n ** 256n - 1n, 42n],
        ]),
      },
    ],
    [
      0xb2n,
      { deleted: false, nonce: 7n, balance: 0n, codeHash: 0x99n, storageCleared: false, storage: new Map([[5n, 6n]]) },
    ],
  ]);
  assert.deepStrictEqual(decodePendingWrites(encodePendingWrites(writes)), writes);
  assert.deepStrictEqual(decodePendingWrites(encodePendingWrites(new Map())), new Map());
});

test("a write that carries only storage (a transaction's, never a block's net write) is refused", () => {
  const w = {
    deleted: false,
    nonce: 0n,
    balance: 0n,
    codeHash: 0n,
    storageCleared: false,
    storage: new Map(),
    storageOnly: true as const,
  };
  assert.throws(() => encodePendingWrites(new Map([[1n, w]])), /no storageOnly/);
});
