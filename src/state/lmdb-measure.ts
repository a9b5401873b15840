// A rough measurement of LmdbState (not a test): random account and slot reads per second, and the
// time to commit a block of 10,000 account writes, through `commit` (async, resolves after the
// flush) and `commitSync`. Run after `npm run build`:
//   node dist/src/state/lmdb-measure.js [ACCOUNTS]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StateWrites } from "../evm/host.js";
import { EMPTY_CODE_HASH } from "../primitives/keccak.js";
import { LmdbState } from "./lmdb-state.js";
import { prng } from "./random-writes.js";

const accounts = Number(process.argv[2] ?? 200_000);
const contracts = Math.floor(accounts / 100);
const slotsPerContract = 100;
const rand = prng(7);
const word = (bytes: number): bigint => {
  let v = 0n;
  for (let i = 0; i < bytes; i++) v = (v << 8n) | BigInt(Math.floor(rand() * 256));
  return v;
};

const dir = mkdtempSync(join(tmpdir(), "weft-lmdb-measure-"));
const state = LmdbState.open(dir);
try {
  const addresses: bigint[] = [];
  for (let i = 0; i < accounts; i++) addresses.push(word(20));
  const slotsOf = (i: number): bigint[] => Array.from({ length: slotsPerContract }, (_, s) => BigInt(i * 1000 + s));

  let t = performance.now();
  for (let start = 0; start < accounts; start += 10_000) {
    const writes: StateWrites = new Map();
    for (let i = start; i < Math.min(accounts, start + 10_000); i++) {
      const storage = new Map<bigint, bigint>();
      if (i < contracts) for (const s of slotsOf(i)) storage.set(s, word(8) + 1n);
      writes.set(addresses[i]!, {
        deleted: false,
        nonce: BigInt(i % 100),
        balance: word(12),
        codeHash: EMPTY_CODE_HASH,
        storageCleared: false,
        storage,
      });
    }
    await state.commit(writes);
  }
  const slots = contracts * slotsPerContract;
  console.log(`populate: ${accounts} accounts, ${slots} slots in ${(performance.now() - t).toFixed(0)} ms`);

  const N = 1_000_000;
  const picks = Array.from({ length: N }, () => addresses[Math.floor(rand() * accounts)]!);
  let sink = 0n;
  t = performance.now();
  for (const a of picks) sink += state.account(a)!.nonce;
  let ms = performance.now() - t;
  console.log(`account(): ${((N / ms) * 1000).toFixed(0)} reads/s (${((ms * 1000) / N).toFixed(2)} µs each)`);

  const slotPicks = Array.from({ length: N }, () => {
    const c = Math.floor(rand() * contracts);
    return [addresses[c]!, BigInt(c * 1000 + Math.floor(rand() * slotsPerContract))] as const;
  });
  t = performance.now();
  for (const [a, s] of slotPicks) sink += state.storage(a, s);
  ms = performance.now() - t;
  console.log(`storage(): ${((N / ms) * 1000).toFixed(0)} reads/s (${((ms * 1000) / N).toFixed(2)} µs each)`);

  const missing = Array.from({ length: N }, () => word(20));
  t = performance.now();
  for (const a of missing) if (state.account(a) !== undefined) sink++;
  ms = performance.now() - t;
  console.log(`account() miss: ${((N / ms) * 1000).toFixed(0)} reads/s`);

  const H = 100_000;
  t = performance.now();
  for (let i = 0; i < H; i++) if (state.hasStorage(picks[i]!)) sink++;
  ms = performance.now() - t;
  console.log(`hasStorage(): ${((H / ms) * 1000).toFixed(0)} calls/s`);

  const block = (): StateWrites => {
    const writes: StateWrites = new Map();
    for (let i = 0; i < 10_000; i++) {
      // Half updates of existing accounts, half new ones.
      const a = i % 2 === 0 ? addresses[Math.floor(rand() * accounts)]! : word(20);
      writes.set(a, {
        deleted: false,
        nonce: 1n,
        balance: word(10),
        codeHash: EMPTY_CODE_HASH,
        storageCleared: false,
        storage: new Map(),
      });
    }
    return writes;
  };
  const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  // Interleaved, so drift in the machine's load hits both alike.
  const runs = [
    ["commit (async, flushed)", (w: StateWrites) => state.commit(w)],
    ["commitSync", (w: StateWrites) => state.commitSync(w)],
  ] as const;
  const times: number[][] = runs.map(() => []);
  for (let r = 0; r < 15; r++) {
    for (let k = 0; k < runs.length; k++) {
      const w = block();
      t = performance.now();
      await runs[k]![1](w);
      times[k]!.push(performance.now() - t);
    }
  }
  for (let k = 0; k < runs.length; k++) {
    const xs = times[k]!.sort((a, b) => a - b);
    console.log(
      `${runs[k]![0]}, 10,000 account writes: median ${median(xs).toFixed(1)} ms, min ${xs[0]!.toFixed(1)}, max ${xs.at(-1)!.toFixed(1)}`,
    );
  }

  t = performance.now();
  state.stateRoot();
  console.log(
    `stateRoot() over ${accounts + 90_000} accounts, ${slots} slots: ${(performance.now() - t).toFixed(0)} ms`,
  );
  if (sink === -1n) console.log(sink);
} finally {
  await state.close();
  rmSync(dir, { recursive: true, force: true });
}
