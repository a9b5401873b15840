// Genesis: a geth-style genesis JSON parsed into a GenesisSpec, the dev-node genesis built from
// flags, and the genesis header. Weft runs Cancun rules from block 0, so a config that schedules any
// fork after genesis (or Prague and later at all) is refused rather than silently run as Cancun.
import { bigintToBytes, bigintToMinimalBytes, bytesToBigint, hexToBytes } from "../primitives/hex.js";
import { EMPTY_CODE_HASH, EMPTY_TRIE_ROOT, keccak256Word } from "../primitives/keccak.js";
import { MAX_U256 } from "../primitives/word-view.js";
import { rlpEncodeBytes, rlpEncodeList, secureTrieRoot } from "../state/mpt.js";
import { DuplicateLeafError } from "../state/trie/bulk-build.js";
import type { StateBulkLoader } from "../state/trie/bulk-load.js";
import type { PackedSlots } from "../state/trie/packed-slots.js";
import { GenesisError } from "./errors.js";
import { EMPTY_OMMERS_HASH } from "./header.js";
import type { BlockHeader } from "./types.js";

export interface GenesisAccount {
  balance: bigint;
  nonce: bigint;
  code: Uint8Array;
  /** Non-zero slots only. */
  storage: Map<bigint, bigint>;
}

export interface GenesisSpec {
  chainId: bigint;
  alloc: Map<bigint, GenesisAccount>;
  gasLimit: bigint;
  timestamp: bigint;
  baseFeePerGas: bigint;
  coinbase: bigint;
  extraData: Uint8Array;
  difficulty: bigint;
  /** PREVRANDAO of block 0. */
  mixHash: bigint;
  nonce: bigint;
  excessBlobGas: bigint;
  blobGasUsed: bigint;
  /**
   * Set where `alloc` was not read (a kept chain's restart reads genesis.json's header only: the
   * allocation is in the store, and block 0 holds its root).
   */
  allocOmitted?: boolean;
  /**
   * An allocation read entry by entry while the genesis state is written (a --genesis file, which
   * may hold millions of accounts), never held whole. Where set, `alloc` holds only the node's
   * additions (dev accounts, the CREATE2 deployer), and the source's entry for the same address wins.
   */
  allocSource?: GenesisAllocSource;
}

/** An alloc entry as a source streams it: a large storage may come packed as bytes (no Map of bigints). */
export interface StreamedGenesisAccount extends Omit<GenesisAccount, "storage"> {
  /** Non-zero slots only. */
  storage: Map<bigint, bigint> | PackedSlots;
}

export interface GenesisAllocSource {
  /**
   * Calls `visit` with each entry in order, each parsed and checked (a GenesisError where bad); an
   * address may come as its 20 bytes (a new array each time: no bigint made per entry).
   */
  forEach(visit: (address: bigint | Uint8Array, account: StreamedGenesisAccount) => void): void;
  /** The n-th entry's key (from 0) as written: names a duplicate. */
  keyAt(n: number): string;
}

/** anvil's defaults. */
export const DEFAULT_GAS_LIMIT = 30_000_000n;
export const DEFAULT_BASE_FEE = 1_000_000_000n;

const MAX_U64 = (1n << 64n) - 1n;

/** Forks that must be active from genesis (0) or not named: Weft implements their rules only as part of Cancun. */
const FORKS_AT_GENESIS = [
  "homesteadBlock",
  "daoForkBlock",
  "eip150Block",
  "eip155Block",
  "eip158Block",
  "byzantiumBlock",
  "constantinopleBlock",
  "petersburgBlock",
  "istanbulBlock",
  "muirGlacierBlock",
  "berlinBlock",
  "londonBlock",
  "arrowGlacierBlock",
  "grayGlacierBlock",
  "mergeNetsplitBlock",
  "shanghaiTime",
  "cancunTime",
];
/** Forks after Cancun: Weft does not run them. */
const LATER_FORKS = ["pragueTime", "osakaTime", "amsterdamTime", "verkleTime", "bpo1Time", "bpo2Time", "bpo3Time"];

