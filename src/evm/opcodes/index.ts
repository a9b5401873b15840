// The Cancun jump table: 256 handlers, a static gas table and stack bounds, built once at load.
import { type Frame, INVALID_OPCODE } from "../frame.js";
import { STACK_LIMIT } from "../params.js";
import { ARITHMETIC } from "./arithmetic.js";
import { BITWISE } from "./bitwise.js";
import { BLOCK } from "./block.js";
import { ENVIRONMENT } from "./environment.js";
import { LOG } from "./log.js";
import { MEMORY_STORAGE_FLOW } from "./memory-storage-flow.js";
import { STACK } from "./stack.js";
import { SYSTEM } from "./system.js";
import type { Handler, OpcodeDef } from "./types.js";

export const OPCODES: OpcodeDef[] = [
  ...ARITHMETIC,
  ...BITWISE,
  ...ENVIRONMENT,
  ...BLOCK,
  ...MEMORY_STORAGE_FLOW,
  ...STACK,
  ...LOG,
  ...SYSTEM,
];

function undefinedOpcode(_f: Frame): void {
  throw INVALID_OPCODE;
}

export const HANDLERS: Handler[] = new Array(256).fill(undefinedOpcode);
export const STATIC_GAS = new Int32Array(256);
/** Fewest stack items the opcode needs. */
export const STACK_MIN = new Int32Array(256);
/** Most stack items there may be before the opcode without overflowing. */
export const STACK_MAX = new Int32Array(256).fill(STACK_LIMIT);
/** Items pushed minus items popped. */
export const STACK_DELTA = new Int32Array(256);
/**
 * 1 where a basic block ends after this opcode (analysis.ts): it jumps or halts (or is undefined),
 * or it reads the gas left (GAS, SSTORE's stipend check, the calls and creations), which must not
 * include the static gas of the opcodes after it.
 */
export const ENDS_BLOCK = new Uint8Array(256).fill(1);
export const OPCODE_NAMES: string[] = Array.from({ length: 256 }, (_, i) => `0x${i.toString(16).padStart(2, "0")}`);

const READS_GAS_OR_JUMPS = [0x00, 0x55, 0x56, 0x57, 0x5a, 0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xfa, 0xfd, 0xfe, 0xff];

for (const def of OPCODES) {
  HANDLERS[def.opcode] = def.handler;
  STATIC_GAS[def.opcode] = def.gas;
  STACK_MIN[def.opcode] = def.pops;
  STACK_MAX[def.opcode] = STACK_LIMIT - Math.max(0, def.pushes - def.pops);
  STACK_DELTA[def.opcode] = def.pushes - def.pops;
  ENDS_BLOCK[def.opcode] = READS_GAS_OR_JUMPS.includes(def.opcode) ? 1 : 0;
  OPCODE_NAMES[def.opcode] = def.name;
}
