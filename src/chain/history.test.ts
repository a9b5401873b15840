import assert from "node:assert/strict";
import { after, test } from "node:test";
import type { Host } from "../evm/host.js";
import { LmdbState } from "../state/lmdb-state.js";
import { MemoryState } from "../state/memory-state.js";
import { RandomWrites } from "../state/random-writes.js";
import { VersionReadCache } from "../state/version-read-cache.js";
import { TempDirs } from "./chain-testkit.js";
import {
  decodeUndo,
  encodeUndo,
  HistoricalState,
  type HistorySource,
  mergeLater,
  type UndoRecord,
  undoOf,
  undoWrites,
} from "./history.js";

const dirs = new TempDirs();
after(() => dirs.cleanup());

interface Reading {
  accounts: unknown[];
  code: string[];
  storage: bigint[];
  hasStorage: boolean[];
}

function read(state: Host, gen: RandomWrites): Reading {
  return {
    accounts: gen.addresses.map((a) => state.account(a)),
    code: gen.addresses.map((a) => Buffer.from(state.code(a)).toString("hex")),
    storage: gen.addresses.flatMap((a) => gen.slots.map((s) => state.storage(a, s))),
    hasStorage: gen.addresses.map((a) => state.hasStorage(a)),
  };
}

/** A source over records kept in memory, as the chain's are in LMDB. */
class Records implements HistorySource {
  readonly records: [bigint, Uint8Array][] = [];
  epoch = 0;
  get publishedSeq(): bigint {
    return BigInt(this.records.length);
  }
  *undoFrom(from: bigint): Iterable<[bigint, UndoRecord]> {
    for (const [seq, bytes] of this.records) if (seq >= from) yield [seq, decodeUndo(bytes)];
  }
  canonicalHash(n: bigint): bigint {
    return n;
  }
}

test("random blocks: every past state read back through undo records, and restored by them", async () => {
  for (const seed of [7, 8]) {
    const gen = new RandomWrites(seed, { addresses: 24, accountsPerBlock: 8, slots: 12 });
    const state = LmdbState.open(dirs.make());
    const memory = new MemoryState();
    const source = new Records();
    const readings: Reading[] = [read(memory, gen)];
    const roots: bigint[] = [memory.stateRoot()];
    const BLOCKS = 30;
    // Block k's record has sequence k: the state after block n is undone from record n + 1.
    const early = new HistoricalState(state, source, 0n, 0n, 1n);
    for (let k = 1; k <= BLOCKS; k++) {
      const writes = gen.next();
      const record = undoOf(state, writes);
      // Through a cache of what executing the block read first (as mining does): the same record.
      const reads = new VersionReadCache(1000).over(state, BigInt(k));
      read(reads, gen);
      assert.deepEqual(undoOf(state, writes, reads), record);
      const bytes = encodeUndo(record);
      assert.deepEqual(decodeUndo(bytes), record);
      source.records.push([BigInt(k), bytes]);
      await state.commit(writes);
      memory.applyWrites(writes);
      readings.push(read(memory, gen));
      roots.push(memory.stateRoot());
      // Opened before any block, it keeps showing the genesis state as records arrive.
      if (k % 10 === 0) assert.deepEqual(read(early, gen), readings[0], `seed ${seed}: state 0 after ${k} blocks`);
    }
    for (let n = 0; n < BLOCKS; n++) {
      const past = new HistoricalState(state, source, BigInt(n), BigInt(n), BigInt(n + 1));
      assert.deepEqual(read(past, gen), readings[n], `seed ${seed}: state after block ${n}`);
    }
    // Undo back to block 12 in one commit: the state and its root are block 12's.
    const merged: UndoRecord = new Map();
    for (const [, record] of source.undoFrom(13n)) mergeLater(merged, record);
    await state.commit(undoWrites(merged));
    assert.equal(state.stateRoot(), roots[12]);
    assert.deepEqual(read(state, gen), readings[12]);
    await state.close();
  }
});

test("a historical state refuses reads once a revert dropped its block", () => {
  const memory = new MemoryState();
  const head = Object.assign(memory, {
    storageEntries: (a: bigint) => new Map(memory.storageEntries(a)),
    codeByHash: () => undefined,
  });
  const source = new Records();
  let canonical = 5n;
  source.canonicalHash = () => canonical;
  const past = new HistoricalState(head, source, 3n, 5n, 1n);
  assert.equal(past.account(1n), undefined);
  canonical = 6n;
  source.epoch++;
  assert.throws(() => past.account(1n), /reverted below it/);
});
