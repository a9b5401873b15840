// 0x20 KECCAK256, 0x30-0x3f: the executing account, its caller and call data, other accounts' code and balances.

import { keccak256WordOfView } from "../../primitives/keccak.js";
import { low32, readWordAt } from "../../primitives/word-view.js";
import { type Frame, RETURN_DATA_OUT_OF_BOUNDS, wordCount } from "../frame.js";
import {
  GAS_BASE,
  GAS_COLD_ACCOUNT_ACCESS,
  GAS_COPY,
  GAS_KECCAK256,
  GAS_KECCAK256_WORD,
  GAS_VERY_LOW,
  GAS_WARM_ACCESS,
} from "../params.js";
import { type OpcodeDef, sizeWord, toAddress, wordFromBytes } from "./types.js";

function keccak(f: Frame): void {
  const s = f.stack;
  const offset = s[--f.sp]!;
  const size = s[f.sp - 1]!;
  const start = f.memoryRange(offset, size);
  const length = low32(size);
  f.useGas(GAS_KECCAK256_WORD * wordCount(length));
  s[f.sp - 1] = keccak256WordOfView(f.view, start, length);
}

/** EIP-2929: charges the cold surcharge for an account's first touch in the transaction. */
export function chargeAccountAccess(f: Frame, address: bigint): void {
  f.useGas(f.evm.journal.warmAddress(address) ? GAS_COLD_ACCOUNT_ACCESS - GAS_WARM_ACCESS : 0);
}

function address(f: Frame): void {
  f.stack[f.sp++] = f.address;
}

function balance(f: Frame): void {
  const s = f.stack;
  const target = toAddress(s[f.sp - 1]!);
  chargeAccountAccess(f, target);
  s[f.sp - 1] = f.evm.journal.account(target).balance;
}

function origin(f: Frame): void {
  f.stack[f.sp++] = f.evm.origin;
}

function caller(f: Frame): void {
  f.stack[f.sp++] = f.caller;
}

function callvalue(f: Frame): void {
  f.stack[f.sp++] = f.value;
}

/** The call data word at `offset` (zero past the end). */
export function callDataWord(f: Frame, offset: bigint): bigint {
  const length = f.data.length;
  const start = offset > 0xffffffffn ? length : low32(offset);
  if (start + 32 <= length) return readWordAt(f.dataView, f.dataOffset + start);
  return start >= length ? 0n : wordFromBytes(f.data, start);
}

/**
 * callDataWord(f, offset) >> (192 + shift), for shift < 64: only the word's top eight bytes are read,
 * so a selector costs one BigInt instead of the ten of a whole word (compiled blocks).
 */
export function callDataTop(f: Frame, offset: bigint, shift: number): bigint {
  const data = f.data;
  const length = data.length;
  const start = offset > 0xffffffffn ? length : low32(offset);
  if (start >= length) return 0n;
  let high = 0;
  let low = 0;
  for (let i = 0; i < 4; i++) {
    high = high * 256 + (start + i < length ? data[start + i]! : 0);
    low = low * 256 + (start + 4 + i < length ? data[start + 4 + i]! : 0);
  }
  // BigInt() is a runtime call; sizeWord takes a table entry or the word-view scratch.
  if (shift >= 32) return sizeWord(high >>> (shift - 32));
  return ((BigInt(high) << 32n) | BigInt(low)) >> BigInt(shift);
}

function calldataload(f: Frame): void {
  const s = f.stack;
  s[f.sp - 1] = callDataWord(f, s[f.sp - 1]!);
}

function calldatasize(f: Frame): void {
  f.stack[f.sp++] = sizeWord(f.data.length);
}

/** Shared by CALLDATACOPY, CODECOPY, EXTCODECOPY and RETURNDATACOPY: copy with zero fill past the source end. */
function copyToMemory(f: Frame, source: Uint8Array, memOffset: bigint, srcOffset: bigint, size: bigint): void {
  const start = f.memoryRange(memOffset, size);
  const length = low32(size);
  f.useGas(GAS_COPY * wordCount(length));
  if (length === 0) return;
  const mem = f.memory;
  const from = srcOffset > 0xffffffffn ? source.length : Math.min(low32(srcOffset), source.length);
  const available = Math.min(length, source.length - from);
  if (available > 0) mem.set(source.subarray(from, from + available), start);
  if (available < length) mem.fill(0, start + Math.max(available, 0), start + length);
}

function calldatacopy(f: Frame): void {
  const s = f.stack;
  const memOffset = s[--f.sp]!;
  const dataOffset = s[--f.sp]!;
  const size = s[--f.sp]!;
  copyToMemory(f, f.data, memOffset, dataOffset, size);
}

function codesize(f: Frame): void {
  f.stack[f.sp++] = sizeWord(f.code.length);
}

