import assert from "node:assert/strict";
import { test } from "node:test";
import type { AccountWrite, StateWrites } from "../../evm/host.js";
import { EMPTY_CODE_HASH } from "../../primitives/keccak.js";
import { MemoryState } from "../../state/memory-state.js";
import { createMVBuffers, IntList, type MVCapacity, MVMemory, ReadBlocked, resetMVBuffers } from "./mv-memory.js";
import { VersionedHost } from "./versioned-host.js";

const A = 0xan;
const COINBASE = 0xcbn;
const SMALL: MVCapacity = {
  tableEntries: 1 << 12,
  records: 1 << 10,
  nodes: 1 << 10,
  valueWords: 1 << 14,
  setInts: 1 << 14,
  txs: 16,
};
const NO_READS = new IntList();
const NO_RESULT = new Uint8Array(0);

function write(balance: bigint, storage: [bigint, bigint][] = [], cleared = false): AccountWrite {
  return {
    deleted: false,
    nonce: 1n,
    balance,
    codeHash: EMPTY_CODE_HASH,
    storageCleared: cleared,
    storage: new Map(storage),
  };
}

const one = (address: bigint, w: AccountWrite): StateWrites => new Map([[address, w]]);

function base(): MemoryState {
  const s = new MemoryState();
  s.setAccount(A, {
    nonce: 1n,
    balance: 100n,
    storage: new Map([
      [1n, 11n],
      [2n, 22n],
    ]),
  });
  s.setAccount(COINBASE, { nonce: 0n, balance: 1000n });
  return s;
}

/** A fresh memory for `size` transactions, and a second view of the same buffers (another worker). */
function memory(size: number): { mv: MVMemory; other: MVMemory } {
  const buffers = createMVBuffers(SMALL);
  resetMVBuffers(buffers, size);
  const state = base();
  const mv = new MVMemory(buffers);
  mv.startBlock(state, COINBASE);
  const other = new MVMemory(buffers);
  other.startBlock(state, COINBASE);
  return { mv, other };
}

function host(mv: MVMemory, tx: number): VersionedHost {
  const h = new VersionedHost(mv);
  h.begin(tx);
  return h;
}

const record = (mv: MVMemory, tx: number, inc: number, writes: StateWrites, fee?: bigint, reads = NO_READS): void =>
  mv.record(tx, inc, reads, writes, fee, NO_RESULT, 0);

test("a read sees the highest version below the reader, else the base state, through any worker's view", () => {
  const { mv, other } = memory(5);
  record(mv, 1, 0, one(A, write(7n, [[1n, 5n]])));
  record(other, 3, 0, one(A, write(9n, [[1n, 0n]])));
  assert.equal(host(other, 0).account(A)?.balance, 100n);
  assert.equal(host(other, 1).account(A)?.balance, 100n);
  assert.equal(host(mv, 2).account(A)?.balance, 7n);
  assert.equal(host(mv, 4).account(A)?.balance, 9n);
  assert.equal(host(other, 2).storage(A, 1n), 5n);
  assert.equal(host(mv, 4).storage(A, 1n), 0n, "0 deletes the slot");
  assert.equal(host(mv, 4).storage(A, 2n), 22n);
});

test("full words, small words and addresses wider than 160 bits survive the arena", () => {
  const { mv, other } = memory(3);
  const wide = (1n << 255n) + 12345n;
  const address = (0xc0ffeen << 140n) | 7n;
  record(
    mv,
    0,
    0,
    one(address, {
      ...write(wide, [
        [wide, wide],
        [3n, 2n ** 40n],
      ]),
      nonce: 2n ** 63n,
    }),
  );
  const h = host(other, 1);
  assert.deepStrictEqual(h.account(address), { nonce: 2n ** 63n, balance: wide, codeHash: EMPTY_CODE_HASH });
  assert.equal(h.storage(address, wide), wide);
  assert.equal(h.storage(address, 3n), 2n ** 40n);
  const back = other.writesOf(0).writes.get(address)!;
  assert.equal(back.balance, wide);
  assert.deepStrictEqual(
    [...back.storage],
    [
      [wide, wide],
      [3n, 2n ** 40n],
    ],
  );
});

test("a storage clear zeroes every slot from its transaction on, except slots it wrote itself", () => {
  const { mv } = memory(4);
  record(mv, 1, 0, one(A, write(1n, [[2n, 8n]], true)));
  const h = host(mv, 2);
  assert.equal(h.storage(A, 1n), 0n);
  assert.equal(h.storage(A, 2n), 8n);
  assert.equal(h.hasStorage(A), true);
  assert.equal(host(mv, 1).storage(A, 1n), 11n);
  record(mv, 1, 1, one(A, write(1n, [], true)));
  assert.equal(host(mv, 2).hasStorage(A), false);
  assert.equal(host(mv, 2).storage(A, 2n), 0n, "the slot the old incarnation wrote is gone");
});

test("deferred fees add up at the coinbase, and only a coinbase read depends on them", () => {
  const { mv } = memory(5);
  record(mv, 0, 0, one(A, write(1n)), 3n);
  record(mv, 1, 0, one(COINBASE, write(50n)));
  record(mv, 2, 0, new Map(), 4n);
  record(mv, 3, 0, new Map(), 5n);
  assert.equal(host(mv, 1).account(COINBASE)?.balance, 1003n);
  const h = host(mv, 4);
  assert.equal(h.account(COINBASE)?.balance, 59n);
  assert.equal(h.reads.length, 6, "three versions folded: the two fees and the absolute write below them");
  record(mv, 4, 0, new Map(), undefined, h.reads);
  assert.equal(mv.validateReadSet(4), true);
  record(mv, 2, 1, new Map(), 6n);
  assert.equal(mv.validateReadSet(4), false, "a fee of the chain changed");
  assert.equal(host(mv, 4).account(A)?.balance, 1n);
  assert.equal(mv.writesOf(3).fee, 5n);
  assert.equal(mv.writesOf(3).writes.size, 0);
});

