// LmdbState.commitBatched: the same state as commit, written by lmdb-js's write thread in one batch.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { StateWrites } from "../evm/host.js";
import { EMPTY_CODE_HASH } from "../primitives/keccak.js";
import { LmdbState } from "./lmdb-state.js";
import { MemoryState } from "./memory-state.js";
import { RandomWrites } from "./random-writes.js";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "weft-lmdb-batched-"));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const key = (n: number) => Buffer.from([n]);

test("commitBatched: random blocks give the state commit gives, with its meta and its own records, across a reopen", async () => {
  const gen = new RandomWrites(7);
  const memory = new MemoryState();
  const path = tempDir();
  let state = LmdbState.open(path);
  let records = state.database("test/records");
  for (let block = 1; block <= 30; block++) {
    const writes = gen.next();
    memory.applyWrites(writes);
    const before = state.stateVersion();
    let versionSeen = -1n;
    await state.commitBatched(writes, undefined, () => {
      // The version this commit records, though LMDB still holds the previous one.
      versionSeen = state.stateVersion();
      state.put(records, key(block), Buffer.from(`block ${block}`));
      if (block > 1) state.remove(records, key(block - 1));
      return { number: BigInt(block), hash: BigInt(block) * 1000n };
    });
    assert.equal(versionSeen, writes.size > 0 ? before + 1n : before, `block ${block}: stateVersion while staged`);
    assert.equal(state.stateVersion(), versionSeen);
    assert.equal(state.stateRoot(), memory.stateRoot(), `block ${block}`);
    for (const a of gen.addresses) {
      assert.deepEqual(state.account(a), memory.account(a));
      for (const s of gen.slots) assert.equal(state.storage(a, s), memory.storage(a, s));
    }
    assert.equal(state.head()?.number, BigInt(block));
    assert.equal(state.storedBlockHash(BigInt(block)), BigInt(block) * 1000n);
    assert.equal(Buffer.from(records.getBinary(key(block))!).toString(), `block ${block}`);
    assert.equal(records.getBinary(key(block - 1)), undefined, "removed in the same batch");
    if (block % 10 === 0) {
      await state.close();
      state = LmdbState.open(path);
      records = state.database("test/records");
      assert.equal(state.stateRoot(), memory.stateRoot(), `block ${block}, reopened`);
    }
  }
  await state.close();
});

test("commitBatched: a throw while staging writes nothing, and the next commit goes through", async () => {
  const gen = new RandomWrites(8);
  const state = LmdbState.open(tempDir());
  const first = gen.next();
  await state.commitBatched(first, { number: 1n });
  const root = state.stateRoot();
  const version = state.stateVersion();
  const records = state.database("test/records");
  await assert.rejects(
    state.commitBatched(gen.next(), { number: 2n }, () => {
      state.put(records, key(1), Buffer.from("half"));
      throw new Error("staging failed");
    }),
    /staging failed/,
  );
  assert.equal(state.stateRoot(), root);
  assert.equal(state.stateVersion(), version, "nor does stateVersion keep the staged one");
  assert.equal(state.head()?.number, 1n);
  assert.equal(records.getBinary(key(1)), undefined);
  // Outside a commit, put writes at once.
  state.put(records, key(2), Buffer.from("direct"));
  assert.equal(Buffer.from(records.getBinary(key(2))!).toString(), "direct");
  await state.commitBatched(gen.next(), { number: 2n });
  assert.equal(state.head()?.number, 2n);
  await state.close();
});

test("commitBatched in slices: the state writes staged a step at a time, nothing staged while paused, the same state", async () => {
  const gen = new RandomWrites(11);
  const memory = new MemoryState();
  const state = LmdbState.open(tempDir());
  const records = state.database("test/records");
  let pauses = 0;
  for (let block = 1; block <= 10; block++) {
    // Random writes and 200 more accounts: more than one step a block.
    const writes: StateWrites = new Map(gen.next());
    for (let i = 0; i < 200; i++) {
      writes.set(0xb10c0000n + BigInt(block * 1000 + i), {
        deleted: false,
        nonce: 1n,
        balance: BigInt(i + 1),
        codeHash: EMPTY_CODE_HASH,
        storageCleared: false,
        storage: new Map([[BigInt(i), BigInt(block)]]),
      });
    }
    memory.applyWrites(writes);
    let strayDuringPause = false;
    const slices = {
      ms: 0,
      pause: async () => {
        pauses++;
        // A put while paused is not this commit's: it writes through at once, as outside any commit.
        const own = Buffer.from(`pause ${pauses}`);
        state.put(records, own, own);
        strayDuringPause = records.getBinary(own) !== undefined;
        await new Promise<void>((resolve) => setImmediate(resolve));
      },
    };
    await state.commitBatched(writes, { number: BigInt(block) }, undefined, { slices });
    assert.ok(strayDuringPause, `block ${block}: a put while paused wrote through`);
    assert.equal(state.stateRoot(), memory.stateRoot(), `block ${block}`);
    assert.equal(state.head()?.number, BigInt(block));
  }
  assert.ok(pauses >= 10, `${pauses} pauses`);
  await state.close();
});

test("stageBatched ahead of commitBatched: the same state, storage clears (which read the keys they remove) included", async () => {
  const gen = new RandomWrites(13);
  const memory = new MemoryState();
  const state = LmdbState.open(tempDir());
  let clears = 0;
  for (let block = 1; block <= 30; block++) {
    const writes = gen.next();
    for (const w of writes.values()) if (w.storageCleared || w.deleted) clears++;
    memory.applyWrites(writes);
    const staged = await state.stageBatched(writes);
    assert.ok(staged !== undefined);
    await state.commitBatched(writes, { number: BigInt(block) }, undefined, { staged });
    assert.equal(state.stateRoot(), memory.stateRoot(), `block ${block}`);
    assert.equal(state.head()?.number, BigInt(block));
  }
  assert.ok(clears > 0, "some blocks clear or delete a storage");
  await state.close();
});