function codecopy(f: Frame): void {
  const s = f.stack;
  const memOffset = s[--f.sp]!;
  const codeOffset = s[--f.sp]!;
  const size = s[--f.sp]!;
  copyToMemory(f, f.code.bytes.subarray(0, f.code.length), memOffset, codeOffset, size);
}

function gasprice(f: Frame): void {
  f.stack[f.sp++] = f.evm.gasPrice;
}

function extcodesize(f: Frame): void {
  const s = f.stack;
  const target = toAddress(s[f.sp - 1]!);
  chargeAccountAccess(f, target);
  const journal = f.evm.journal;
  s[f.sp - 1] = sizeWord(journal.code(journal.account(target)).length);
}

function extcodecopy(f: Frame): void {
  const s = f.stack;
  const target = toAddress(s[--f.sp]!);
  const memOffset = s[--f.sp]!;
  const codeOffset = s[--f.sp]!;
  const size = s[--f.sp]!;
  // Memory and copy gas are charged before the access surcharge; the total is what matters.
  chargeAccountAccess(f, target);
  const journal = f.evm.journal;
  copyToMemory(f, journal.code(journal.account(target)), memOffset, codeOffset, size);
}

function returndatasize(f: Frame): void {
  f.stack[f.sp++] = sizeWord(f.returnData.length);
}

function returndatacopy(f: Frame): void {
  const s = f.stack;
  const memOffset = s[--f.sp]!;
  const dataOffset = s[--f.sp]!;
  const size = s[--f.sp]!;
  const end = dataOffset + size;
  if (end > 0xffffffffn || low32(end) > f.returnData.length) throw RETURN_DATA_OUT_OF_BOUNDS;
  copyToMemory(f, f.returnData, memOffset, dataOffset, size);
}

function extcodehash(f: Frame): void {
  const s = f.stack;
  const target = toAddress(s[f.sp - 1]!);
  chargeAccountAccess(f, target);
  const account = f.evm.journal.account(target);
  // EIP-1052 with EIP-161: a non-existent or empty account hashes to 0.
  s[f.sp - 1] = account.isAlive() ? account.codeHash : 0n;
}

export const ENVIRONMENT: OpcodeDef[] = [
  { opcode: 0x20, name: "KECCAK256", gas: GAS_KECCAK256, pops: 2, pushes: 1, handler: keccak },
  { opcode: 0x30, name: "ADDRESS", gas: GAS_BASE, pops: 0, pushes: 1, handler: address },
  { opcode: 0x31, name: "BALANCE", gas: GAS_WARM_ACCESS, pops: 1, pushes: 1, handler: balance },
  { opcode: 0x32, name: "ORIGIN", gas: GAS_BASE, pops: 0, pushes: 1, handler: origin },
  { opcode: 0x33, name: "CALLER", gas: GAS_BASE, pops: 0, pushes: 1, handler: caller },
  { opcode: 0x34, name: "CALLVALUE", gas: GAS_BASE, pops: 0, pushes: 1, handler: callvalue },
  { opcode: 0x35, name: "CALLDATALOAD", gas: GAS_VERY_LOW, pops: 1, pushes: 1, handler: calldataload },
  { opcode: 0x36, name: "CALLDATASIZE", gas: GAS_BASE, pops: 0, pushes: 1, handler: calldatasize },
  { opcode: 0x37, name: "CALLDATACOPY", gas: GAS_VERY_LOW, pops: 3, pushes: 0, handler: calldatacopy },
  { opcode: 0x38, name: "CODESIZE", gas: GAS_BASE, pops: 0, pushes: 1, handler: codesize },
  { opcode: 0x39, name: "CODECOPY", gas: GAS_VERY_LOW, pops: 3, pushes: 0, handler: codecopy },
  { opcode: 0x3a, name: "GASPRICE", gas: GAS_BASE, pops: 0, pushes: 1, handler: gasprice },
  { opcode: 0x3b, name: "EXTCODESIZE", gas: GAS_WARM_ACCESS, pops: 1, pushes: 1, handler: extcodesize },
  { opcode: 0x3c, name: "EXTCODECOPY", gas: GAS_WARM_ACCESS, pops: 4, pushes: 0, handler: extcodecopy },
  { opcode: 0x3d, name: "RETURNDATASIZE", gas: GAS_BASE, pops: 0, pushes: 1, handler: returndatasize },
  { opcode: 0x3e, name: "RETURNDATACOPY", gas: GAS_VERY_LOW, pops: 3, pushes: 0, handler: returndatacopy },
  { opcode: 0x3f, name: "EXTCODEHASH", gas: GAS_WARM_ACCESS, pops: 1, pushes: 1, handler: extcodehash },
];
