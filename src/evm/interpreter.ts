// The interpreter loop: fetch, charge static gas, check stack bounds, dispatch. Synchronous, no
// allocation per step; dynamic gas is charged inside each handler.
import { type Frame, FrameStatus, OUT_OF_GAS, STACK_OVERFLOW, STACK_UNDERFLOW } from "./frame.js";
import { HANDLERS, STACK_MAX, STACK_MIN, STATIC_GAS } from "./opcodes/index.js";

/** Runs until STOP/RETURN/REVERT; throws an ExceptionalHalt on any exceptional halt. */
export function runFrame(f: Frame): void {
  const code = f.code.bytes;
  while (f.status === FrameStatus.Running) {
    const op = code[f.pc]!;
    const gas = STATIC_GAS[op]!;
    if (f.gas < gas) throw OUT_OF_GAS;
    f.gas -= gas;
    const sp = f.sp;
    if (sp < STACK_MIN[op]!) throw STACK_UNDERFLOW;
    if (sp > STACK_MAX[op]!) throw STACK_OVERFLOW;
    f.pc++;
    HANDLERS[op]!(f);
  }
}
