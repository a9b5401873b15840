// How the page writes chain values: quantities as decimals, wei as ether, hashes shortened.
import { formatEther } from "viem";

export type Hex = `0x${string}`;

/** A JSON-RPC quantity ("0x1a") as a bigint. */
export function quantity(hex: string): bigint {
  return BigInt(hex);
}

/** A JSON-RPC quantity as a number (block numbers, counts, gas of one block). */
export function num(hex: string): number {
  return Number(BigInt(hex));
}

/** "0x1234…cdef": the first and last 4 hex digits. */
export function short(hash: string): string {
  return hash.length <= 14 ? hash : `${hash.slice(0, 6)}…${hash.slice(-4)}`;
}

/** Wei as ether, with the unit. */
export function ether(wei: bigint | string): string {
  return `${formatEther(typeof wei === "string" ? BigInt(wei) : wei)} ETH`;
}

/** A count with thousands separators. */
export function count(n: number | bigint): string {
  return n.toLocaleString("en-US");
}

/** How long ago a unix time (seconds) was, from `nowMs`. */
export function ago(unixSeconds: number, nowMs: number): string {
  const seconds = Math.max(0, Math.round(nowMs / 1000 - unixSeconds));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  return `${Math.floor(seconds / 3600)} h ago`;
}

/** True for a 20-byte address as 0x-hex. */
export function isAddress(text: string): boolean {
  return /^0x[0-9a-fA-F]{40}$/.test(text);
}

/** True for a 32-byte hash as 0x-hex. */
export function isHash(text: string): boolean {
  return /^0x[0-9a-fA-F]{64}$/.test(text);
}

/** The length in bytes of 0x-hex data. */
export function byteLength(hex: string): number {
  return Math.max(0, (hex.length - 2) / 2);
}
