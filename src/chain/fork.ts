// A forked chain's starting point: the upstream's block N (fetched once, then kept in the store as
// the chain's first block, so blocks continue from N+1 with N's hash as their parent), the state
// reads through the upstream at N (src/state/fork), and the record of which upstream and block the
// datadir forks (fork/meta), so a restart resumes the same fork without asking the upstream again.
//
// The accounts the genesis funds (the dev accounts) keep the upstream's nonce and code and get the
// genesis balance, as anvil sets them on a fork; every other account is the upstream's.
import type { Database } from "lmdb";
import type { StateWrites } from "../evm/host.js";
import { bytesToBigint, hexToBytes } from "../primitives/hex.js";
import { EMPTY_CODE_HASH, EMPTY_TRIE_ROOT, keccak256Word } from "../primitives/keccak.js";
import type { ForkPoint } from "../state/fork/fork-state.js";
import { UpstreamClient, UpstreamError } from "../state/fork/upstream-client.js";
import type { LmdbState } from "../state/lmdb-state.js";
import type { ChainStore } from "./chain-store.js";
import type { GenesisSpec } from "./genesis.js";
import { hashHeader } from "./header.js";
import type { Block, BlockHeader } from "./types.js";

/** What a node asks to fork: an upstream, and a block (undefined: the upstream's latest, or the datadir's). */
export interface ForkRequest {
  client: UpstreamClient;
  blockNumber?: bigint;
}

/** A fork resolved: where reads go, and the chain's first block (the upstream's block N). */
export interface ChainFork {
  point: ForkPoint;
  base: Block;
}

/** anvil_reset's `forking`: another upstream (default: the same) and block (default: its latest). */
export interface ForkReset {
  url?: string;
  blockNumber?: bigint;
}

/** Which fork a datadir holds. */
export interface ForkRecord {
  url: string;
  blockNumber: bigint;
  /** The upstream's hash of the block. */
  blockHash: bigint;
}

const RECORD_KEY = Buffer.from("fork");

/** The fork record's table (fork/meta). */
export function forkMeta(lmdb: LmdbState): Database<Uint8Array, Uint8Array> {
  return lmdb.database("fork/meta");
}

export function readForkRecord(lmdb: LmdbState): ForkRecord | undefined {
  const raw = forkMeta(lmdb).getBinary(RECORD_KEY);
  if (raw === undefined) return undefined;
  const r = JSON.parse(Buffer.from(raw).toString("utf8")) as { url: string; blockNumber: string; blockHash: string };
  return { url: r.url, blockNumber: BigInt(r.blockNumber), blockHash: BigInt(r.blockHash) };
}

/** Writes the record; runs inside a commit's inTransaction. */
export function putForkRecord(lmdb: LmdbState, record: ForkRecord): void {
  const json = JSON.stringify({
    url: record.url,
    blockNumber: record.blockNumber.toString(),
    blockHash: `0x${record.blockHash.toString(16)}`,
  });
  forkMeta(lmdb).putSync(RECORD_KEY, Buffer.from(json, "utf8"));
}

/**
 * The fork a chain opens with, set on `lmdb`: none without a request (a datadir that holds a fork
 * then needs one); else the datadir's (its first block, from the store: the upstream is not asked)
 * or, for a new chain, the request's block fetched from the upstream.
 */
export function openFork(
  lmdb: LmdbState,
  store: ChainStore,
  request: ForkRequest | undefined,
  datadir: string,
  /** Runs each read of the store (the opener's: a read that fails is a damaged store, not a refusal). */
  read: <T>(fn: () => T) => T = (fn) => fn(),
): ChainFork | undefined {
  const record = read(() => readForkRecord(lmdb));
  if (request === undefined) {
    if (record === undefined) return undefined;
    throw new Error(
      `datadir ${datadir} holds a fork of ${record.url} at block ${record.blockNumber}: start it with --fork-url`,
    );
  }
  let fork: ChainFork;
  if (record !== undefined) {
    if (request.blockNumber !== undefined && request.blockNumber !== record.blockNumber) {
      throw new Error(
        `datadir ${datadir} holds a fork at block ${record.blockNumber}, not ${request.blockNumber}: use another datadir`,
      );
    }
    const base = read(() => store.block(record.blockNumber));
    if (base === undefined) throw new Error(`datadir ${datadir}: the fork's block ${record.blockNumber} is missing`);
    fork = { point: { client: request.client, blockNumber: record.blockNumber, blockHash: record.blockHash }, base };
  } else if (read(() => store.genesis()) !== undefined) {
    throw new Error(`datadir ${datadir} holds a chain that is not a fork: use another datadir with --fork-url`);
  } else {
    fork = resolveFork(request);
  }
  lmdb.setFork(fork.point);
  return fork;
}

/** anvil_reset's re-fork of a forked chain (at `current`), resolved: the new upstream's block fetched. */
export function refork(current: ForkPoint | undefined, reset: ForkReset): ChainFork {
  if (current === undefined) {
    // A string code: the RPC layer answers with this message (-32000).
    throw Object.assign(new Error("anvil_reset: forking needs a node started with --fork-url"), { code: "NOT_FORKED" });
  }
  const client = reset.url === undefined ? current.client : new UpstreamClient(reset.url);
  try {
    return resolveFork(reset.blockNumber === undefined ? { client } : { client, blockNumber: reset.blockNumber });
  } catch (error) {
    if (client !== current.client) void client.close();
    throw error;
  }
}

