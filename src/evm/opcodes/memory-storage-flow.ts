// 0x50-0x5e: memory, storage (persistent and transient), jumps and frame introspection.
import { low32 } from "../../primitives/word-view.js";
import { type Frame, INVALID_JUMP, OUT_OF_GAS, WRITE_IN_STATIC, wordCount } from "../frame.js";
import { checkInterrupt } from "../interrupt.js";
import {
  GAS_BASE,
  GAS_CALL_STIPEND,
  GAS_COLD_SLOAD,
  GAS_COPY,
  GAS_HIGH,
  GAS_JUMPDEST,
  GAS_MID,
  GAS_STORAGE_CLEAR_REFUND,
  GAS_STORAGE_SET,
  GAS_STORAGE_UPDATE,
  GAS_VERY_LOW,
  GAS_WARM_ACCESS,
} from "../params.js";
import { type OpcodeDef, readWord, sizeWord, writeWord } from "./types.js";

function pop(f: Frame): void {
  f.sp--;
}

function mload(f: Frame): void {
  const s = f.stack;
  const offset = f.wordRange(s[f.sp - 1]!);
  s[f.sp - 1] = readWord(f, offset);
}

function mstore(f: Frame): void {
  const s = f.stack;
  const offset = f.wordRange(s[--f.sp]!);
  writeWord(f, offset, s[--f.sp]!);
}

function mstore8(f: Frame): void {
  const s = f.stack;
  const offset = f.memoryRange(s[--f.sp]!, 1n);
  f.memory[offset] = low32(s[--f.sp]!) & 0xff;
}

function sload(f: Frame): void {
  const s = f.stack;
  const key = s[f.sp - 1]!;
  const journal = f.evm.journal;
  const account = f.account();
  // Charged before the value is read, so an SLOAD without the gas for it reads nothing.
  const loaded = account.storage.get(key);
  const cold = loaded === undefined ? !account.warmSlots.has(key) : !loaded.warm;
  if (cold) f.useGas(GAS_COLD_SLOAD - GAS_WARM_ACCESS);
  const slot = loaded ?? journal.loadSlot(account, key);
  if (cold) journal.warmSlot(slot);
  s[f.sp - 1] = slot.current;
}

function sstore(f: Frame): void {
  const s = f.stack;
  const key = s[--f.sp]!;
  const value = s[--f.sp]!;
  // EIP-2200: no SSTORE with the call stipend or less left.
  if (f.gas <= GAS_CALL_STIPEND) throw OUT_OF_GAS;
  const journal = f.evm.journal;
  const account = f.account();
  const slot = journal.slot(account, key);
  const { original, current } = slot;
  let cost = 0;
  if (!slot.warm) cost += GAS_COLD_SLOAD;
  if (original === current && current !== value) {
    cost += original === 0n ? GAS_STORAGE_SET : GAS_STORAGE_UPDATE - GAS_COLD_SLOAD;
  } else {
    cost += GAS_WARM_ACCESS;
  }
  // EIP-3529 refunds, computed before the charge as the spec does (they only count if the frame succeeds).
  let refund = 0;
  if (current !== value) {
    if (original !== 0n && current !== 0n && value === 0n) refund += GAS_STORAGE_CLEAR_REFUND;
    if (original !== 0n && current === 0n) refund -= GAS_STORAGE_CLEAR_REFUND;
    if (original === value) {
      refund +=
        original === 0n ? GAS_STORAGE_SET - GAS_WARM_ACCESS : GAS_STORAGE_UPDATE - GAS_COLD_SLOAD - GAS_WARM_ACCESS;
    }
  }
  f.useGas(cost);
  if (f.isStatic) throw WRITE_IN_STATIC;
  journal.warmSlot(slot);
  journal.refund += refund;
  journal.setSlot(slot, value);
}

/** Where a JUMP or JUMPI to `dest` goes; throws where that is no JUMPDEST. Every loop takes a jump, so the interrupt is checked here. */
export function jumpTarget(f: Frame, dest: bigint): number {
  const pc = dest > 0xffffffffn ? -1 : low32(dest);
  // Past the code, `jumpdests` reads undefined: one check covers both.
  if (f.code.jumpdests[pc] !== 1) throw INVALID_JUMP;
  checkInterrupt();
  return pc;
}

