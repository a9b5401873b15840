// Hot basic blocks translated into JavaScript functions, cached with the code's analysis (so per code
// hash). The interpreter loop (interpreter.ts) charges a block's static gas and checks its stack
// bounds before either runs it opcode by opcode or calls its function, so a function does only what
// the handlers would: stack shuffles, constants and plain word arithmetic inline, at stack offsets
// fixed when the block is compiled, and every other opcode through its own handler, called directly
// (one call site per opcode, which V8 can inline) with the frame's pc and sp set as the loop would.
// The plain loop stays the reference: the GeneralStateTests run both ways.
import type { AnalyzedCode } from "./analysis.js";
import type { Frame } from "./frame.js";
import { HANDLERS, STACK_DELTA } from "./opcodes/index.js";
import { decodeImmediate } from "./opcodes/stack.js";
import { MAX_U256, TWO_256 } from "./opcodes/types.js";

export type CompiledBlock = (f: Frame) => void;

/**
 * When blocks are compiled. Compiled code is much larger than the bytecode it replaces, and a block
 * that is called rarely gains nothing while its code crowds the CPU's caches: measured on the ERC-3643
 * workload (12,300 opcodes a transaction over ~2,000 blocks), compiling every block made execution
 * 1.5x slower, and a budget of 1,500 opcodes made it slightly faster; loops (the vs-anvil probes)
 * gained 1.1-1.45x. So a block is compiled once it has run `threshold` times, while the thread's
 * compiled opcodes stay within `budget` (deployed code only: initcode runs once). The analysis cache
 * hands the budget back when it drops its entries.
 */
export interface CompilePolicy {
  /** Runs of a block before it is compiled; 0: never. */
  threshold: number;
  /** Most opcodes compiled in this thread at once. */
  budget: number;
}

export const DEFAULT_COMPILE_POLICY: CompilePolicy = { threshold: 64, budget: 1500 };

let policy: CompilePolicy = DEFAULT_COMPILE_POLICY;
let compiledOps = 0;

/** Sets this thread's policy (the GeneralStateTests compile every block to prove it equal to the loop). */
export function setCompilePolicy(next: CompilePolicy): void {
  policy = next;
}

export function compileThreshold(): number {
  return policy.threshold;
}

/** Takes `ops` from the budget; false where that would overspend it. */
export function reserveCompiled(ops: number): boolean {
  if (compiledOps + ops > policy.budget) return false;
  compiledOps += ops;
  return true;
}

/** Every compiled block was dropped (the analysis cache emptied). */
export function releaseCompiled(): void {
  compiledOps = 0;
}

/** Stack slot `depth` below the top, at height `height` above the entry stack pointer `sp`. */
function slot(height: number, depth: number): string {
  const offset = height - 1 - depth;
  return offset === 0 ? "s[sp]" : offset > 0 ? `s[sp + ${offset}]` : `s[sp - ${-offset}]`;
}

/** Source of one opcode done inline, or undefined where its handler runs it. */
function inline(op: number, h: number, constant: () => string): string | undefined {
  const a = slot(h, 0);
  const b = slot(h, 1);
  if (op === 0x5b) return "";
  if (op === 0x50) return "";
  if (op === 0x5f) return `${slot(h + 1, 0)} = 0n;`;
  if (op >= 0x60 && op <= 0x7f) return `${slot(h + 1, 0)} = ${constant()};`;
  if (op >= 0x80 && op <= 0x8f) return `${slot(h + 1, 0)} = ${slot(h, op - 0x80)};`;
  if (op >= 0x90 && op <= 0x9f) {
    const other = slot(h, op - 0x8f);
    return `{ const t = ${a}; ${a} = ${other}; ${other} = t; }`;
  }
  switch (op) {
    case 0x01:
      return `{ const r = ${a} + ${b}; ${b} = r > M ? r - T : r; }`;
    case 0x02:
      return `{ const r = ${a} * ${b}; ${b} = r > M ? r & M : r; }`;
    case 0x03:
      return `{ const x = ${a}, y = ${b}; ${b} = x >= y ? x - y : x - y + T; }`;
    case 0x10:
      return `${b} = ${a} < ${b} ? 1n : 0n;`;
    case 0x11:
      return `${b} = ${a} > ${b} ? 1n : 0n;`;
    case 0x14:
      return `${b} = ${a} === ${b} ? 1n : 0n;`;
    case 0x15:
      return `${a} = ${a} === 0n ? 1n : 0n;`;
    case 0x16:
      return `${b} = ${a} & ${b};`;
    case 0x17:
      return `${b} = ${a} | ${b};`;
    case 0x18:
      return `${b} = ${a} ^ ${b};`;
    case 0x19:
      return `${a} = M ^ ${a};`;
    case 0x1b:
      return `{ const n = ${a}; if (n < 256n) { const r = ${b} << n; ${b} = r > M ? r & M : r; } else ${b} = 0n; }`;
    case 0x1c:
      return `{ const n = ${a}; ${b} = n < 256n ? ${b} >> n : 0n; }`;
    default:
      return undefined;
  }
}

/** The function for the block starting at `start` with `ops` opcodes. */
export function compileBlock(code: AnalyzedCode, start: number, ops: number): CompiledBlock {
  const bytes = code.bytes;
  const constants: bigint[] = [];
  const handlers = new Set<number>();
  const lines: string[] = ["const s = f.stack;", "const sp = f.sp;"];
  let pc = start;
  let h = 0;
  let synced = true;
  for (let i = 0; i < ops; i++) {
    const op = bytes[pc]!;
    const width = op >= 0x60 && op <= 0x7f ? op - 0x5f : 0;
    const next = pc + 1 + width;
    const source = inline(op, h, () => {
      constants.push(decodeImmediate(code.view, pc + 1, width));
      return `K${constants.length - 1}`;
    });
    if (source === undefined) {
      handlers.add(op);
      lines.push(`f.sp = sp + ${h}; f.pc = ${next}; H${op}(f);`);
      synced = true;
    } else {
      if (source !== "") lines.push(source);
      synced = false;
    }
    h += STACK_DELTA[op]!;
    pc = next;
  }
  // A handler at the end set pc and sp itself (a jump may have moved pc); inline opcodes did not.
  if (!synced) lines.push(`f.sp = sp + ${h}; f.pc = ${pc};`);
  const prelude = [
    ...[...handlers].map((op) => `const H${op} = HANDLERS[${op}];`),
    ...constants.map((_, k) => `const K${k} = CONSTANTS[${k}];`),
  ];
  const factory = new Function(
    "HANDLERS",
    "CONSTANTS",
    "M",
    "T",
    `"use strict";\n${prelude.join("\n")}\nreturn function block(f) {\n${lines.join("\n")}\n};`,
  );
  return factory(HANDLERS, constants, MAX_U256, TWO_256) as CompiledBlock;
}