const TOP_LEVEL_KEYS = new Set([
  "config",
  "nonce",
  "timestamp",
  "extraData",
  "gasLimit",
  "difficulty",
  "mixHash",
  "coinbase",
  "alloc",
  "number",
  "gasUsed",
  "parentHash",
  "baseFeePerGas",
  "excessBlobGas",
  "blobGasUsed",
]);
const ACCOUNT_KEYS = new Set(["balance", "nonce", "code", "storage", "secretKey"]);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A quantity as geth reads one: "0x" hex or decimal string, or a JSON number (safe integers only). */
function quantity(v: unknown, name: string, max: bigint = MAX_U256): bigint {
  let n: bigint;
  if (typeof v === "number") {
    if (!Number.isSafeInteger(v) || v < 0)
      throw new GenesisError(`${name}: ${v} is not a safe non-negative integer (quote it)`);
    n = BigInt(v);
  } else if (typeof v === "string" && /^0[xX][0-9a-fA-F]*$/.test(v)) {
    n = v.length === 2 ? 0n : BigInt(v);
  } else if (typeof v === "string" && /^[0-9]+$/.test(v)) {
    n = BigInt(v);
  } else {
    throw new GenesisError(`${name}: expected a hex ("0x...") or decimal quantity, got ${JSON.stringify(v)}`);
  }
  if (n > max) throw new GenesisError(`${name}: ${n} out of range`);
  return n;
}

function hexBytes(v: unknown, name: string, maxLength?: number): Uint8Array {
  if (typeof v !== "string" || !/^(0[xX])?([0-9a-fA-F]{2})*$/.test(v)) {
    throw new GenesisError(`${name}: expected hex bytes, got ${JSON.stringify(v)}`);
  }
  const bytes = hexToBytes(v);
  if (maxLength !== undefined && bytes.length > maxLength) {
    throw new GenesisError(`${name}: ${bytes.length} bytes, at most ${maxLength}`);
  }
  return bytes;
}

/** A fixed-size value (address, hash, storage key): hex of at most `length` bytes, any even or odd digit count. */
function fixedHex(v: unknown, name: string, length: number): bigint {
  if (typeof v !== "string" || !/^(0[xX])?[0-9a-fA-F]*$/.test(v)) {
    throw new GenesisError(`${name}: expected hex, got ${JSON.stringify(v)}`);
  }
  const digits = v.replace(/^0[xX]/, "");
  if (digits.length > length * 2) throw new GenesisError(`${name}: longer than ${length} bytes`);
  return digits.length === 0 ? 0n : BigInt(`0x${digits}`);
}

/** One alloc entry: its address key as written and its value. */
export function parseAllocEntry(key: string, account: unknown): [bigint, GenesisAccount] {
  return [allocAddress(key), parseAccount(key, account)];
}

/** An alloc entry's address key as written: 40 hex digits, 0x or not. */
export function allocAddress(key: string): bigint {
  if (!/^(0[xX])?[0-9a-fA-F]{40}$/.test(key)) throw new GenesisError(`alloc: "${key}" is not a 20-byte address`);
  return BigInt(`0x${key.replace(/^0[xX]/, "")}`);
}

/** allocAddress as its 20 bytes, read from the key's characters (a million entries: no regex, no bigint). */
export function allocAddressBytes(key: string): Uint8Array {
  const prefixed = key.length > 1 && key.charCodeAt(0) === 0x30 && (key.charCodeAt(1) | 0x20) === 0x78;
  if (key.length === (prefixed ? 42 : 40)) {
    try {
      return hexToBytes(key);
    } catch {
      // Not a hex digit: the same refusal as allocAddress's.
    }
  }
  throw new GenesisError(`alloc: "${key}" is not a 20-byte address`);
}

function parseAccount(key: string, v: unknown): GenesisAccount {
  const where = `alloc[${key}]`;
  if (!isRecord(v)) throw new GenesisError(`${where}: expected an object`);
  for (const k of Object.keys(v)) if (!ACCOUNT_KEYS.has(k)) throw new GenesisError(`${where}: unknown field "${k}"`);
  const storage = new Map<bigint, bigint>();
  if (v.storage !== undefined && v.storage !== null) {
    if (!isRecord(v.storage)) throw new GenesisError(`${where}.storage: expected an object`);
    for (const [slot, value] of Object.entries(v.storage)) {
      const s = fixedHex(slot, `${where}.storage key ${slot}`, 32);
      const w = fixedHex(value, `${where}.storage[${slot}]`, 32);
      if (w !== 0n) storage.set(s, w);
    }
  }
  return {
    balance: v.balance === undefined ? 0n : quantity(v.balance, `${where}.balance`),
    nonce: v.nonce === undefined ? 0n : quantity(v.nonce, `${where}.nonce`, MAX_U64),
    code: v.code === undefined || v.code === null ? new Uint8Array(0) : hexBytes(v.code, `${where}.code`),
    storage,
  };
}