export function recordOf(fork: ChainFork): ForkRecord {
  return { url: fork.point.client.url, blockNumber: fork.point.blockNumber, blockHash: fork.point.blockHash };
}

/** The upstream's chain id (eth_chainId). */
export function upstreamChainId(client: UpstreamClient): bigint {
  return quantity(client, client.call("eth_chainId", []), "eth_chainId");
}

/** Pins the block (the request's, else the upstream's latest) and fetches its header. */
export function resolveFork(request: ForkRequest): ChainFork {
  const client = request.client;
  const number = request.blockNumber ?? quantity(client, client.call("eth_blockNumber", []), "eth_blockNumber");
  const raw = client.call("eth_getBlockByNumber", [`0x${number.toString(16)}`, false]);
  if (raw === null || typeof raw !== "object") {
    throw new UpstreamError(client.url, `has no block ${number} (fork block number past its head?)`);
  }
  const json = raw as Record<string, unknown>;
  const header = headerOf(client, json);
  const blockHash = word(client, json.hash, "hash");
  return {
    point: { client, blockNumber: number, blockHash },
    base: { header, hash: hashHeader(header), transactions: [] },
  };
}

/** The fork's first state writes: each account the genesis funds with its balance, the upstream's nonce and code. */
export function forkGenesisWrites(spec: GenesisSpec, fork: ChainFork): StateWrites {
  const writes: StateWrites = new Map();
  const addresses = [...spec.alloc].filter(([, a]) => a.code.length === 0).map(([address]) => address);
  const tag = `0x${fork.point.blockNumber.toString(16)}`;
  const calls = addresses.flatMap((address) => {
    const a = `0x${address.toString(16).padStart(40, "0")}`;
    return [
      { method: "eth_getTransactionCount", params: [a, tag] },
      { method: "eth_getCode", params: [a, tag] },
    ];
  });
  const client = fork.point.client;
  const answers = calls.length === 0 ? [] : client.batch(calls);
  addresses.forEach((address, i) => {
    const code = hexToBytes(hex(client, answers[2 * i + 1], "eth_getCode"));
    writes.set(address, {
      deleted: false,
      nonce: quantity(client, answers[2 * i], "eth_getTransactionCount"),
      balance: spec.alloc.get(address)!.balance,
      codeHash: code.length === 0 ? EMPTY_CODE_HASH : keccak256Word(code),
      ...(code.length === 0 ? {} : { code }),
      storageCleared: false,
      storage: new Map(),
    });
  });
  return writes;
}

function headerOf(client: UpstreamClient, b: Record<string, unknown>): BlockHeader {
  const q = (field: string, absent?: bigint) =>
    b[field] === undefined || b[field] === null ? required(absent, field) : quantity(client, b[field], field);
  const w = (field: string, absent?: bigint) =>
    b[field] === undefined || b[field] === null ? required(absent, field) : word(client, b[field], field);
  const required = (absent: bigint | undefined, field: string): bigint => {
    if (absent === undefined) throw new UpstreamError(client.url, `eth_getBlockByNumber: the block has no ${field}`);
    return absent;
  };
  return {
    parentHash: w("parentHash"),
    ommersHash: w("sha3Uncles"),
    coinbase: w("miner"),
    stateRoot: w("stateRoot"),
    transactionsRoot: w("transactionsRoot"),
    receiptsRoot: w("receiptsRoot"),
    logsBloom: bytes(client, b.logsBloom, "logsBloom", 256),
    difficulty: q("difficulty", 0n),
    number: q("number"),
    gasLimit: q("gasLimit"),
    gasUsed: q("gasUsed"),
    timestamp: q("timestamp"),
    extraData: hexToBytes(hex(client, b.extraData ?? "0x", "extraData")),
    mixHash: w("mixHash", 0n),
    nonce: q("nonce", 0n),
    baseFeePerGas: q("baseFeePerGas", 0n),
    withdrawalsRoot: w("withdrawalsRoot", EMPTY_TRIE_ROOT),
    blobGasUsed: q("blobGasUsed", 0n),
    excessBlobGas: q("excessBlobGas", 0n),
    parentBeaconBlockRoot: w("parentBeaconBlockRoot", 0n),
  };
}

function hex(client: UpstreamClient, value: unknown, what: string): string {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]*$/.test(value)) {
    throw new UpstreamError(client.url, `${what}: expected hex, got ${JSON.stringify(value)}`);
  }
  return value;
}

function quantity(client: UpstreamClient, value: unknown, what: string): bigint {
  const h = hex(client, value, what);
  return h === "0x" ? 0n : BigInt(h);
}

function word(client: UpstreamClient, value: unknown, what: string): bigint {
  return bytesToBigint(bytes(client, value, what, undefined));
}

function bytes(client: UpstreamClient, value: unknown, what: string, length: number | undefined): Uint8Array {
  const b = hexToBytes(hex(client, value, what));
  if (length !== undefined && b.length !== length) {
    throw new UpstreamError(client.url, `${what}: expected ${length} bytes, got ${b.length}`);
  }
  return b;
}
