// The overlay must answer every read exactly as a MemoryState that applied the same writes one
// transaction at a time, and its merged writes must take the base state to the same root.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type AccountWrite, deletedAccountWrite, type StateWrites } from "../../evm/host.js";
import { EMPTY_CODE_HASH, keccak256Word } from "../../primitives/keccak.js";
import { MemoryState } from "../../state/memory-state.js";
import { BlockOverlay } from "./overlay.js";
import { type Prng, prng } from "./prng.js";

const ADDRESSES = [1n, 2n, 3n, 4n, 5n].map((i) => 0xaa00n + i);
const SLOTS = [0n, 1n, 2n, 3n];

/** A write the journal could produce against `state`'s current view of `address`. */
function randomWrite(r: Prng, state: MemoryState, address: bigint): AccountWrite | undefined {
  const info = state.account(address);
  const kind = r.int(4);
  if (kind === 0) {
    if (info === undefined) return undefined;
    return deletedAccountWrite();
  }
  if (kind === 1) {
    // Created (or re-created): new code, storage wiped, then some non-zero slots.
    const code = new Uint8Array([0x60, r.int(256), 0x00]);
    const storage = new Map<bigint, bigint>();
    for (const slot of SLOTS) if (r.chance(0.4)) storage.set(slot, BigInt(1 + r.int(9)));
    return {
      deleted: false,
      nonce: 1n,
      balance: BigInt(r.int(5)),
      codeHash: keccak256Word(code),
      code,
      storageCleared: true,
      storage,
    };
  }
  // Balance, nonce and slot changes; a 0 deletes the slot. Only code writes its own storage.
  const storage = new Map<bigint, bigint>();
  if (info !== undefined && info.codeHash !== EMPTY_CODE_HASH)
    for (const slot of SLOTS) if (r.chance(0.4)) storage.set(slot, BigInt(r.int(3)));
  return {
    deleted: false,
    nonce: (info?.nonce ?? 0n) + BigInt(r.int(2)),
    balance: BigInt(1 + r.int(100)),
    codeHash: info?.codeHash ?? EMPTY_CODE_HASH,
    storageCleared: false,
    storage,
  };
}

function initialState(r: Prng): MemoryState {
  const state = new MemoryState();
  for (const address of ADDRESSES) {
    if (r.chance(0.3)) continue;
    const storage = new Map<bigint, bigint>();
    for (const slot of SLOTS) if (r.chance(0.5)) storage.set(slot, BigInt(1 + r.int(9)));
    const code = r.chance(0.5) ? new Uint8Array([0x5f, r.int(256)]) : undefined;
    state.setAccount(address, { nonce: BigInt(r.int(3)), balance: BigInt(r.int(3)), code, storage });
  }
  return state;
}

test("overlay reads and merged writes match applying each transaction's writes in turn", () => {
  for (let seed = 1; seed <= 300; seed++) {
    const r = prng(seed);
    const base = initialState(r);
    const stepwise = base.clone();
    const overlay = new BlockOverlay(base);
    try {
      for (let step = 0; step < 12; step++) {
        const writes: StateWrites = new Map();
        for (const address of ADDRESSES) {
          if (!r.chance(0.4)) continue;
          const w = randomWrite(r, stepwise, address);
          if (w !== undefined) writes.set(address, w);
        }
        stepwise.applyWrites(writes);
        overlay.apply(writes);
        for (const address of ADDRESSES) {
          assert.deepStrictEqual(overlay.account(address), stepwise.account(address), "account");
          assert.deepStrictEqual(overlay.code(address), stepwise.code(address), "code");
          // The EVM asks only about accounts without code (creation collides on code first); for
          // an account with code the overlay cannot know whether every base slot was zeroed.
          if ((stepwise.account(address)?.codeHash ?? EMPTY_CODE_HASH) === EMPTY_CODE_HASH) {
            assert.equal(overlay.hasStorage(address), stepwise.hasStorage(address), "hasStorage");
          }
          for (const slot of SLOTS)
            assert.equal(overlay.storage(address, slot), stepwise.storage(address, slot), "slot");
        }
      }
      const merged = base.clone();
      merged.applyWrites(overlay.writes);
      assert.equal(merged.stateRoot(), stepwise.stateRoot());
      for (const address of ADDRESSES) assert.deepStrictEqual(merged.code(address), stepwise.code(address));
    } catch (error) {
      throw new Error(`seed ${seed}: ${(error as Error).message}`, { cause: error });
    }
  }
});

test("a coinbase credit is the write processTransaction makes: created, or balance added", () => {
  const base = new MemoryState();
  const overlay = new BlockOverlay(base);
  overlay.creditCoinbase(0xcbn, 0n);
  assert.equal(overlay.writes.size, 0, "a zero fee changes nothing");
  overlay.creditCoinbase(0xcbn, 5n);
  overlay.creditCoinbase(0xcbn, 7n);
  assert.deepStrictEqual(overlay.writes.get(0xcbn), {
    deleted: false,
    nonce: 0n,
    balance: 12n,
    codeHash: EMPTY_CODE_HASH,
    storageCleared: false,
    storage: new Map(),
  });
});