function checkForks(config: Record<string, unknown>): void {
  for (const fork of FORKS_AT_GENESIS) {
    const at = config[fork];
    if (at === undefined || at === null) continue;
    if (quantity(at, `config.${fork}`) !== 0n) {
      throw new GenesisError(`config.${fork} = ${at}: Weft runs Cancun rules from genesis; earlier forks must be at 0`);
    }
  }
  for (const fork of LATER_FORKS) {
    const at = config[fork];
    if (at !== undefined && at !== null) {
      throw new GenesisError(`config.${fork} = ${at}: Weft implements Cancun and no later fork`);
    }
  }
}

/**
 * Parses a geth-style genesis (config.chainId, alloc, gasLimit, timestamp, baseFeePerGas, coinbase,
 * extraData, difficulty, mixHash, nonce, excessBlobGas, blobGasUsed). Missing values take anvil's
 * defaults (gas limit 30,000,000, base fee 1 gwei, the rest 0). Unknown top-level or account fields
 * and a non-zero number, gasUsed or parentHash (genesis is block 0) are errors.
 */
export function parseGenesis(json: unknown): GenesisSpec {
  if (!isRecord(json)) throw new GenesisError("expected a JSON object");
  for (const k of Object.keys(json)) if (!TOP_LEVEL_KEYS.has(k)) throw new GenesisError(`unknown field "${k}"`);
  const config = json.config;
  if (!isRecord(config)) throw new GenesisError("config: expected an object with chainId");
  if (config.chainId === undefined) throw new GenesisError("config.chainId is missing");
  const chainId = quantity(config.chainId, "config.chainId");
  checkForks(config);
  for (const k of ["number", "gasUsed", "parentHash"] as const) {
    if (json[k] !== undefined && json[k] !== null && fixedHex(String(json[k]), k, 32) !== 0n) {
      throw new GenesisError(`${k} must be 0: the genesis is block 0`);
    }
  }
  const alloc = new Map<bigint, GenesisAccount>();
  if (json.alloc !== undefined && json.alloc !== null) {
    if (!isRecord(json.alloc)) throw new GenesisError("alloc: expected an object keyed by address");
    for (const [key, value] of Object.entries(json.alloc)) {
      const [address, account] = parseAllocEntry(key, value);
      if (alloc.has(address)) throw new GenesisError(`alloc: ${key} appears twice`);
      alloc.set(address, account);
    }
  }
  const opt = (k: string, fallback: bigint, max?: bigint) =>
    json[k] === undefined || json[k] === null ? fallback : quantity(json[k], k, max);
  return {
    chainId,
    alloc,
    gasLimit: opt("gasLimit", DEFAULT_GAS_LIMIT, MAX_U64),
    timestamp: opt("timestamp", 0n, MAX_U64),
    baseFeePerGas: opt("baseFeePerGas", DEFAULT_BASE_FEE),
    coinbase: json.coinbase === undefined ? 0n : fixedHex(json.coinbase, "coinbase", 20),
    extraData: json.extraData === undefined ? new Uint8Array(0) : hexBytes(json.extraData, "extraData", 32),
    difficulty: opt("difficulty", 0n),
    mixHash: json.mixHash === undefined ? 0n : fixedHex(json.mixHash, "mixHash", 32),
    nonce: opt("nonce", 0n, MAX_U64),
    excessBlobGas: opt("excessBlobGas", 0n, MAX_U64),
    blobGasUsed: opt("blobGasUsed", 0n, MAX_U64),
  };
}

export interface DevGenesisOptions {
  chainId: bigint;
  /** Funded accounts (the dev accounts). */
  accounts: readonly bigint[];
  /** Wei each account holds. */
  balance: bigint;
  timestamp: bigint;
  gasLimit?: bigint;
  baseFeePerGas?: bigint;
  coinbase?: bigint;
}

