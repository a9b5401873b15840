// The accounts, slots and code read at one state version, kept across the requests that read it. A call
// worker answers eth_call after eth_call against the same head, and each would otherwise read the same
// accounts, slots and code from LMDB again: a read through lmdb-js costs about a microsecond, and one
// ERC-3643 transfer reads some sixty slots. The entries hold while the store's state version (which
// every commit that writes state advances, dev edits and rewinds included) is the one they were read
// at; a new version empties the cache, and so does reaching its size.
import type { AccountInfo, Host } from "../evm/host.js";

const NO_BASE: Host = {
  account: () => undefined,
  code: () => new Uint8Array(0),
  storage: () => 0n,
  hasStorage: () => false,
  blockHash: () => 0n,
};

export interface ReadCacheStats {
  /** Accounts, slots and codes held. */
  entries: number;
  hits: number;
  misses: number;
}

export class VersionReadCache implements Host {
  private base: Host = NO_BASE;
  private version = -1n;
  private readonly accounts = new Map<bigint, AccountInfo | null>();
  private readonly slots = new Map<bigint, Map<bigint, bigint>>();
  /** Code by address: a block's transactions that call one contract read its code once, not its account record again per call. */
  private readonly codes = new Map<bigint, Uint8Array>();
  private entries = 0;
  private hits = 0;
  private misses = 0;

  /** @param maxEntries accounts and slots held at most (0: none, every read goes to the base). */
  constructor(private readonly maxEntries: number) {}

  /**
   * This cache as a Host over `base`, whose state is at `version`: what it holds from another version
   * is dropped first. The previous base is not read again.
   */
  over(base: Host, version: bigint): Host {
    if (version !== this.version) {
      this.clear();
      this.version = version;
    }
    this.base = base;
    return this;
  }

  account(address: bigint): AccountInfo | undefined {
    const cached = this.accounts.get(address);
    if (cached !== undefined) {
      this.hits++;
      return cached ?? undefined;
    }
    this.misses++;
    const info = this.base.account(address);
    if (this.room()) this.accounts.set(address, info ?? null);
    return info;
  }

  storage(address: bigint, slot: bigint): bigint {
    const cached = this.slots.get(address)?.get(slot);
    if (cached !== undefined) {
      this.hits++;
      return cached;
    }
    this.misses++;
    const value = this.base.storage(address, slot);
    if (this.room()) {
      // Looked up after room(), which may have emptied the cache.
      let slots = this.slots.get(address);
      if (slots === undefined) {
        slots = new Map();
        this.slots.set(address, slots);
      }
      slots.set(slot, value);
    }
    return value;
  }

  code(address: bigint): Uint8Array {
    const cached = this.codes.get(address);
    if (cached !== undefined) {
      this.hits++;
      return cached;
    }
    this.misses++;
    const code = this.base.code(address);
    if (this.room()) this.codes.set(address, code);
    return code;
  }

  hasStorage(address: bigint): boolean {
    return this.base.hasStorage(address);
  }

  blockHash(number: bigint): bigint {
    return this.base.blockHash(number);
  }

  stats(): ReadCacheStats {
    return { entries: this.entries, hits: this.hits, misses: this.misses };
  }

  /** Takes room for one entry: false where the cache holds none; at its size, it starts over. */
  private room(): boolean {
    if (this.maxEntries === 0) return false;
    if (this.entries >= this.maxEntries) this.clear();
    this.entries++;
    return true;
  }

  private clear(): void {
    this.accounts.clear();
    this.slots.clear();
    this.codes.clear();
    this.entries = 0;
  }
}
