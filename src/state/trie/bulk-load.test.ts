import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { LmdbState } from "../lmdb-state.js";
import { MemoryState } from "../memory-state.js";
import { StateBulkLoader } from "./bulk-load.js";
import { PackedSlots } from "./packed-slots.js";

const dir = mkdtempSync(join(tmpdir(), "weft-bulk-load-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("the bulk loader's flat state reads back: plain accounts (written last, in address order), code, and storage given as a Map with zeros, as pairs, or packed and larger than a batch", async () => {
  const lmdb = LmdbState.open(dir);
  const reference = new MemoryState();
  const loader = new StateBulkLoader(lmdb, { writeFlatState: true, batch: 7 });
  const storage = new Map([
    [1n, 5n],
    [2n, 0n],
    [3n, 9n],
  ]);
  // 30 slots (batch 7: written over several transactions), small keys whose leading bits all tie.
  const packed = PackedSlots.fromEntries(Array.from({ length: 30 }, (_, i) => [BigInt(30 - i), BigInt(i) << 100n]));
  const accounts: [bigint, bigint, Iterable<readonly [bigint, bigint]>, Uint8Array | undefined][] = [
    [0xaan, 1n, storage, undefined],
    [0xbbn, 2n, [[7n, 8n]], new Uint8Array([0x60, 0x00])],
    [0xccn, 3n, packed, new Uint8Array([0x60, 0x01])],
  ];
  for (let i = 40n; i > 0n; i--) accounts.push([i * 0x1000003n, i, [], undefined]);
  for (const [address, balance, slots, code] of accounts) {
    loader.addAccount(address, { nonce: balance % 3n, balance, ...(code === undefined ? {} : { code }) }, slots);
    reference.setAccount(address, {
      nonce: balance % 3n,
      balance,
      storage: new Map(slots),
      ...(code === undefined ? {} : { code }),
    });
  }
  const root = loader.finish();
  assert.equal(root, reference.stateRoot());
  assert.equal(lmdb.stateRoot(), root, "the flat state's full recomputation gives the same root");
  assert.deepEqual(storage.get(2n), 0n, "the caller's Map is left as it was");
  for (const [address, , slots] of accounts) {
    assert.deepEqual(lmdb.account(address), reference.account(address), `account ${address}`);
    assert.deepEqual(new Uint8Array(lmdb.code(address)), reference.code(address));
    const nonZero = new Map([...slots].filter(([, value]) => value !== 0n));
    assert.deepEqual(lmdb.storageEntries(address), nonZero, `storage of ${address}`);
  }
  await lmdb.close();
});