/** The genesis of a dev node (`weft node` without --genesis): the dev accounts funded, anvil's defaults elsewhere. */
export function devGenesis(o: DevGenesisOptions): GenesisSpec {
  const alloc = new Map<bigint, GenesisAccount>();
  for (const a of o.accounts)
    alloc.set(a, { balance: o.balance, nonce: 0n, code: new Uint8Array(0), storage: new Map() });
  return {
    chainId: o.chainId,
    alloc,
    gasLimit: o.gasLimit ?? DEFAULT_GAS_LIMIT,
    timestamp: o.timestamp,
    baseFeePerGas: o.baseFeePerGas ?? DEFAULT_BASE_FEE,
    coinbase: o.coinbase ?? 0n,
    extraData: new Uint8Array(0),
    difficulty: 0n,
    mixHash: 0n,
    nonce: 0n,
    excessBlobGas: 0n,
    blobGasUsed: 0n,
  };
}

/**
 * The state root of the genesis allocation, computed from scratch (account trie keyed by
 * keccak(address), storage tries keyed by keccak(slot)). Empty accounts are kept, as geth does.
 */
export function genesisStateRoot(spec: GenesisSpec): bigint {
  const accounts: [Uint8Array, Uint8Array][] = [];
  for (const [address, a] of spec.alloc) {
    const slots: [Uint8Array, Uint8Array][] = [];
    for (const [slot, value] of a.storage) {
      if (value !== 0n) slots.push([bigintToBytes(slot, 32), rlpEncodeBytes(bigintToMinimalBytes(value))]);
    }
    const storageRoot = slots.length === 0 ? bigintToBytes(EMPTY_TRIE_ROOT, 32) : secureTrieRoot(slots);
    const codeHash = a.code.length === 0 ? EMPTY_CODE_HASH : keccak256Word(a.code);
    const body = rlpEncodeList([
      rlpEncodeBytes(bigintToMinimalBytes(a.nonce)),
      rlpEncodeBytes(bigintToMinimalBytes(a.balance)),
      rlpEncodeBytes(storageRoot),
      rlpEncodeBytes(bigintToBytes(codeHash, 32)),
    ]);
    accounts.push([bigintToBytes(address, 20), body]);
  }
  return bytesToBigint(secureTrieRoot(accounts));
}

/**
 * Writes the genesis allocation (`allocSource`'s entries, then the additions in `alloc` they do not
 * replace) through `loader`, and returns the state root. An address the source names twice is a
 * GenesisError.
 */
export function writeGenesisState(loader: StateBulkLoader, spec: GenesisSpec): bigint {
  const replaced = new Set<bigint>();
  // The additions by their first four bytes: an address given as bytes is made a bigint only where they match.
  const leading = new Set<number>();
  for (const address of spec.alloc.keys()) leading.add(Number(address >> 128n));
  let streamed = 0;
  try {
    spec.allocSource?.forEach((given, a) => {
      let address = given;
      if (address instanceof Uint8Array) {
        const first = ((address[0]! << 24) | (address[1]! << 16) | (address[2]! << 8) | address[3]!) >>> 0;
        if (leading.has(first)) address = bytesToBigint(address);
      }
      if (typeof address === "bigint" && spec.alloc.has(address)) replaced.add(address);
      loader.addAccount(address, a, a.storage);
      streamed++;
    });
    for (const [address, a] of spec.alloc) if (!replaced.has(address)) loader.addAccount(address, a, a.storage);
    return loader.finish();
  } catch (e) {
    loader.abandon();
    if (!(e instanceof DuplicateLeafError) || spec.allocSource === undefined || e.index >= streamed) throw e;
    throw new GenesisError(`alloc: ${spec.allocSource.keyAt(e.index)} appears twice`);
  }
}

/** Block 0's header, given the state root of the allocation (genesisStateRoot, or the state store's own). */
export function genesisHeader(spec: GenesisSpec, stateRoot: bigint = genesisStateRoot(spec)): BlockHeader {
  return {
    parentHash: 0n,
    ommersHash: EMPTY_OMMERS_HASH,
    coinbase: spec.coinbase,
    stateRoot,
    transactionsRoot: EMPTY_TRIE_ROOT,
    receiptsRoot: EMPTY_TRIE_ROOT,
    logsBloom: new Uint8Array(256),
    difficulty: spec.difficulty,
    number: 0n,
    gasLimit: spec.gasLimit,
    gasUsed: 0n,
    timestamp: spec.timestamp,
    extraData: spec.extraData,
    mixHash: spec.mixHash,
    nonce: spec.nonce,
    baseFeePerGas: spec.baseFeePerGas,
    withdrawalsRoot: EMPTY_TRIE_ROOT,
    blobGasUsed: spec.blobGasUsed,
    excessBlobGas: spec.excessBlobGas,
    parentBeaconBlockRoot: 0n,
  };
}
