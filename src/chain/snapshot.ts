// Snapshots (evm_snapshot / evm_revert) and state dumps (anvil_dumpState / anvil_loadState, and the
// node's --state / --dump-state / --load-state files).
//
// A snapshot is a point in the chain's sequence of undo records (history.ts) and the head block at
// that point; ids are one-shot, as in anvil and hardhat: reverting to one removes it and every later
// one. Snapshots live in memory only (as anvil's); what a revert does is durable.
//
// The dump is anvil's JSON (SerializableState): { block, accounts: { "0xaddr": { nonce, balance,
// code, storage: { "0xslot": "0xvalue" } } }, best_block_number, blocks, transactions,
// historical_states }. anvil_dumpState sends it gzip-compressed as hex (encodeStateDump); a state
// file holds the JSON as it is. anvil's loader needs `block` (the head's environment, with
// `blob_excess_gas_and_price.blob_gasprice`), `best_block_number` and, in `blocks`, the block of
// that number (it looks its hash up there): Weft writes the head block's header there, so anvil
// continues Weft's chain at its number with its head as parent. Earlier blocks and transactions
// are not carried. A load sets every account it names (balance, nonce, code, the slots given) and
// ignores the rest, as anvil's does.
import { gunzipSync, gzipSync } from "node:zlib";
import { bytesToHex, hexToBytes } from "../primitives/hex.js";
import { MAX_U256 } from "../primitives/word-view.js";
import { blobGasPrice } from "./fees.js";
import type { Block, BlockHeader } from "./types.js";

export interface SnapshotPoint {
  /** Undo records above this sequence are undone by a revert. */
  seq: bigint;
  /** The head block at the snapshot. */
  head: bigint;
}

export class SnapshotRegistry {
  private readonly points = new Map<bigint, SnapshotPoint>();
  private nextId = 0n;

  /** A new id whose point the caller fills in (when the operations queued before it are done). */
  take(): { id: bigint; point: SnapshotPoint } {
    const id = this.nextId++;
    const point: SnapshotPoint = { seq: -1n, head: -1n };
    this.points.set(id, point);
    return { id, point };
  }

  /** The point of `id`, removing it and every later id; undefined where `id` is unknown or used. */
  claim(id: bigint): SnapshotPoint | undefined {
    const point = this.points.get(id);
    if (point === undefined) return undefined;
    for (const k of [...this.points.keys()]) if (k >= id) this.points.delete(k);
    return point;
  }

  /** Drops every snapshot (anvil_reset); ids keep counting up, so an old id stays unknown. */
  clear(): void {
    this.points.clear();
  }

  /** The live snapshots whose point is known (taken once the operations before them were done), by id. */
  list(): [bigint, SnapshotPoint][] {
    return [...this.points].filter(([, point]) => point.head >= 0n);
  }
}

// ---- dumps ----

export interface DumpedAccount {
  /** A JSON number where it is a safe integer (as anvil writes it), else a hex string. */
  nonce: number | string;
  balance: string;
  code: string;
  storage: Record<string, string>;
}

export interface StateDump {
  block?: Record<string, unknown> | null;
  accounts: Record<string, DumpedAccount>;
  best_block_number?: number | string | null;
  blocks?: unknown[];
  transactions?: unknown[];
  historical_states?: unknown;
}

/** An account to set: what setAccount takes. */
export interface AccountChange {
  balance?: bigint;
  nonce?: bigint;
  code?: Uint8Array;
  /** Slots to set (0n clears one); other slots are left as they are. */
  storage?: Map<bigint, bigint>;
}

/** What `dumpAccounts` reads (LmdbState has it). */
export interface DumpableState {
  addresses(): Iterable<bigint>;
  account(address: bigint): { nonce: bigint; balance: bigint; codeHash: bigint } | undefined;
  code(address: bigint): Uint8Array;
  storageEntries(address: bigint): Map<bigint, bigint>;
}

const word = (v: bigint) => `0x${v.toString(16).padStart(64, "0")}`;
const address = (v: bigint) => `0x${v.toString(16).padStart(40, "0")}`;
const quantity = (v: bigint) => `0x${v.toString(16)}`;

export function dumpAccounts(state: DumpableState): Record<string, DumpedAccount> {
  const accounts: Record<string, DumpedAccount> = {};
  for (const a of state.addresses()) {
    const info = state.account(a)!;
    const storage: Record<string, string> = {};
    for (const [slot, value] of state.storageEntries(a)) storage[word(slot)] = word(value);
    accounts[address(a)] = {
      nonce: info.nonce <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(info.nonce) : quantity(info.nonce),
      balance: quantity(info.balance),
      code: bytesToHex(state.code(a)),
      storage,
    };
  }
  return accounts;
}

/** A JSON number where it is a safe integer (as anvil writes u64s), else a hex string (anvil reads both). */
const number = (v: bigint) => (v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : quantity(v));

/** The `block` part of a dump: the head block's environment, in anvil's field names (its BlockEnv). */
export function dumpBlockEnv(head: BlockHeader): Record<string, unknown> {
  return {
    number: quantity(head.number),
    beneficiary: address(head.coinbase),
    timestamp: quantity(head.timestamp),
    gas_limit: number(head.gasLimit),
    basefee: number(head.baseFeePerGas),
    difficulty: quantity(head.difficulty),
    prevrandao: word(head.mixHash),
    blob_excess_gas_and_price: {
      excess_blob_gas: number(head.excessBlobGas),
      blob_gasprice: number(blobGasPrice(head.excessBlobGas)),
    },
  };
}