function jump(f: Frame): void {
  f.pc = jumpTarget(f, f.stack[--f.sp]!);
}

function jumpi(f: Frame): void {
  const s = f.stack;
  const dest = s[--f.sp]!;
  const condition = s[--f.sp]!;
  if (condition !== 0n) f.pc = jumpTarget(f, dest);
}

function pc(f: Frame): void {
  // The loop has already stepped past this opcode.
  f.stack[f.sp++] = sizeWord(f.pc - 1);
}

function msize(f: Frame): void {
  f.stack[f.sp++] = sizeWord(f.memoryWords * 32);
}

function gas(f: Frame): void {
  f.stack[f.sp++] = sizeWord(f.gas);
}

function jumpdest(_f: Frame): void {}

function tload(f: Frame): void {
  const s = f.stack;
  s[f.sp - 1] = f.evm.journal.getTransient(f.address, s[f.sp - 1]!);
}

function tstore(f: Frame): void {
  if (f.isStatic) throw WRITE_IN_STATIC;
  const s = f.stack;
  const key = s[--f.sp]!;
  f.evm.journal.setTransient(f.address, key, s[--f.sp]!);
}

function mcopy(f: Frame): void {
  const s = f.stack;
  const dest = s[--f.sp]!;
  const src = s[--f.sp]!;
  const size = s[--f.sp]!;
  if (size === 0n) return;
  // Expansion covers whichever of the two ranges reaches further.
  f.memoryRange(dest > src ? dest : src, size);
  const length = low32(size);
  f.useGas(GAS_COPY * wordCount(length));
  const from = low32(src);
  f.memory.copyWithin(low32(dest), from, from + length);
}

function push0(f: Frame): void {
  f.stack[f.sp++] = 0n;
}

export const MEMORY_STORAGE_FLOW: OpcodeDef[] = [
  { opcode: 0x50, name: "POP", gas: GAS_BASE, pops: 1, pushes: 0, handler: pop },
  { opcode: 0x51, name: "MLOAD", gas: GAS_VERY_LOW, pops: 1, pushes: 1, handler: mload },
  { opcode: 0x52, name: "MSTORE", gas: GAS_VERY_LOW, pops: 2, pushes: 0, handler: mstore },
  { opcode: 0x53, name: "MSTORE8", gas: GAS_VERY_LOW, pops: 2, pushes: 0, handler: mstore8 },
  { opcode: 0x54, name: "SLOAD", gas: GAS_WARM_ACCESS, pops: 1, pushes: 1, handler: sload },
  { opcode: 0x55, name: "SSTORE", gas: 0, pops: 2, pushes: 0, handler: sstore },
  { opcode: 0x56, name: "JUMP", gas: GAS_MID, pops: 1, pushes: 0, handler: jump },
  { opcode: 0x57, name: "JUMPI", gas: GAS_HIGH, pops: 2, pushes: 0, handler: jumpi },
  { opcode: 0x58, name: "PC", gas: GAS_BASE, pops: 0, pushes: 1, handler: pc },
  { opcode: 0x59, name: "MSIZE", gas: GAS_BASE, pops: 0, pushes: 1, handler: msize },
  { opcode: 0x5a, name: "GAS", gas: GAS_BASE, pops: 0, pushes: 1, handler: gas },
  { opcode: 0x5b, name: "JUMPDEST", gas: GAS_JUMPDEST, pops: 0, pushes: 0, handler: jumpdest },
  { opcode: 0x5c, name: "TLOAD", gas: GAS_WARM_ACCESS, pops: 1, pushes: 1, handler: tload },
  { opcode: 0x5d, name: "TSTORE", gas: GAS_WARM_ACCESS, pops: 2, pushes: 0, handler: tstore },
  { opcode: 0x5e, name: "MCOPY", gas: GAS_VERY_LOW, pops: 3, pushes: 0, handler: mcopy },
  { opcode: 0x5f, name: "PUSH0", gas: GAS_BASE, pops: 0, pushes: 1, handler: push0 },
];
