// The 2048-bit logs bloom (Yellow Paper 4.3.1): each log's address and topics set three bits, taken
// from the first three pairs of bytes of their keccak256, modulo 2048; bit 0 is the last byte's lowest.
import type { Log } from "../evm/host.js";
import { bigintToBytes } from "../primitives/hex.js";
import { keccak256 } from "../primitives/keccak.js";

export const BLOOM_BYTES = 256;

// The three bit positions of recently seen addresses and topics: a token's address and its event
// signatures recur in nearly every log of a busy block, and each costs a keccak256 otherwise.
const BITS_CACHE_LIMIT = 8192;
const addressBits = new Map<bigint, number>();
const topicBits = new Map<bigint, number>();

/** Three 11-bit bloom positions packed in one number. */
function bloomBits(cache: Map<bigint, number>, value: bigint, bytes: number): number {
  let bits = cache.get(value);
  if (bits === undefined) {
    const h = keccak256(bigintToBytes(value, bytes));
    bits = 0;
    for (let i = 0; i < 6; i += 2) bits = bits * 2048 + (((h[i]! << 8) | h[i + 1]!) & 2047);
    if (cache.size >= BITS_CACHE_LIMIT) cache.clear();
    cache.set(value, bits);
  }
  return bits;
}

function setBits(bloom: Uint8Array, bits: number): void {
  for (let k = 0; k < 3; k++) {
    const bit = bits % 2048;
    bits = Math.floor(bits / 2048);
    bloom[BLOOM_BYTES - 1 - (bit >> 3)] |= 1 << (bit & 7);
  }
}

/** The bloom of a receipt's (or a block's) logs: address (20 bytes) and every topic (32 bytes). */
export function logsBloom(logs: readonly Log[]): Uint8Array {
  const bloom = new Uint8Array(BLOOM_BYTES);
  for (const log of logs) {
    setBits(bloom, bloomBits(addressBits, log.address, 20));
    for (const topic of log.topics) setBits(bloom, bloomBits(topicBits, topic, 32));
  }
  return bloom;
}

/** Whether `value` (a 20-byte address or a 32-byte topic) may be in the bloom: false means surely not. */
export function bloomIncludes(bloom: Uint8Array, value: Uint8Array): boolean {
  return bloomHasPositions(bloom, bloomPositions(value));
}

/**
 * The three bloom bits `value` (a 20-byte address or a 32-byte topic) sets: a log filter computes them
 * once per query and tests each block's bloom with bloomHasPositions, without hashing again.
 */
export function bloomPositions(value: Uint8Array): [number, number, number] {
  const h = keccak256(value);
  const bit = (i: number) => ((h[i]! << 8) | h[i + 1]!) & 2047;
  return [bit(0), bit(2), bit(4)];
}

/** Whether all three bits are set in the bloom: false means `value` is surely not in it. */
export function bloomHasPositions(bloom: Uint8Array, positions: readonly [number, number, number]): boolean {
  for (const bit of positions) {
    if ((bloom[BLOOM_BYTES - 1 - (bit >> 3)]! & (1 << (bit & 7))) === 0) return false;
  }
  return true;
}

/** A block's bloom: the union of its receipts' blooms (each log is hashed once, for its receipt). */
export function unionBlooms(blooms: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(BLOOM_BYTES);
  for (const b of blooms) {
    if (b.length !== BLOOM_BYTES) throw new Error(`a bloom is ${BLOOM_BYTES} bytes`);
    for (let i = 0; i < BLOOM_BYTES; i++) out[i]! |= b[i]!;
  }
  return out;
}

/** The union of two blooms (a block's bloom is the union of its receipts'). */
export function orBloom(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length !== BLOOM_BYTES || b.length !== BLOOM_BYTES) throw new Error(`a bloom is ${BLOOM_BYTES} bytes`);
  const out = new Uint8Array(BLOOM_BYTES);
  for (let i = 0; i < BLOOM_BYTES; i++) out[i] = a[i]! | b[i]!;
  return out;
}