/** A block as anvil's dump lists it: the header in its JSON-RPC field names (anvil hashes it to find
 * the block), no transactions. */
export function dumpBlock(block: Block): Record<string, unknown> {
  const h = block.header;
  return {
    header: {
      parentHash: word(h.parentHash),
      sha3Uncles: word(h.ommersHash),
      miner: address(h.coinbase),
      stateRoot: word(h.stateRoot),
      transactionsRoot: word(h.transactionsRoot),
      receiptsRoot: word(h.receiptsRoot),
      logsBloom: bytesToHex(h.logsBloom),
      difficulty: quantity(h.difficulty),
      number: quantity(h.number),
      gasLimit: quantity(h.gasLimit),
      gasUsed: quantity(h.gasUsed),
      timestamp: quantity(h.timestamp),
      extraData: bytesToHex(h.extraData),
      mixHash: word(h.mixHash),
      nonce: `0x${h.nonce.toString(16).padStart(16, "0")}`,
      baseFeePerGas: quantity(h.baseFeePerGas),
      withdrawalsRoot: word(h.withdrawalsRoot),
      blobGasUsed: quantity(h.blobGasUsed),
      excessBlobGas: quantity(h.excessBlobGas),
      parentBeaconBlockRoot: word(h.parentBeaconBlockRoot),
    },
    transactions: [],
    ommers: [],
    withdrawals: null,
  };
}

/** The dump as JSON text: what a state file holds (anvil's --dump-state writes it so). */
export function stateDumpJson(dump: StateDump): string {
  return JSON.stringify(dump);
}

/** anvil_dumpState's bytes: the dump as gzip-compressed JSON. */
export function encodeStateDump(dump: StateDump): Uint8Array {
  return new Uint8Array(gzipSync(stateDumpJson(dump)));
}

/**
 * A dump as anvil_loadState or a file gives it: the object itself, its JSON text, or bytes (hex
 * "0x..." text or raw), gzip-compressed or not.
 */
export function decodeStateDump(input: unknown): StateDump {
  let value = input;
  if (typeof value === "string") {
    const text = value.trim();
    value = /^0x[0-9a-fA-F]*$/.test(text) ? hexToBytes(text) : text;
  }
  if (value instanceof Uint8Array) {
    const bytes = value[0] === 0x1f && value[1] === 0x8b ? gunzipSync(value) : Buffer.from(value);
    value = bytes.toString("utf8");
  }
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch (e) {
      throw new Error(`state dump: not JSON (${(e as Error).message})`);
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error("state dump: expected an object with `accounts`");
  }
  const accounts = (value as { accounts?: unknown }).accounts;
  if (typeof accounts !== "object" || accounts === null || Array.isArray(accounts)) {
    throw new Error("state dump: `accounts` must be an object keyed by address");
  }
  return value as StateDump;
}

function parseQuantity(v: unknown, what: string, max: bigint): bigint {
  let n: bigint;
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) n = BigInt(v);
  else if (typeof v === "string" && /^0x[0-9a-fA-F]*$/.test(v)) n = v.length === 2 ? 0n : BigInt(v);
  else if (typeof v === "string" && /^[0-9]+$/.test(v)) n = BigInt(v);
  else throw new Error(`state dump: ${what}: expected a quantity, got ${JSON.stringify(v)}`);
  if (n > max) throw new Error(`state dump: ${what}: ${v} out of range`);
  return n;
}

function parseHexWord(v: string, what: string, bytes: number): bigint {
  if (!/^0x[0-9a-fA-F]*$/.test(v) || v.length > 2 + bytes * 2) {
    throw new Error(`state dump: ${what}: expected hex of at most ${bytes} bytes, got ${JSON.stringify(v)}`);
  }
  return v.length === 2 ? 0n : BigInt(v);
}

const MAX_U64 = (1n << 64n) - 1n;

/** The accounts of a dump as changes to apply. */
export function dumpChanges(dump: StateDump): Map<bigint, AccountChange> {
  const changes = new Map<bigint, AccountChange>();
  for (const [key, raw] of Object.entries(dump.accounts)) {
    const a = parseHexWord(key, "account address", 20);
    if (typeof raw !== "object" || raw === null) throw new Error(`state dump: account ${key} is not an object`);
    const r = raw as Partial<DumpedAccount>;
    const change: AccountChange = {
      nonce: r.nonce === undefined ? 0n : parseQuantity(r.nonce, `${key}.nonce`, MAX_U64),
      balance: r.balance === undefined ? 0n : parseQuantity(r.balance, `${key}.balance`, MAX_U256),
    };
    if (r.code !== undefined && r.code !== null) {
      if (typeof r.code !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(r.code)) {
        throw new Error(`state dump: ${key}.code: expected hex bytes`);
      }
      change.code = hexToBytes(r.code);
    }
    if (r.storage !== undefined && r.storage !== null) {
      const storage = new Map<bigint, bigint>();
      for (const [slot, value] of Object.entries(r.storage)) {
        if (typeof value !== "string") throw new Error(`state dump: ${key}.storage[${slot}]: expected hex`);
        storage.set(parseHexWord(slot, `${key} storage slot`, 32), parseHexWord(value, `${key}.storage[${slot}]`, 32));
      }
      change.storage = storage;
    }
    changes.set(a, change);
  }
  return changes;
}
