import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { StateWrites } from "../../evm/host.js";
import { EMPTY_CODE_HASH } from "../../primitives/keccak.js";
import { LmdbState } from "../lmdb-state.js";
import { MemoryState } from "../memory-state.js";
import { proofOfAccount, proveAccount } from "../proof.js";
import { RandomWrites } from "../random-writes.js";
import { StateBulkLoader } from "./bulk-load.js";
import { StateTrie } from "./state-trie.js";
import { type TrieLogRecord, TrieLogWriter } from "./trie-store.js";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempStore(): LmdbState {
  const dir = mkdtempSync(join(tmpdir(), "weft-state-trie-"));
  dirs.push(dir);
  return LmdbState.open(dir);
}

/** Commits `writes` with the trie's record for them (sealed), as the chain does; then reports it durable. */
function commitSealed(lmdb: LmdbState, trie: StateTrie, writes: StateWrites, record: TrieLogRecord): void {
  lmdb.commitSync(writes, undefined, () => {
    new TrieLogWriter(lmdb).write(record);
    return undefined;
  });
  trie.written(record.logKey);
}

/** Applies `writes` to the trie and commits them with its nodes, as the chain does (the log moved to the tables when due). */
async function commitBlock(lmdb: LmdbState, trie: StateTrie, writes: StateWrites): Promise<bigint> {
  trie.apply(writes);
  const root = trie.root();
  commitSealed(lmdb, trie, writes, trie.seal());
  if (trie.mergeDue()) await trie.mergeLog();
  return root;
}

/** Writes `reference`'s state into `lmdb` with the bulk loader; returns its root. */
function bulkBuild(lmdb: LmdbState, reference: MemoryState): bigint {
  const loader = new StateBulkLoader(lmdb, { writeFlatState: true });
  for (const address of reference.addresses()) {
    const a = reference.account(address)!;
    loader.addAccount(
      address,
      { nonce: a.nonce, balance: a.balance, code: reference.code(address), codeHash: a.codeHash },
      reference.storageEntries(address),
    );
  }
  return loader.finish();
}

/** `incremental`'s trie tables hold exactly the nodes a bulk build of `reference` writes (nothing stale left behind). */
async function assertTablesAsBulkBuild(incremental: LmdbState, reference: MemoryState): Promise<void> {
  const bulk = tempStore();
  assert.equal(bulkBuild(bulk, reference), reference.stateRoot());
  for (const table of ["trie/accounts", "trie/storage"])
    assert.deepEqual(dump(incremental, table), dump(bulk, table), table);
  await bulk.close();
}

/** Every record of table `name`, as hex key=value lines in key order. */
function dump(lmdb: LmdbState, name: string): string[] {
  return [...lmdb.database(name).getRange({})].map(
    ({ key, value }) => `${Buffer.from(key).toString("hex")}=${Buffer.from(value).toString("hex")}`,
  );
}

test("every incremental root equals a full recomputation: random writes, deletes, storage clears, re-creations", async () => {
  for (const [seed, cacheBytes] of [
    [1, 1 << 20],
    [2, 0],
    [3, 4096],
  ] as const) {
    const lmdb = tempStore();
    const blocks = new RandomWrites(seed, { addresses: 60, accountsPerBlock: 14, slotsPerAccount: 10, slots: 40 });
    const reference = new MemoryState();
    let trie = StateTrie.open(lmdb, { cacheBytes });
    assert.equal(trie.root(), reference.stateRoot());
    for (let n = 0; n < 80; n++) {
      const writes = blocks.next();
      reference.applyWrites(writes);
      assert.equal(await commitBlock(lmdb, trie, writes), reference.stateRoot(), `seed ${seed}, block ${n}`);
      assert.equal(lmdb.stateRoot(), reference.stateRoot(), `flat state, seed ${seed}, block ${n}`);
      // Now and then a reopen: the root comes from the stored nodes alone.
      if (n % 20 === 19) {
        trie = StateTrie.open(lmdb, { cacheBytes });
        assert.equal(trie.root(), reference.stateRoot(), `reopened, seed ${seed}, block ${n}`);
      }
    }
    await lmdb.close();
  }
});

