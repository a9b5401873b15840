// Proofs checked by an independent walker (proof-verify.ts) against MemoryState's roots: present and
// absent accounts and slots, tiny and larger tries (inlined and hashed nodes).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bigintToBytes, bigintToMinimalBytes, equalBytes } from "../primitives/hex.js";
import { EMPTY_TRIE_ROOT, keccak256 } from "../primitives/keccak.js";
import { rlpDecode } from "../primitives/rlp.js";
import { MemoryState } from "./memory-state.js";
import { accountLeaf, proveAccount, trieProof } from "./proof.js";
import { verifyProof } from "./proof-verify.js";

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s;
  };
}

function stateWith(accounts: number, seed: number): MemoryState {
  const next = rng(seed);
  const state = new MemoryState();
  for (let i = 0; i < accounts; i++) {
    const storage = new Map<bigint, bigint>();
    const slots = next() % 5;
    for (let j = 0; j < slots; j++) storage.set(BigInt(next() % 7), BigInt(next()));
    const code = i % 3 === 0 ? new Uint8Array([0x60, 0x00, i & 0xff]) : undefined;
    state.setAccount(BigInt(next()) * 7919n + BigInt(i), { nonce: BigInt(i), balance: BigInt(next()), code, storage });
  }
  return state;
}

function checkAccount(state: MemoryState, address: bigint, slots: bigint[]): void {
  const root = state.stateRoot();
  const p = proveAccount(state, address, slots);
  const leaf = verifyProof(root, keccak256(bigintToBytes(address, 20)), p.accountProof);
  const info = state.account(address);
  if (info === undefined) {
    assert.equal(leaf, undefined);
    assert.equal(p.storageHash, EMPTY_TRIE_ROOT);
    return;
  }
  assert.equal(p.storageHash, state.storageRoot(address));
  assert.ok(leaf !== undefined && equalBytes(leaf, accountLeaf(info, bigintToBytes(p.storageHash, 32))));
  for (const s of p.storageProof) {
    const value = verifyProof(p.storageHash, keccak256(bigintToBytes(s.key, 32)), s.proof);
    assert.equal(s.value, state.storage(address, s.key));
    if (s.value === 0n) assert.equal(value, undefined);
    else assert.ok(value !== undefined && equalBytes(rlpDecode(value) as Uint8Array, bigintToMinimalBytes(s.value)));
  }
}

describe("state proofs (EIP-1186)", () => {
  it("prove present and absent accounts and slots in tries of several sizes", () => {
    for (const [n, seed] of [
      [1, 1],
      [2, 2],
      [5, 3],
      [40, 4],
      [300, 5],
    ] as const) {
      const state = stateWith(n, seed);
      const addresses = [...state.addresses()];
      for (const a of addresses.slice(0, 6)) checkAccount(state, a, [0n, 1n, 2n, 3n, 6n, 99n]);
      checkAccount(state, 0xdeadn, [0n]);
      checkAccount(state, addresses[0]! + 1n, []);
    }
  });

  it("a tampered proof or a wrong root is refused", () => {
    const state = stateWith(40, 9);
    const address = [...state.addresses()][3]!;
    const key = keccak256(bigintToBytes(address, 20));
    const p = proveAccount(state, address, []);
    assert.throws(() => verifyProof(state.stateRoot() + 1n, key, p.accountProof), /does not hash/);
    const tampered = p.accountProof.map((n) => n.slice());
    tampered[tampered.length - 1]![5]! ^= 1;
    assert.throws(() => verifyProof(state.stateRoot(), key, tampered), /does not hash/);
    assert.throws(() => verifyProof(state.stateRoot(), key, p.accountProof.slice(0, 1)), /ends before/);
  });

  it("the empty trie's proof is its root node", () => {
    const state = new MemoryState();
    checkAccount(state, 1n, [0n]);
    assert.deepEqual(trieProof([], new Uint8Array([1])), [new Uint8Array([0x80])]);
  });
});