test("an ESTIMATE blocks readers; validation fails on a changed or blocked read", () => {
  const { mv, other } = memory(3);
  record(mv, 0, 0, one(A, write(7n)));
  const reader = host(other, 2);
  assert.equal(reader.account(A)?.balance, 7n);
  record(other, 2, 0, new Map(), undefined, reader.reads);
  assert.equal(mv.validateReadSet(2), true);

  mv.convertWritesToEstimates(0);
  assert.throws(
    () => host(other, 1).account(A),
    (e) => e instanceof ReadBlocked && e.txIndex === 0,
  );
  assert.equal(other.validateReadSet(2), false);

  // Re-executed with the same value: a new incarnation is still a different version.
  record(mv, 0, 1, one(A, write(7n)));
  assert.equal(mv.validateReadSet(2), false);
  assert.equal(host(mv, 2).account(A)?.balance, 7n);
});

test("writes read back as the transaction made them: storage-only, code, deletion", () => {
  const { mv, other } = memory(4);
  const code = new Uint8Array([0x60, 0x00, 0x60, 0x00, 0xf3]);
  const created: AccountWrite = { ...write(0n, [[1n, 2n]], true), codeHash: 0x1234n, code };
  record(
    mv,
    0,
    0,
    new Map([
      [0xbbn, created],
      [A, { ...write(100n, [[1n, 12n]]), storageOnly: true }],
    ]),
  );
  const back = other.writesOf(0).writes;
  assert.deepStrictEqual(back.get(0xbbn), created);
  assert.equal(back.get(A)!.storageOnly, true);
  assert.deepStrictEqual([...back.get(A)!.storage], [[1n, 12n]]);
  assert.deepStrictEqual(other.code(0xbbn, 0x1234n), code);
  record(
    mv,
    1,
    0,
    one(0xbbn, {
      deleted: true,
      nonce: 0n,
      balance: 0n,
      codeHash: EMPTY_CODE_HASH,
      storageCleared: true,
      storage: new Map(),
    }),
  );
  assert.equal(other.writesOf(1).writes.get(0xbbn)!.deleted, true);
  assert.equal(host(other, 2).account(0xbbn), undefined);
  assert.equal(host(other, 2).storage(0xbbn, 1n), 0n);
});

test("forEachWrite: slot writes alone go into the storage map the sink gives; the rest as account writes, fee last", () => {
  const { mv, other } = memory(4);
  record(
    mv,
    0,
    0,
    new Map([
      [
        A,
        {
          ...write(100n, [
            [1n, 12n],
            [2n, 1n << 200n],
          ]),
          storageOnly: true,
        },
      ],
      [0xbbn, write(5n, [[3n, 4n]])],
    ]),
    9n,
  );
  const merged = new Map<bigint, bigint>([[7n, 70n]]);
  const calls: string[] = [];
  other.forEachWrite(0, {
    storageToMerge: (address) => {
      calls.push(`merge ${address}`);
      return address === A ? merged : undefined;
    },
    account: (address, w) => {
      calls.push(`account ${address}`);
      assert.equal(w.balance, 5n);
      assert.deepStrictEqual([...w.storage], [[3n, 4n]]);
    },
    fee: (fee) => calls.push(`fee ${fee}`),
  });
  // 0xbb wrote its fields too: not offered for merging.
  assert.deepStrictEqual(calls, ["merge 10", "account 187", "fee 9"]);
  assert.deepStrictEqual(
    [...merged],
    [
      [7n, 70n],
      [1n, 12n],
      [2n, 1n << 200n],
    ],
  );
});

test("a view reads a base account and its code once per block, and again in the next block", () => {
  const state = base();
  const code = new Uint8Array([0x60, 0x01]);
  state.setAccount(0xc0n, { nonce: 1n, balance: 0n, code });
  const counted = { accounts: 0, codes: 0 };
  const countingBase = Object.create(state) as MemoryState;
  countingBase.account = (address) => {
    counted.accounts++;
    return state.account(address);
  };
  countingBase.code = (address) => {
    counted.codes++;
    return state.code(address);
  };
  const buffers = createMVBuffers(SMALL);
  const mv = new MVMemory(buffers);
  for (let block = 1; block <= 2; block++) {
    resetMVBuffers(buffers, 4);
    mv.startBlock(countingBase, COINBASE);
    for (let tx = 0; tx < 4; tx++) {
      const h = host(mv, tx);
      const info = h.account(0xc0n)!;
      info.balance = 99n; // a caller's change stays its own
      assert.deepStrictEqual(h.code(0xc0n), code);
    }
    assert.equal(host(mv, 0).account(0xc0n)!.balance, 0n);
    assert.deepStrictEqual(counted, { accounts: block, codes: block }, `block ${block}`);
  }
});

test("code written in the block is found by hash once any exists; before that, code comes from the base", () => {
  const { mv, other } = memory(4);
  const code = new Uint8Array([0x60, 0x02, 0xf3]);
  assert.deepStrictEqual(other.code(A, 0x5555n), new Uint8Array(0), "A has no code in the base");
  record(mv, 0, 0, one(0xddn, { ...write(0n), codeHash: 0x5555n, code }));
  assert.deepStrictEqual(other.code(A, 0x5555n), code, "by hash, from the block's code");
  assert.deepStrictEqual(host(other, 1).code(0xddn), code);
});
