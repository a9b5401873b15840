import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { LmdbState } from "../lmdb-state.js";
import { MemoryState } from "../memory-state.js";
import { proofOfAccount, proveAccount } from "../proof.js";
import { DuplicateLeafError } from "./bulk-build.js";
import { StateBulkLoader } from "./bulk-load.js";
import { PackedSlots } from "./packed-slots.js";
import { StateTrie } from "./state-trie.js";

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

test("a large load's account records go to the writer thread as they come, in sorted batches, and a large storage whole: same root, reads and proofs", async () => {
  const early = LmdbState.open(join(dir, "early"));
  const reference = new MemoryState();
  const loader = new StateBulkLoader(early, { writeFlatState: true, batch: 4, accountBatch: 10 });
  let seed = 7n;
  const addresses: bigint[] = [];
  for (let i = 0; i < 57; i++) {
    seed = (seed * 6364136223846793005n + 1442695040888963407n) % (1n << 160n);
    addresses.push(i % 9 === 0 ? BigInt(i) : seed);
  }
  for (const [i, address] of addresses.entries()) {
    // Accounts 30's and 44's storages are larger than a batch: handed to the writer thread whole.
    const storage: [bigint, bigint][] =
      i === 30 || i === 44
        ? Array.from({ length: 12 + i }, (_, k) => [BigInt(k * 1000 + i), BigInt(k + 1) << 90n])
        : i % 5 === 0
          ? [[BigInt(i), 3n]]
          : [];
    loader.addAccount(address, { nonce: 0n, balance: BigInt(i) + 1n }, storage);
    reference.setAccount(address, { nonce: 0n, balance: BigInt(i) + 1n, storage: new Map(storage) });
  }
  const root = loader.finish();
  assert.equal(root, reference.stateRoot());
  assert.equal(early.stateRoot(), root, "the flat state's full recomputation gives the same root");
  for (const address of addresses) {
    assert.deepEqual(early.account(address), reference.account(address));
    assert.deepEqual(early.storageEntries(address), reference.storageEntries(address), `storage of ${address}`);
  }
  // The stored trie: every account's proof, through the nodes written on either thread.
  const trie = StateTrie.open(early, { cacheBytes: 0 });
  assert.equal(trie.root(), root);
  for (const address of addresses) {
    const slots = [...(reference.storageEntries(address)?.keys() ?? [])].slice(0, 3);
    assert.deepEqual(
      proofOfAccount(trie.prove(address, slots), early, address, slots),
      proveAccount(reference, address, slots),
    );
  }
  await early.close();
});

test("an address repeated across or within the early batches is a DuplicateLeafError naming the later entry", () => {
  // "across, large storage": account 7's storage is larger than a batch, so the account trie is
  // built on the writer thread, which finds the repeat.
  for (const [name, repeats, expected, largeStorage] of [
    ["across", [3, 25], 25, false],
    ["within", [21, 24], 24, false],
    ["across, large storage", [3, 25], 25, true],
  ] as const) {
    const lmdb = LmdbState.open(join(dir, `dup-${name}`));
    const loader = new StateBulkLoader(lmdb, {
      writeFlatState: true,
      accountBatch: 10,
      batch: largeStorage ? 4 : undefined,
    });
    assert.throws(
      () => {
        for (let i = 0; i < 30; i++) {
          const address = i === repeats[1] ? 1000n + BigInt(repeats[0]) : 1000n + BigInt(i);
          const storage: [bigint, bigint][] = largeStorage && i === 7 ? [1n, 2n, 3n, 4n, 5n].map((k) => [k, k]) : [];
          loader.addAccount(address, { nonce: 0n, balance: 1n }, storage);
        }
        loader.finish();
      },
      (e) => e instanceof DuplicateLeafError && e.index === expected,
      name,
    );
    loader.abandon();
  }
});