test("blocks go on while the log is merged: every root is a full recomputation's, and the tables end as a bulk build's", async () => {
  const incremental = tempStore();
  const blocks = new RandomWrites(11, { addresses: 60, accountsPerBlock: 14, slotsPerAccount: 10, slots: 40 });
  const trie = StateTrie.open(incremental);
  const reference = new MemoryState();
  // Each merge pauses at every step, and each pause lets one more block in: its root is computed
  // (reading nodes the merge has not written yet) and it is committed and logged meanwhile.
  let merging: Promise<void> | undefined;
  let interleaved = 0;
  let step: (() => void) | undefined;
  const slices = { ms: 0, pause: () => new Promise<void>((resolve) => (step = resolve)) };
  for (let n = 0; n < 120; n++) {
    const writes = blocks.next();
    reference.applyWrites(writes);
    trie.apply(writes);
    assert.equal(trie.root(), reference.stateRoot(), `block ${n}`);
    commitSealed(incremental, trie, writes, trie.seal());
    if (merging !== undefined && step !== undefined) interleaved++;
    const resume = step;
    step = undefined;
    resume?.();
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (merging === undefined && trie.mergeDue()) {
      merging = trie.mergeLog(false, slices).finally(() => {
        merging = undefined;
      });
    }
  }
  while (merging !== undefined) {
    step?.();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  assert.ok(interleaved >= 10, `blocks committed during merges: ${interleaved}`);
  await trie.mergeLog();
  assert.equal(StateTrie.open(incremental).root(), reference.stateRoot());
  await assertTablesAsBulkBuild(incremental, reference);
  await incremental.close();
});

test("the stored nodes are exactly those of a bulk build of the same state (nothing stale is left behind)", async () => {
  const incremental = tempStore();
  const blocks = new RandomWrites(7, { addresses: 50, accountsPerBlock: 12, slotsPerAccount: 8, slots: 30 });
  const trie = StateTrie.open(incremental);
  const reference = new MemoryState();
  for (let n = 0; n < 60; n++) {
    const writes = blocks.next();
    reference.applyWrites(writes);
    await commitBlock(incremental, trie, writes);
  }
  await trie.mergeLog();
  await assertTablesAsBulkBuild(incremental, reference);
  await incremental.close();
});

test("a store without trie tables, or changed without its trie, gets them rebuilt on open, and says so", async () => {
  const lmdb = tempStore();
  const blocks = new RandomWrites(5);
  const reference = new MemoryState();
  for (let n = 0; n < 10; n++) {
    const writes = blocks.next();
    reference.applyWrites(writes);
    lmdb.commitSync(writes); // as a datadir from before the trie was kept
  }
  const lines: string[] = [];
  const trie = StateTrie.open(lmdb, { log: (l) => lines.push(l) });
  assert.match(lines[0]!, /building the state trie tables .*no state trie tables yet/);
  assert.equal(trie.root(), reference.stateRoot());
  lines.length = 0;
  StateTrie.open(lmdb, { log: (l) => lines.push(l) });
  assert.equal(lines.length, 0, "built once");
  const write = {
    deleted: false,
    nonce: 1n,
    balance: 5n,
    codeHash: EMPTY_CODE_HASH,
    storageCleared: false,
    storage: new Map(),
  };
  const other: StateWrites = new Map([[0xabcn, write]]);
  reference.applyWrites(other);
  lmdb.commitSync(other);
  const reopened = StateTrie.open(lmdb, { log: (l) => lines.push(l) });
  assert.match(lines[0]!, /the state changed without its trie/);
  assert.equal(reopened.root(), reference.stateRoot());
  await lmdb.close();
});

test("a failed commit leaves the stored trie as it was; the next block starts from it", async () => {
  const lmdb = tempStore();
  const blocks = new RandomWrites(11);
  const reference = new MemoryState();
  const trie = StateTrie.open(lmdb, { cacheBytes: 1 << 20 });
  for (let n = 0; n < 5; n++) {
    const writes = blocks.next();
    reference.applyWrites(writes);
    await commitBlock(lmdb, trie, writes);
  }
  const before = trie.root();
  trie.apply(blocks.next());
  assert.notEqual(trie.root(), before);
  const record = trie.seal();
  assert.throws(() =>
    lmdb.commitSync(new Map(), undefined, () => {
      new TrieLogWriter(lmdb).write(record);
      throw new Error("commit fails");
    }),
  );
  trie.discardPending();
  assert.equal(trie.root(), before);
  const writes = blocks.next();
  reference.applyWrites(writes);
  assert.equal(await commitBlock(lmdb, trie, writes), reference.stateRoot());
  await lmdb.close();
});

test("commits logged between writes of the path tables: reopened anywhere, roots and proofs match; written, the nodes equal a bulk build", async () => {
  const lmdb = tempStore();
  const blocks = new RandomWrites(19, { addresses: 40, accountsPerBlock: 10, slotsPerAccount: 6, slots: 30 });
  const reference = new MemoryState();
  // cacheBytes 0: every write drops the decoded nodes, so each block reads them back through the log.
  let trie = StateTrie.open(lmdb, { cacheBytes: 0 });
  const slots = Array.from({ length: 8 }, (_, i) => BigInt(i));
  let logged = 0;
  for (let n = 0; n < 40; n++) {
    const writes = blocks.next();
    reference.applyWrites(writes);
    trie.apply(writes);
    assert.equal(trie.root(), reference.stateRoot(), `block ${n}`);
    // As the chain commits: sealed, written in the commit's transaction, then reported durable.
    commitSealed(lmdb, trie, writes, trie.seal());
    if (trie.mergeDue()) await trie.mergeLog();
    logged = Math.max(logged, trie.nodes.log.getKeysCount());
    if (n % 7 === 6) {
      trie = StateTrie.open(lmdb, { cacheBytes: 0 });
      assert.equal(trie.root(), reference.stateRoot(), `reopened after block ${n}`);
      for (const address of [...reference.addresses()].slice(0, 5)) {
        assert.deepEqual(
          proofOfAccount(trie.prove(address, slots), lmdb, address, slots),
          proveAccount(reference, address, slots),
        );
      }
    }
  }
  assert.ok(logged > 1, "commits were logged");
  const writes = blocks.next();
  reference.applyWrites(writes);
  await commitBlock(lmdb, trie, writes);
  await trie.mergeLog();
  assert.equal(trie.nodes.log.getKeysCount(), 0, "the log is emptied into the path tables");
  await assertTablesAsBulkBuild(lmdb, reference);
  await lmdb.close();
});

test("proofs read from the stored trie equal proofs built from the whole state, for present and absent keys", async () => {
  const lmdb = tempStore();
  const blocks = new RandomWrites(13, { addresses: 40, accountsPerBlock: 10, slotsPerAccount: 6, slots: 30 });
  const reference = new MemoryState();
  const trie = StateTrie.open(lmdb, { cacheBytes: 4096 });
  for (let n = 0; n < 30; n++) {
    const writes = blocks.next();
    reference.applyWrites(writes);
    await commitBlock(lmdb, trie, writes);
  }
  const slots = Array.from({ length: 32 }, (_, i) => BigInt(i));
  let proved = 0;
  for (const address of [...reference.addresses(), 0xdeadn]) {
    const fromTrie = proofOfAccount(trie.prove(address, slots), lmdb, address, slots);
    assert.deepEqual(fromTrie, proveAccount(reference, address, slots), `address ${address}`);
    proved++;
  }
  assert.ok(proved > 10);
  await lmdb.close();
});

test("a sealed batch is read until written: the next block's root is computed while the previous one is committed", async () => {
  // cacheBytes 0: every write drops the decoded nodes, so the next block reads them back from the store.
  const lmdb = tempStore();
  const blocks = new RandomWrites(17);
  const reference = new MemoryState();
  const trie = StateTrie.open(lmdb, { cacheBytes: 0 });
  let inFlight: { writes: StateWrites; batch: ReturnType<StateTrie["seal"]> } | undefined;
  for (let n = 0; n < 8; n++) {
    const writes = blocks.next();
    reference.applyWrites(writes);
    trie.apply(writes);
    assert.equal(trie.root(), reference.stateRoot(), `block ${n}'s root, applied over the block in flight`);
    if (inFlight !== undefined) {
      commitSealed(lmdb, trie, inFlight.writes, inFlight.batch);
    }
    inFlight = { writes, batch: trie.seal() };
  }
  // A failed commit drops the sealed batch (block 7's) and the pending nodes: back to the stored root.
  trie.apply(blocks.next());
  trie.discardPending();
  assert.equal(trie.root(), lmdb.stateRoot());
  await lmdb.close();
});
