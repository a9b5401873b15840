// Geth's names for opcodes and its messages for failed frames, so traces read as geth's do.
import {
  CODE_SIZE_EXCEEDED,
  CODE_STORE_OUT_OF_GAS,
  type ExceptionalHalt,
  type Frame,
  INITCODE_SIZE_EXCEEDED,
  INVALID_CONTRACT_PREFIX,
  INVALID_JUMP,
  INVALID_OPCODE,
  OUT_OF_GAS,
  RETURN_DATA_OUT_OF_BOUNDS,
  STACK_OVERFLOW,
  STACK_UNDERFLOW,
  WRITE_IN_STATIC,
} from "../frame.js";
import { OPCODES, STACK_MAX, STACK_MIN } from "../opcodes/index.js";
import { ERR_OUT_OF_GAS } from "./messages.js";

/** geth's opcode names: ours, except 0x44, which geth still calls DIFFICULTY; undefined ones as geth prints them. */
export const GETH_OPCODE_NAMES: string[] = Array.from(
  { length: 256 },
  (_, i) => `opcode 0x${i.toString(16)} not defined`,
);
for (const def of OPCODES) GETH_OPCODE_NAMES[def.opcode] = def.name;
GETH_OPCODE_NAMES[0x44] = "DIFFICULTY";

const SIMPLE = new Map<ExceptionalHalt, string>([
  [OUT_OF_GAS, ERR_OUT_OF_GAS],
  [INVALID_JUMP, "invalid jump destination"],
  [WRITE_IN_STATIC, "write protection"],
  [RETURN_DATA_OUT_OF_BOUNDS, "return data out of bounds"],
  [INVALID_CONTRACT_PREFIX, "invalid code: must not begin with 0xef"],
  [CODE_SIZE_EXCEEDED, "max code size exceeded"],
  [CODE_STORE_OUT_OF_GAS, "contract creation code storage out of gas"],
  [INITCODE_SIZE_EXCEEDED, "max initcode size exceeded"],
]);

/**
 * geth's message for a halt of `frame`, read from the frame as the halt left it: stack checks fail
 * before the program counter moves past the opcode, an invalid opcode after.
 */
export function haltMessage(halt: ExceptionalHalt, frame: Frame | undefined): string {
  const simple = SIMPLE.get(halt);
  if (simple !== undefined) return simple;
  if (frame !== undefined) {
    const code = frame.code.bytes;
    if (halt === STACK_UNDERFLOW) return `stack underflow (${frame.sp} <=> ${STACK_MIN[code[frame.pc]!]})`;
    if (halt === STACK_OVERFLOW) return `stack limit reached ${frame.sp} (${STACK_MAX[code[frame.pc]!]})`;
    if (halt === INVALID_OPCODE) return `invalid opcode: ${GETH_OPCODE_NAMES[code[frame.pc - 1]!]}`;
  }
  return halt.reason;
}
