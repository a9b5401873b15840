import assert from "node:assert/strict";
import { test } from "node:test";
import type { AccountWrite } from "../evm/host.js";
import { hexToBigint, hexToBytes } from "../primitives/hex.js";
import { EMPTY_CODE_HASH, EMPTY_TRIE_ROOT, keccak256Word } from "../primitives/keccak.js";
import { MemoryState, stateTestBlockHash } from "./memory-state.js";

type JsonAccount = { balance: string; code: string; nonce: string; storage: Record<string, string> };

function fromJson(pre: Record<string, JsonAccount>): MemoryState {
  const state = new MemoryState();
  for (const [address, a] of Object.entries(pre)) {
    const storage = new Map<bigint, bigint>();
    for (const [k, v] of Object.entries(a.storage)) storage.set(hexToBigint(k), hexToBigint(v));
    state.setAccount(hexToBigint(address), {
      nonce: hexToBigint(a.nonce),
      balance: hexToBigint(a.balance),
      code: hexToBytes(a.code),
      storage,
    });
  }
  return state;
}

// Pre-states of two GeneralStateTests whose invalid-transaction cases expect the pre-state root.
const LOW_GAS_LIMIT_PRE = {
  "0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b": {
    balance: "0x0de0b6b3a7640000",
    code: "0x",
    nonce: "0x01",
    storage: {},
  },
  "0xcccccccccccccccccccccccccccccccccccccccc": {
    balance: "0x0de0b6b3a7640000",
    code: "0x600260005500",
    nonce: "0x00",
    storage: { "0x00": "0x60a7" },
  },
};
const EOA_EMPTY_PRE = {
  "0x000000000000000000000000000000000000bad1": { balance: "0x01", code: "0x", nonce: "0x00", storage: {} },
  "0x000000000000000000000000000000000000bad2": { balance: "0x00", code: "0x", nonce: "0x01", storage: {} },
  "0x000000000000000000000000000000000000bad3": { balance: "0x01", code: "0x", nonce: "0x01", storage: {} },
  "0x000000000000000000000000000000000000bad4": {
    balance: "0x0a",
    code: "0x",
    nonce: "0x00",
    storage: { "0xdead": "0xbeef" },
  },
  "0x000000000000000000000000000000000000c0de": {
    balance: "0x00",
    code: "0x32806000558031603155803b603b55803f603f55600181013f61013f5561bad13f61bad15561bad23f61bad25561bad33f61bad35561bad43f61bad45561bad53f61bad55560008080805a94600435905af1505a900360f1555a60008080808061dead5af1505a900360ff5500",
    nonce: "0x01",
    storage: {},
  },
  "0x000000000000000000000000000000000000dead": { balance: "0x2710", code: "0x32ff", nonce: "0x01", storage: {} },
  "0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b": { balance: "0x3b9aca00", code: "0x", nonce: "0x00", storage: {} },
};

test("empty state root", () => {
  assert.equal(new MemoryState().stateRoot(), EMPTY_TRIE_ROOT);
});

test("state roots of fixture pre-states", () => {
  assert.equal(
    fromJson(LOW_GAS_LIMIT_PRE).stateRoot(),
    0xb2b8d1860969ed21cd1eee5c69206176b951fbf820ee6b7f8ad84e8234094a5en,
  );
  assert.equal(
    fromJson(EOA_EMPTY_PRE).stateRoot(),
    0xc601c9ea84c29e00a812de5a2d544aa64473d4a1d2bc4821ea5bd3f16ee3ad98n,
  );
});

test("Host reads", () => {
  const state = fromJson(LOW_GAS_LIMIT_PRE);
  const c = 0xccccccccccccccccccccccccccccccccccccccccn;
  assert.deepEqual(state.account(c), {
    nonce: 0n,
    balance: 10n ** 18n,
    codeHash: keccak256Word(hexToBytes("0x600260005500")),
  });
  assert.equal(state.account(0x1234n), undefined);
  assert.deepEqual(state.code(c), hexToBytes("0x600260005500"));
  assert.equal(state.code(0x1234n).length, 0);
  assert.equal(state.storage(c, 0n), 0x60a7n);
  assert.equal(state.storage(c, 1n), 0n);
  assert.equal(state.hasStorage(c), true);
  assert.equal(state.hasStorage(0xa94f5374fce5edbc8e2a8697c15331677e6ebf0bn), false);
  assert.equal(state.account(0xa94f5374fce5edbc8e2a8697c15331677e6ebf0bn)?.codeHash, EMPTY_CODE_HASH);
});

