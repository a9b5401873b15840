// RPC JSON <-> chain types. Parsers take untrusted JSON values and throw -32602 with the parameter's
// name on anything malformed; formatters turn bigints and bytes into the hex strings clients expect.

import type { Log } from "../evm/host.js";
import type { AccessListEntry } from "../exec/types.js";
import { addressToHex, bigintToHex, bytesToHex, hexToBytes, wordToHex } from "../primitives/hex.js";
import { MAX_U256 } from "../primitives/word-view.js";
import { invalidParams } from "./errors.js";

const HEX = /^0x[0-9a-fA-F]*$/;

// ---------------------------------------------------------------------------------------------
// Parsing

/** The params array with at least `min` and at most `max` entries (trailing nulls/undefined count as absent). */
export function expectParams(params: readonly unknown[], min: number, max: number = min): readonly unknown[] {
  let length = params.length;
  while (length > min && (params[length - 1] === null || params[length - 1] === undefined)) length--;
  if (length < min || length > max) {
    const wanted = min === max ? `${min}` : `${min} to ${max}`;
    throw invalidParams(`expected ${wanted} params, got ${params.length}`);
  }
  return params;
}

/** A QUANTITY: "0x"-prefixed hex without leading zeros (accepted with them, as anvil does), or a non-negative safe integer. */
export function parseQuantity(value: unknown, name: string, max: bigint = MAX_U256): bigint {
  let n: bigint;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) n = BigInt(value);
  else if (typeof value === "string" && HEX.test(value) && value.length > 2 && value.length <= 66) n = BigInt(value);
  else throw invalidParams(`${name}: expected a hex quantity, got ${describe(value)}`);
  if (n > max) throw invalidParams(`${name}: ${value} is out of range`);
  return n;
}

/** A quantity that fits in a JS number (counts, indexes). */
export function parseIndex(value: unknown, name: string): number {
  return Number(parseQuantity(value, name, BigInt(Number.MAX_SAFE_INTEGER)));
}

/** DATA: "0x"-prefixed hex of whole bytes. */
export function parseData(value: unknown, name: string): Uint8Array {
  // hexToBytes checks every digit itself: no regex pass first (raw transactions come this way).
  if (typeof value === "string" && value.startsWith("0x") && value.length % 2 === 0) {
    try {
      return hexToBytes(value);
    } catch {
      // not hex: the error below
    }
  }
  throw invalidParams(`${name}: expected 0x-prefixed hex bytes, got ${describe(value)}`);
}

export function parseAddress(value: unknown, name: string): bigint {
  if (typeof value !== "string" || !HEX.test(value) || value.length !== 42) {
    throw invalidParams(`${name}: expected a 20-byte address, got ${describe(value)}`);
  }
  return BigInt(value);
}

/** A 32-byte hash (block or transaction hash, topic). */
export function parseHash(value: unknown, name: string): bigint {
  if (typeof value !== "string" || !HEX.test(value) || value.length !== 66) {
    throw invalidParams(`${name}: expected a 32-byte hash, got ${describe(value)}`);
  }
  return BigInt(value);
}

/** A storage slot: any quantity up to 32 bytes (clients send both padded and minimal forms). */
export function parseSlot(value: unknown, name: string): bigint {
  if (typeof value !== "string" || !HEX.test(value) || value.length < 3 || value.length > 66) {
    throw invalidParams(`${name}: expected a storage slot (hex, up to 32 bytes), got ${describe(value)}`);
  }
  return BigInt(value);
}

export function parseBool(value: unknown, name: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== "boolean") throw invalidParams(`${name}: expected a boolean, got ${describe(value)}`);
  return value;
}

export type BlockTagName = "latest" | "pending" | "earliest" | "safe" | "finalized";

/** A block named by tag, number, or (EIP-1898) hash. */
export type BlockRef =
  | { kind: "tag"; tag: BlockTagName }
  | { kind: "number"; number: bigint }
  | { kind: "hash"; hash: bigint; requireCanonical: boolean };

