// LmdbState's seams for other layers: extra sub-databases written in the commit's own transaction,
// reads (and the state root) inside it, all-or-nothing on a throw, and whole-state reads.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { AccountWrite, StateWrites } from "../evm/host.js";
import { EMPTY_CODE_HASH, keccak256Word } from "../primitives/keccak.js";
import { LmdbState } from "./lmdb-state.js";
import { MemoryState } from "./memory-state.js";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "weft-lmdb-txn-"));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function write(init: Partial<AccountWrite>): AccountWrite {
  return {
    deleted: false,
    nonce: 0n,
    balance: 0n,
    codeHash: init.code ? keccak256Word(init.code) : EMPTY_CODE_HASH,
    storageCleared: false,
    storage: new Map(),
    ...init,
  };
}

const A = 0xaan;
const B = 0xbbn;
const KEY = Buffer.from("k");

test("inTransaction: sees the writes (state root included), commits its own tables with them", async () => {
  const path = tempDir();
  const state = LmdbState.open(path);
  const extra = state.database("extra");
  const writes: StateWrites = new Map([[A, write({ balance: 5n, storage: new Map([[1n, 2n]]) })]]);
  const memory = new MemoryState();
  memory.applyWrites(writes);
  let inside: bigint | undefined;
  await state.commit(writes, { number: 9n }, () => {
    assert.equal(state.account(A)?.balance, 5n);
    inside = state.stateRoot();
    extra.putSync(KEY, Buffer.from([1]));
    return { number: 1n, hash: 0x1234n, stateRoot: inside };
  });
  assert.equal(inside, memory.stateRoot());
  assert.deepEqual(state.head(), { number: 1n, stateRoot: inside });
  assert.equal(state.storedBlockHash(1n), 0x1234n);
  assert.deepEqual([...extra.getBinary(KEY)!], [1]);
  await state.close();
  const reopened = LmdbState.open(path);
  assert.deepEqual([...reopened.database("extra").getBinary(KEY)!], [1]);
  await reopened.close();
});

test("a throw inside the commit writes nothing of it", async () => {
  const state = LmdbState.open(tempDir());
  const extra = state.database("extra");
  await state.commit(new Map([[A, write({ balance: 1n })]]), { number: 1n });
  const fail = () => {
    extra.putSync(KEY, Buffer.from([2]));
    throw new Error("boom");
  };
  const writes: StateWrites = new Map([
    [A, write({ balance: 2n })],
    [B, write({ nonce: 1n })],
  ]);
  await assert.rejects(state.commit(writes, { number: 2n }, fail), /boom/);
  assert.throws(() => state.commitSync(writes, { number: 2n }, fail), /boom/);
  // A write that cannot be encoded fails the same way, after earlier writes of the block.
  const bad: StateWrites = new Map([
    [B, write({ nonce: 1n })],
    [1n << 160n, write({ nonce: 1n })], // no such address
  ]);
  await assert.rejects(state.commit(bad, { number: 2n }), RangeError);
  assert.equal(state.account(A)?.balance, 1n);
  assert.equal(state.account(B), undefined);
  assert.equal(extra.getBinary(KEY), undefined);
  assert.equal(state.head()?.number, 1n);
  await state.close();
});

test("addresses, storageEntries and codeByHash read the whole state", async () => {
  const state = LmdbState.open(tempDir());
  const code = new Uint8Array([0x60, 0x00]);
  await state.commit(
    new Map([
      [
        B,
        write({
          code,
          storage: new Map([
            [3n, 4n],
            [(1n << 256n) - 1n, 1n],
          ]),
        }),
      ],
      [A, write({ nonce: 1n })],
    ]),
  );
  assert.deepEqual([...state.addresses()], [A, B]);
  assert.deepEqual(
    state.storageEntries(B),
    new Map([
      [3n, 4n],
      [(1n << 256n) - 1n, 1n],
    ]),
  );
  assert.deepEqual(state.storageEntries(A), new Map());
  assert.deepEqual([...state.codeByHash(keccak256Word(code))!], [...code]);
  assert.equal(state.codeByHash(EMPTY_CODE_HASH)?.length, 0);
  assert.equal(state.codeByHash(123n), undefined);
  await state.close();
});