test("zero-valued slots are not stored", () => {
  const state = new MemoryState();
  state.setAccount(1n, { nonce: 0n, balance: 1n, storage: new Map([[5n, 0n]]) });
  assert.equal(state.hasStorage(1n), false);
  const other = new MemoryState();
  other.setAccount(1n, { nonce: 0n, balance: 1n });
  assert.equal(state.stateRoot(), other.stateRoot());
});

function write(fields: Partial<AccountWrite> & { nonce: bigint; balance: bigint }): AccountWrite {
  return {
    deleted: false,
    codeHash: EMPTY_CODE_HASH,
    storageCleared: false,
    storage: new Map(),
    ...fields,
  };
}

test("applyWrites: updates, creation, slot deletion, storage wipe and account deletion", () => {
  const c = 0xccccccccccccccccccccccccccccccccccccccccn;
  const sender = 0xa94f5374fce5edbc8e2a8697c15331677e6ebf0bn;
  const state = fromJson(LOW_GAS_LIMIT_PRE);
  const code = hexToBytes("0x6001");
  state.applyWrites(
    new Map([
      [sender, write({ nonce: 2n, balance: 5n })],
      [
        c,
        write({
          nonce: 0n,
          balance: 10n ** 18n,
          codeHash: keccak256Word(hexToBytes("0x600260005500")),
          storage: new Map([
            [0n, 0n],
            [7n, 9n],
          ]),
        }),
      ],
      [
        0x42n,
        write({
          nonce: 1n,
          balance: 3n,
          code,
          codeHash: keccak256Word(code),
          storageCleared: true,
          storage: new Map([[1n, 1n]]),
        }),
      ],
    ]),
  );
  const expected = new MemoryState();
  expected.setAccount(sender, { nonce: 2n, balance: 5n });
  expected.setAccount(c, {
    nonce: 0n,
    balance: 10n ** 18n,
    code: hexToBytes("0x600260005500"),
    storage: new Map([[7n, 9n]]),
  });
  expected.setAccount(0x42n, { nonce: 1n, balance: 3n, code, storage: new Map([[1n, 1n]]) });
  assert.equal(state.stateRoot(), expected.stateRoot());
  assert.deepEqual(state.code(0x42n), code);

  // Re-creation wipes the old storage first; deletion removes the account.
  state.applyWrites(
    new Map([
      [c, write({ nonce: 1n, balance: 0n, storageCleared: true, storage: new Map([[8n, 8n]]) })],
      [0x42n, write({ deleted: true, nonce: 0n, balance: 0n })],
    ]),
  );
  expected.setAccount(c, { nonce: 1n, balance: 0n, code: hexToBytes("0x600260005500"), storage: new Map([[8n, 8n]]) });
  expected.deleteAccount(0x42n);
  assert.equal(state.account(0x42n), undefined);
  assert.equal(state.storage(c, 7n), 0n);
  assert.equal(state.storage(c, 8n), 8n);
  // The code was not part of the write, so it stays; the codeHash comes from the write.
  assert.equal(state.account(c)?.codeHash, EMPTY_CODE_HASH);
});

test("applyWrites matches a fresh build (storage root cache invalidated)", () => {
  const state = fromJson(EOA_EMPTY_PRE);
  const bad4 = 0xbad4n;
  state.stateRoot(); // fills the storage-root cache
  state.applyWrites(new Map([[bad4, write({ nonce: 0n, balance: 10n, storage: new Map([[0xdeadn, 1n]]) })]]));
  const fresh = fromJson({
    ...EOA_EMPTY_PRE,
    "0x000000000000000000000000000000000000bad4": {
      balance: "0x0a",
      code: "0x",
      nonce: "0x00",
      storage: { "0xdead": "0x01" },
    },
  });
  assert.equal(state.stateRoot(), fresh.stateRoot());
});

test("clone is independent", () => {
  const state = fromJson(LOW_GAS_LIMIT_PRE);
  const root = state.stateRoot();
  const copy = state.clone();
  assert.equal(copy.stateRoot(), root);
  const c = 0xccccccccccccccccccccccccccccccccccccccccn;
  copy.applyWrites(new Map([[c, write({ nonce: 5n, balance: 1n, storage: new Map([[0n, 1n]]) })]]));
  assert.equal(state.stateRoot(), root);
  assert.equal(state.storage(c, 0n), 0x60a7n);
  assert.equal(copy.storage(c, 0n), 1n);
  assert.notEqual(copy.stateRoot(), root);
});

test("blockHash: state-test rule by default, injectable", () => {
  assert.equal(stateTestBlockHash(0n), keccak256Word(new TextEncoder().encode("0")));
  assert.equal(new MemoryState().blockHash(255n), keccak256Word(new TextEncoder().encode("255")));
  assert.equal(new MemoryState((n) => n * 2n).blockHash(21n), 42n);
  assert.equal(new MemoryState((n) => n * 2n).clone().blockHash(21n), 42n);
});
