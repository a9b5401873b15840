import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { LmdbState } from "../lmdb-state.js";
import { MemoryState } from "../memory-state.js";
import { StateBulkLoader } from "./bulk-load.js";

const dir = mkdtempSync(join(tmpdir(), "weft-bulk-load-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("the bulk loader's flat state reads back: plain accounts (written last, in address order), code, and storage given as a Map with zeros or as pairs", async () => {
  const lmdb = LmdbState.open(dir);
  const reference = new MemoryState();
  const loader = new StateBulkLoader(lmdb, { writeFlatState: true, batch: 7 });
  const storage = new Map([
    [1n, 5n],
    [2n, 0n],
    [3n, 9n],
  ]);
  const accounts: [bigint, bigint, Iterable<readonly [bigint, bigint]>, Uint8Array | undefined][] = [
    [0xaan, 1n, storage, undefined],
    [0xbbn, 2n, [[7n, 8n]], new Uint8Array([0x60, 0x00])],
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
  assert.equal(loader.finish(), reference.stateRoot());
  assert.deepEqual(storage.get(2n), 0n, "the caller's Map is left as it was");
  for (const [address] of accounts) {
    assert.deepEqual(lmdb.account(address), reference.account(address), `account ${address}`);
    assert.deepEqual(new Uint8Array(lmdb.code(address)), reference.code(address));
    for (const slot of [1n, 2n, 3n, 7n]) assert.equal(lmdb.storage(address, slot), reference.storage(address, slot));
  }
  await lmdb.close();
});