const TAGS = new Set(["latest", "pending", "earliest", "safe", "finalized"]);

/** A block parameter: tag, number, or an EIP-1898 object; absent means "latest". */
export function parseBlockRef(value: unknown, name = "block"): BlockRef {
  if (value === undefined || value === null) return { kind: "tag", tag: "latest" };
  if (typeof value === "string" && TAGS.has(value)) return { kind: "tag", tag: value as BlockTagName };
  if (typeof value === "object" && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    if (o.blockHash !== undefined) {
      return {
        kind: "hash",
        hash: parseHash(o.blockHash, `${name}.blockHash`),
        requireCanonical: !!o.requireCanonical,
      };
    }
    if (o.blockNumber !== undefined) return parseBlockRef(o.blockNumber, `${name}.blockNumber`);
    throw invalidParams(`${name}: expected blockHash or blockNumber`);
  }
  if (typeof value === "string" && !HEX.test(value)) {
    throw invalidParams(`${name}: expected a block number or one of latest, pending, earliest, safe, finalized`);
  }
  return { kind: "number", number: parseQuantity(value, name) };
}

/** A block parameter that may only be a number or tag (eth_getBlockByNumber, filters' fromBlock/toBlock). */
export function parseBlockNumberOrTag(value: unknown, name: string): BlockRef {
  if (typeof value === "object" && value !== null) throw invalidParams(`${name}: expected a block number or tag`);
  return parseBlockRef(value, name);
}

export function parseAccessList(value: unknown, name: string): AccessListEntry[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidParams(`${name}: expected an array`);
  return value.map((entry, i) => {
    if (typeof entry !== "object" || entry === null) throw invalidParams(`${name}[${i}]: expected an object`);
    const e = entry as Record<string, unknown>;
    const keys = e.storageKeys ?? [];
    if (!Array.isArray(keys)) throw invalidParams(`${name}[${i}].storageKeys: expected an array`);
    return {
      address: parseAddress(e.address, `${name}[${i}].address`),
      storageKeys: keys.map((k, j) => parseHash(k, `${name}[${i}].storageKeys[${j}]`)),
    };
  });
}

/** The object a method takes as its parameter (call request, filter), or a -32602. */
export function parseObject(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalidParams(`${name}: expected an object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

// ---------------------------------------------------------------------------------------------
// Formatting

export const quantity = bigintToHex;
export const data = bytesToHex;
export const address = addressToHex;
export const hash = wordToHex;

export function indexHex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** An 8-byte hex string (a header's nonce). */
export function nonce8(value: bigint): string {
  return `0x${value.toString(16).padStart(16, "0")}`;
}

export function formatAccessList(list: readonly AccessListEntry[]): unknown[] {
  return list.map((e) => ({ address: addressToHex(e.address), storageKeys: e.storageKeys.map(wordToHex) }));
}

/** Where a log sits, for its RPC form. */
export interface LogPosition {
  blockHash: bigint;
  blockNumber: bigint;
  transactionHash: bigint;
  transactionIndex: number;
  logIndex: number;
  /** The block's timestamp (geth 1.16 and anvil report it with each log). */
  blockTimestamp?: bigint;
  removed?: boolean;
}

export function formatLog(log: Log, at: LogPosition): Record<string, unknown> {
  return {
    address: addressToHex(log.address),
    topics: log.topics.map(wordToHex),
    data: bytesToHex(log.data),
    blockHash: wordToHex(at.blockHash),
    blockNumber: bigintToHex(at.blockNumber),
    transactionHash: wordToHex(at.transactionHash),
    transactionIndex: indexHex(at.transactionIndex),
    logIndex: indexHex(at.logIndex),
    ...(at.blockTimestamp === undefined ? {} : { blockTimestamp: bigintToHex(at.blockTimestamp) }),
    removed: at.removed ?? false,
  };
}
