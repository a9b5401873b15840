import assert from "node:assert/strict";
import { test } from "node:test";
import { bigintToBytes, bytesToBigint } from "../../primitives/hex.js";
import type { RawStateTables } from "../lmdb-state.js";
import { AddressOrderedAccounts, writeAccountsInOrder } from "./address-ordered-accounts.js";
import { DuplicateLeafError } from "./bulk-build.js";

/** A storage root for the records (these tests read the records only). */
const ROOT = new Uint8Array(32);

/** A stand-in for LmdbState that records each transaction's account puts. */
function recorder() {
  const batches: [bigint, Uint8Array][][] = [];
  const lmdb = {
    writeRawStateSync(write: (tables: RawStateTables) => void): void {
      const batch: [bigint, Uint8Array][] = [];
      const refuse = () => assert.fail("only accounts are written");
      write({ account: (a, r) => batch.push([bytesToBigint(a), r.slice()]), code: refuse, slot: refuse });
      batches.push(batch);
    },
  };
  return { lmdb, batches };
}

test("accounts are written in ascending address order in batches, whether their leading bits differ or tie", () => {
  const accounts = new AddressOrderedAccounts();
  const added: bigint[] = [];
  let seed = 12345n;
  // Random addresses (leading bits differ), small sequential ones (all tie), and near neighbours of a random one.
  for (let i = 0; i < 3000; i++) {
    seed = (seed * 6364136223846793005n + 1442695040888963407n) % (1n << 160n);
    added.push(seed);
  }
  for (let i = 2000n; i > 0n; i--) added.push(i);
  for (let i = 0n; i < 50n; i++) added.push((0xabcdefn << 136n) + i * 7n);
  for (const [i, address] of added.entries())
    accounts.add(bigintToBytes(address, 20), bigintToBytes(BigInt(i), 4), ROOT);
  const { lmdb, batches } = recorder();
  const { records, order } = accounts.take();
  writeAccountsInOrder(lmdb, records, order, 1000);
  assert.deepEqual(
    batches.map((b) => b.length),
    [1000, 1000, 1000, 1000, 1000, 50],
  );
  assert.equal(accounts.size, 0, "forgotten once written");
  const written = batches.flat();
  assert.deepEqual(
    written.map(([a]) => a),
    [...added].sort((a, b) => (a < b ? -1 : 1)),
  );
  const index = new Map(added.map((a, i) => [a, BigInt(i)]));
  for (const [address, record] of written) assert.equal(bytesToBigint(record), index.get(address), "records follow");
});

test("an address added twice is a DuplicateLeafError naming the later one, before anything is written", () => {
  const accounts = new AddressOrderedAccounts();
  for (const address of [5n, 9n, 7n, 9n, 1n]) accounts.add(bigintToBytes(address, 20), new Uint8Array([1]), ROOT);
  const { lmdb, batches } = recorder();
  assert.throws(
    () => {
      const { records, order } = accounts.take();
      writeAccountsInOrder(lmdb, records, order, 2);
    },
    (e) => e instanceof DuplicateLeafError && e.index === 3,
  );
  assert.equal(batches.length, 0);
});
