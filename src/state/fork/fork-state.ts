// The fork layer under LmdbState: what a read that misses the local tables returns on a forked node.
// The local tables hold what the fork changed (and the accounts it wrote, copied up whole); every
// other account, slot and older block hash is the upstream's at the fork block, fetched once over
// JSON-RPC (upstream-client.ts) and cached in LMDB, so a second read or a restart on the same datadir
// does not ask again. Upstream values at a fixed block never change, so the cache is keyed by the
// fork block's hash and needs no invalidation (a re-fork to another block uses other keys).
//
// Two local tables say where the upstream no longer applies, because "absent locally" alone cannot:
//   fork/detached  address (20)          the account was deleted, or its storage wiped (created or
//                                        re-created on the fork): neither it nor any of its slots
//                                        falls through again
//   fork/zeroed    address (20) ++ slot  the slot was set to 0 on the fork (0 is not stored locally)
// They are written in the same LMDB transaction as the state writes that cause them.
//
// Cache tables (values are the upstream's; keys start with the fork block's hash, 32 bytes):
//   fork/accounts    hash ++ address      -> rlp([nonce, balance, code]), or empty: absent upstream
//   fork/storage     hash ++ address ++ slot -> minimal big-endian value (empty: 0)
//   fork/blockhashes hash ++ number (8)   -> block hash (32)
// Cache entries are written with lmdb's asynchronous put (never a synchronous write transaction,
// which could wait on a block commit in flight) and kept in memory until then.
import type { Database } from "lmdb";
import type { AccountInfo } from "../../evm/host.js";
import { bigintToBytes, bigintToMinimalBytes, bytesToBigint, hexToBytes } from "../../primitives/hex.js";
import { EMPTY_CODE_HASH, keccak256Word } from "../../primitives/keccak.js";
import { rlpDecode, rlpEncode } from "../../primitives/rlp.js";
import { type UpstreamClient, UpstreamError } from "./upstream-client.js";

/** Where a fork reads from: the upstream and the block its state is taken at. */
export interface ForkPoint {
  client: UpstreamClient;
  blockNumber: bigint;
  /** The upstream's hash of `blockNumber` (it scopes the cache). */
  blockHash: bigint;
}

/** An upstream account with its code. */
export interface UpstreamAccount extends AccountInfo {
  code: Uint8Array;
}

type Bin = Database<Uint8Array, Uint8Array>;

/** The sub-databases of the fork layer, opened by LmdbState in its environment. */
export interface ForkTables {
  accounts: Bin;
  storage: Bin;
  blockHashes: Bin;
  detached: Bin;
  zeroed: Bin;
}

/** The names LmdbState opens ForkTables under. */
export const FORK_TABLE_NAMES: Record<keyof ForkTables, string> = {
  accounts: "fork/accounts",
  storage: "fork/storage",
  blockHashes: "fork/blockhashes",
  detached: "fork/detached",
  zeroed: "fork/zeroed",
};

/** Entries kept in memory before the oldest are dropped (they are in LMDB by then, or refetched). */
const MEMORY_LIMIT = 65_536;
const MARK = new Uint8Array(0);

export class ForkState {
  readonly point: ForkPoint;
  private readonly scope: Buffer;
  private readonly tag: string;
  private readonly accountCache = new Map<bigint, UpstreamAccount | null>();
  private readonly storageCache = new Map<bigint, bigint>();
  private readonly blockHashCache = new Map<bigint, bigint>();

  constructor(
    point: ForkPoint,
    private readonly tables: ForkTables,
    /** False in a read-only environment: answers are cached in memory only. */
    private readonly writable: boolean,
  ) {
    this.point = point;
    this.scope = Buffer.from(bigintToBytes(point.blockHash, 32));
    this.tag = `0x${point.blockNumber.toString(16)}`;
  }

  // ---- reads of what the local tables do not hold ----

  /** The account as the fork sees it where the local table has none. */
  account(address: bigint): UpstreamAccount | undefined {
    if (this.isDetached(address)) return undefined;
    return this.upstreamAccount(address);
  }

  /** A slot the local table does not hold. */
  storage(address: bigint, slot: bigint): bigint {
    if (this.tables.zeroed.doesExist(storageKey(address, slot)) || this.isDetached(address)) return 0n;
    return this.upstreamStorage(address, slot);
  }

  /**
   * Whether the upstream may hold storage of `address` (it has code there and the fork did not wipe
   * it). An approximation: the upstream's slots are never listed, and only contracts hold storage.
   */
  mayHaveStorage(address: bigint): boolean {
    if (this.isDetached(address)) return false;
    return (this.upstreamAccount(address)?.codeHash ?? EMPTY_CODE_HASH) !== EMPTY_CODE_HASH;
  }

  /** The hash of a block below the fork block (0n for one at or above it: those are local). */
  blockHash(number: bigint): bigint {
    if (number < 0n || number >= this.point.blockNumber) return 0n;
    let hash = this.blockHashCache.get(number);
    if (hash !== undefined) return hash;
    const key = Buffer.concat([this.scope, bigintToBytes(number, 8)]);
    const raw = this.tables.blockHashes.getBinary(key);
    if (raw !== undefined) hash = bytesToBigint(raw);
    else {
      const block = this.point.client.call("eth_getBlockByNumber", [`0x${number.toString(16)}`, false]);
      hash = block === null ? 0n : bytesToBigint(hexToBytes(this.text(block, "hash", "eth_getBlockByNumber")));
      this.cache(this.blockHashCache, number, hash, this.tables.blockHashes, key, bigintToBytes(hash, 32));
    }
    return hash;
  }

