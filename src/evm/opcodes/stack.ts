// 0x60-0x9f: PUSH1-32, DUP1-16, SWAP1-16.

import { SMALL_WORDS } from "../../primitives/word-view.js";
import type { Frame } from "../frame.js";
import { GAS_VERY_LOW } from "../params.js";
import type { Handler, OpcodeDef } from "./types.js";

// PUSH1 is the most common opcode; its values come from a table instead of BigInt().
function push1(f: Frame): void {
  f.stack[f.sp++] = SMALL_WORDS[f.code.bytes[f.pc]!]!;
  f.pc += 1;
}

/** The word a PUSH2-PUSH32 at `pc` pushes, decoded from the code. */
export function decodeImmediate(view: DataView, pc: number, n: number): bigint {
  let i = pc;
  let remaining = n;
  let value = 0n;
  while (remaining >= 8) {
    value = (value << 64n) | view.getBigUint64(i);
    i += 8;
    remaining -= 8;
  }
  if (remaining >= 4) {
    value = (value << 32n) | BigInt(view.getUint32(i));
    i += 4;
    remaining -= 4;
  }
  if (remaining > 0) {
    let tail = 0;
    for (let k = 0; k < remaining; k++) tail = tail * 256 + view.getUint8(i + k);
    value = (value << BigInt(remaining * 8)) | BigInt(tail);
  }
  return value;
}

function makePush(n: number): Handler {
  return (f: Frame) => {
    const code = f.code;
    const pc = f.pc;
    const ordinal = code.pushOrdinals[pc - 1]!;
    let value = code.immediates[ordinal];
    if (value === undefined) {
      value = decodeImmediate(code.view, pc, n);
      code.immediates[ordinal] = value;
    }
    f.stack[f.sp++] = value;
    f.pc = pc + n;
  };
}

function makeDup(n: number): Handler {
  return (f: Frame) => {
    const s = f.stack;
    s[f.sp] = s[f.sp - n]!;
    f.sp++;
  };
}

function makeSwap(n: number): Handler {
  return (f: Frame) => {
    const s = f.stack;
    const top = f.sp - 1;
    const tmp = s[top]!;
    s[top] = s[top - n]!;
    s[top - n] = tmp;
  };
}

export const STACK: OpcodeDef[] = [];
for (let n = 1; n <= 32; n++) {
  const handler = n === 1 ? push1 : makePush(n);
  STACK.push({ opcode: 0x5f + n, name: `PUSH${n}`, gas: GAS_VERY_LOW, pops: 0, pushes: 1, handler });
}
for (let n = 1; n <= 16; n++) {
  STACK.push({ opcode: 0x7f + n, name: `DUP${n}`, gas: GAS_VERY_LOW, pops: n, pushes: n + 1, handler: makeDup(n) });
}
for (let n = 1; n <= 16; n++) {
  STACK.push({
    opcode: 0x8f + n,
    name: `SWAP${n}`,
    gas: GAS_VERY_LOW,
    pops: n + 1,
    pushes: n + 1,
    handler: makeSwap(n),
  });
}
