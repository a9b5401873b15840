// Seeded random block writes for the state tests, the LMDB crash test's child and the LMDB
// measurement: deletions, re-creations, storage wipes, new code, zeroed slots, and values from 0 to
// 2^256-1. The same seed yields the same sequence of blocks. Not used by the node itself.
import type { AccountWrite, StateWrites } from "../evm/host.js";
import { EMPTY_CODE_HASH, keccak256Word } from "../primitives/keccak.js";

/** A made-up block hash for block `n`, for tests that record block hashes. */
export function blockHashOf(n: bigint): bigint {
  return keccak256Word(new TextEncoder().encode(`block ${n}`));
}

/** mulberry32: a small, fast, seedable PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RandomWritesOptions {
  /** How many distinct addresses blocks draw from. */
  addresses: number;
  /** Accounts written per block. */
  accountsPerBlock: number;
  /** Upper bound on slots written per account write. */
  slotsPerAccount: number;
  /** How many distinct slots accounts draw from. */
  slots: number;
}

const DEFAULTS: RandomWritesOptions = { addresses: 64, accountsPerBlock: 12, slotsPerAccount: 6, slots: 24 };

export class RandomWrites {
  private readonly rand: () => number;
  private readonly options: RandomWritesOptions;
  readonly addresses: bigint[] = [];
  readonly slots: bigint[] = [];
  /** Code hash each address has as of the last block generated (to keep writes consistent). */
  private readonly codeHashes = new Map<bigint, bigint>();

  constructor(seed: number, options: Partial<RandomWritesOptions> = {}) {
    this.rand = prng(seed);
    this.options = { ...DEFAULTS, ...options };
    for (let i = 0; i < this.options.addresses; i++) {
      // Mostly random 160-bit addresses, plus the extremes of the key space.
      if (i === 0) this.addresses.push(0n);
      else if (i === 1) this.addresses.push((1n << 160n) - 1n);
      else this.addresses.push(this.word(20));
    }
    for (let i = 0; i < this.options.slots; i++) {
      if (i === 0) this.slots.push(0n);
      else if (i === 1) this.slots.push((1n << 256n) - 1n);
      else if (i < this.options.slots / 2) this.slots.push(BigInt(i));
      else this.slots.push(this.word(32));
    }
  }

  private int(n: number): number {
    return Math.floor(this.rand() * n);
  }

  private word(bytes: number): bigint {
    let v = 0n;
    for (let i = 0; i < bytes; i++) v = (v << 8n) | BigInt(this.int(256));
    return v;
  }

  /** A value of random byte length (0 to `maxBytes`), so small and full-width values both occur. */
  private value(maxBytes: number): bigint {
    return this.word(this.int(maxBytes + 1));
  }

  /** The next block's net writes. */
  next(): StateWrites {
    const writes: StateWrites = new Map();
    const { accountsPerBlock, slotsPerAccount } = this.options;
    for (let i = 0; i < accountsPerBlock; i++) {
      const address = this.addresses[this.int(this.addresses.length)]!;
      // One net write per address per block, as an executor produces (a second draw would replace
      // the first and could change the code hash without carrying the code).
      if (writes.has(address)) continue;
      if (this.rand() < 0.1) {
        this.codeHashes.delete(address);
        writes.set(address, {
          deleted: true,
          nonce: 0n,
          balance: 0n,
          codeHash: EMPTY_CODE_HASH,
          storageCleared: false,
          storage: new Map(),
        });
        continue;
      }
      const w: AccountWrite = {
        deleted: false,
        nonce: this.value(this.rand() < 0.9 ? 2 : 8),
        balance: this.value(32),
        codeHash: this.codeHashes.get(address) ?? EMPTY_CODE_HASH,
        storageCleared: this.rand() < 0.1,
        storage: new Map(),
      };
      if (this.rand() < 0.15) {
        const code = new Uint8Array(1 + this.int(200));
        for (let b = 0; b < code.length; b++) code[b] = this.int(256);
        w.code = code;
        w.codeHash = keccak256Word(code);
        this.codeHashes.set(address, w.codeHash);
      }
      const n = this.int(slotsPerAccount + 1);
      for (let s = 0; s < n; s++) {
        const slot = this.slots[this.int(this.slots.length)]!;
        w.storage.set(slot, this.rand() < 0.3 ? 0n : this.value(32));
      }
      writes.set(address, w);
    }
    return writes;
  }
}
