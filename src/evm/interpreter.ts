// The interpreter loop: per basic block (analysis.ts), charge its static gas and check the stack
// bounds once, then run the block's compiled function if it has one (a hot block gets one, see
// block-compiler.ts) or dispatch its opcodes; dynamic gas is charged inside each handler. A block whose
// checks fail runs one opcode at a time with the same checks per opcode, so the halt (and which
// opcode it names) is exactly what it would be: the block's own gas and bounds are never a guess.
// Synchronous, no allocation per step. A frame traced step by step runs the second loop instead
// (TracedEvm picks it per frame), so the plain loop carries no tracing check.
import { compileBlock, compileThreshold } from "./block-compiler.js";
import { ExceptionalHalt, type Frame, FrameStatus, OUT_OF_GAS, STACK_OVERFLOW, STACK_UNDERFLOW } from "./frame.js";
import { HANDLERS, STACK_MAX, STACK_MIN, STATIC_GAS } from "./opcodes/index.js";
import type { EvmTracer } from "./tracing/types.js";

/** Runs until STOP/RETURN/REVERT; throws an ExceptionalHalt on any exceptional halt. */
export function runFrame(f: Frame): void {
  const analyzed = f.code;
  const code = analyzed.bytes;
  const { at, gas, ops, minStack, maxStack, runs, compiled } = analyzed.blocks;
  const threshold = compileThreshold();
  while (f.status === FrameStatus.Running) {
    const block = at[f.pc]! - 1;
    const sp = f.sp;
    if (block < 0 || f.gas < gas[block]! || sp < minStack[block]! || sp > maxStack[block]!) {
      step(f, code[f.pc]!);
      continue;
    }
    f.gas -= gas[block]!;
    const run = compiled[block];
    if (run !== undefined) {
      run(f);
      continue;
    }
    if (++runs[block] === threshold && analyzed.blocks.compilable) {
      const compiledBlock = compileBlock(analyzed, f.pc);
      if (compiledBlock !== undefined) {
        compiled[block] = compiledBlock;
        // Run at once: with a threshold of 1 (the GeneralStateTests) every block then runs compiled.
        compiledBlock(f);
        continue;
      }
    }
    for (let n = ops[block]!; n > 0; n--) HANDLERS[code[f.pc++]!]!(f);
  }
}

/** One opcode with its own checks: inside a block whose checks failed, and past the end of the code. */
function step(f: Frame, op: number): void {
  const gas = STATIC_GAS[op]!;
  if (f.gas < gas) throw OUT_OF_GAS;
  f.gas -= gas;
  const sp = f.sp;
  if (sp < STACK_MIN[op]!) throw STACK_UNDERFLOW;
  if (sp > STACK_MAX[op]!) throw STACK_OVERFLOW;
  f.pc++;
  HANDLERS[op]!(f);
}

/**
 * The same steps with the tracer's hooks around each. Stack bounds are checked before gas, as geth
 * does: the halt is the same either way, and its message then matches geth's.
 */
export function runFrameTraced(f: Frame, tracer: EvmTracer): void {
  const code = f.code.bytes;
  let op = 0;
  let gasBefore = 0;
  try {
    while (f.status === FrameStatus.Running) {
      const pc = f.pc;
      op = code[pc]!;
      gasBefore = f.gas;
      tracer.onOpcode!(f, pc, op, gasBefore);
      const sp = f.sp;
      if (sp < STACK_MIN[op]!) throw STACK_UNDERFLOW;
      if (sp > STACK_MAX[op]!) throw STACK_OVERFLOW;
      const gas = STATIC_GAS[op]!;
      if (f.gas < gas) throw OUT_OF_GAS;
      f.gas -= gas;
      f.pc++;
      HANDLERS[op]!(f);
      tracer.onOpcodeEnd?.(f, op, gasBefore);
    }
  } catch (error) {
    // Only this frame's own halts arrive here: a callee's are settled by its own Evm.finish.
    if (error instanceof ExceptionalHalt) tracer.onFault?.(f, op, gasBefore, error);
    throw error;
  }
}