  // ---- the overlay's own marks (inside LmdbState's write transaction) ----

  /** The fork deleted `address` or wiped its storage: the upstream no longer answers for it. */
  markDetached(address: bigint): void {
    this.tables.detached.putSync(Buffer.from(bigintToBytes(address, 20)), MARK);
  }

  /** The fork set the slot to 0. */
  markZeroed(address: bigint, slot: bigint): void {
    this.tables.zeroed.putSync(storageKey(address, slot), MARK);
  }

  /** Forgets every mark (a re-fork starts from the upstream again); the cache stays (it is keyed by block). */
  clearMarks(): void {
    for (const db of [this.tables.detached, this.tables.zeroed]) {
      const keys = Array.from(db.getKeys({}));
      for (const k of keys) db.removeSync(k);
    }
  }

  // ---- the upstream, through the cache ----

  /** The upstream's account at the fork block (undefined where it has none), cached. */
  upstreamAccount(address: bigint): UpstreamAccount | undefined {
    const cached = this.accountCache.get(address);
    if (cached !== undefined) return cached ?? undefined;
    const key = Buffer.concat([this.scope, bigintToBytes(address, 20)]);
    const raw = this.tables.accounts.getBinary(key);
    let account: UpstreamAccount | null;
    if (raw !== undefined) {
      account = decodeAccount(raw);
      remember(this.accountCache, address, account);
    } else {
      account = this.fetchAccount(address);
      this.cache(this.accountCache, address, account, this.tables.accounts, key, encodeAccount(account));
    }
    return account ?? undefined;
  }

  /** The upstream's slot at the fork block, cached. */
  upstreamStorage(address: bigint, slot: bigint): bigint {
    const id = (address << 256n) | slot;
    let value = this.storageCache.get(id);
    if (value !== undefined) return value;
    const key = Buffer.concat([this.scope, storageKey(address, slot)]);
    const raw = this.tables.storage.getBinary(key);
    if (raw !== undefined) {
      value = bytesToBigint(raw);
      remember(this.storageCache, id, value);
      return value;
    }
    const word = this.point.client.call("eth_getStorageAt", [
      `0x${address.toString(16).padStart(40, "0")}`,
      `0x${slot.toString(16).padStart(64, "0")}`,
      this.tag,
    ]);
    value = this.quantity(word, "eth_getStorageAt");
    this.cache(this.storageCache, id, value, this.tables.storage, key, bigintToMinimalBytes(value));
    return value;
  }

  /** Balance, nonce and code in one round trip (a JSON-RPC batch). An empty account is no account (EIP-161). */
  private fetchAccount(address: bigint): UpstreamAccount | null {
    const a = `0x${address.toString(16).padStart(40, "0")}`;
    const [balance, nonce, code] = this.point.client.batch([
      { method: "eth_getBalance", params: [a, this.tag] },
      { method: "eth_getTransactionCount", params: [a, this.tag] },
      { method: "eth_getCode", params: [a, this.tag] },
    ]);
    const account = accountOf(
      this.quantity(nonce, "eth_getTransactionCount"),
      this.quantity(balance, "eth_getBalance"),
      hexToBytes(this.hex(code, "eth_getCode")),
    );
    return account.nonce === 0n && account.balance === 0n && account.code.length === 0 ? null : account;
  }

  private isDetached(address: bigint): boolean {
    return this.tables.detached.doesExist(Buffer.from(bigintToBytes(address, 20)));
  }

  /** Keeps a fetched answer in memory and, where writable, in LMDB (asynchronously). */
  private cache<K, V>(memory: Map<K, V>, id: K, value: V, db: Bin, key: Buffer, bytes: Uint8Array): void {
    remember(memory, id, value);
    if (this.writable) void db.put(key, bytes).catch(() => undefined); // a lost cache entry is refetched
  }

  private hex(value: unknown, method: string): string {
    if (typeof value !== "string" || !/^0x[0-9a-fA-F]*$/.test(value)) {
      throw new UpstreamError(this.point.client.url, `${method}: expected hex, got ${JSON.stringify(value)}`);
    }
    return value;
  }

  private quantity(value: unknown, method: string): bigint {
    const h = this.hex(value, method);
    return h === "0x" ? 0n : BigInt(h);
  }

  private text(object: unknown, field: string, method: string): string {
    const v = (object as Record<string, unknown> | null)?.[field];
    return this.hex(v, `${method} ${field}`);
  }
}

function remember<K, V>(memory: Map<K, V>, key: K, value: V): void {
  if (memory.size >= MEMORY_LIMIT) memory.clear();
  memory.set(key, value);
}

function storageKey(address: bigint, slot: bigint): Buffer {
  return Buffer.concat([bigintToBytes(address, 20), bigintToBytes(slot, 32)]);
}

function accountOf(nonce: bigint, balance: bigint, code: Uint8Array): UpstreamAccount {
  return { nonce, balance, code, codeHash: code.length === 0 ? EMPTY_CODE_HASH : keccak256Word(code) };
}

function encodeAccount(account: UpstreamAccount | null): Uint8Array {
  if (account === null) return new Uint8Array(0);
  return rlpEncode([bigintToMinimalBytes(account.nonce), bigintToMinimalBytes(account.balance), account.code]);
}

function decodeAccount(raw: Uint8Array): UpstreamAccount | null {
  if (raw.length === 0) return null;
  const [nonce, balance, code] = rlpDecode(Uint8Array.from(raw)) as Uint8Array[];
  return accountOf(bytesToBigint(nonce!), bytesToBigint(balance!), Uint8Array.from(code!));
}
