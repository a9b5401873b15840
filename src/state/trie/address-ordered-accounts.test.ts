import assert from "node:assert/strict";
import { test } from "node:test";
import type { StateWrites } from "../../evm/host.js";
import { EMPTY_CODE_HASH } from "../../primitives/keccak.js";
import { AddressOrderedAccounts } from "./address-ordered-accounts.js";

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
  for (const [i, address] of added.entries()) accounts.add(address, BigInt(i), address % 1000n, EMPTY_CODE_HASH);
  const batches: StateWrites[] = [];
  accounts.writeInOrder(1000, (writes) => batches.push(writes));
  assert.deepEqual(
    batches.map((b) => b.size),
    [1000, 1000, 1000, 1000, 1000, 50],
  );
  assert.equal(accounts.size, 0, "forgotten once written");
  const written = batches.flatMap((b) => [...b.keys()]);
  assert.deepEqual(
    written,
    [...added].sort((a, b) => (a < b ? -1 : 1)),
  );
  const index = new Map(added.map((a, i) => [a, BigInt(i)]));
  for (const b of batches) for (const [address, w] of b) assert.equal(w.nonce, index.get(address), "fields follow");
});
