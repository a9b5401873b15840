// Hot basic blocks translated into JavaScript functions, cached with the code's analysis (so per code
// hash). The interpreter loop (interpreter.ts) charges a block's static gas and checks its stack
// bounds before either runs it opcode by opcode or calls its function, so a function does only what
// the handlers would: stack shuffles, constants and plain word arithmetic inline, on values kept in
// locals (the stack array is written only before a handler and at the end), and every other opcode
// through its own handler, called directly with the frame's pc and sp set as the loop would.
// The plain loop stays the reference: the GeneralStateTests run both ways.
import type { AnalyzedCode } from "./analysis.js";
import type { Frame } from "./frame.js";
import { addWords, divWords, modWords, mulWords, subWords } from "./opcodes/arithmetic.js";
import { shlWord, shrWord } from "./opcodes/bitwise.js";
import { callDataWord } from "./opcodes/environment.js";
import { HANDLERS, STACK_DELTA } from "./opcodes/index.js";
import { jumpTarget } from "./opcodes/memory-storage-flow.js";
import { decodeImmediate } from "./opcodes/stack.js";
import { MAX_U256, readWord, writeWord } from "./opcodes/types.js";

export type CompiledBlock = (f: Frame) => void;

/**
 * When blocks are compiled. Compiled code is much larger than the bytecode it replaces, and a block
 * that is called rarely gains nothing while its code crowds the CPU's caches: measured on the ERC-3643
 * workload (12,300 opcodes a transaction over ~2,000 blocks), compiling every block made execution
 * 1.5x slower, while a budget of 1,500-3,000 opcodes made it 1.1-1.2x faster, and Uniswap swaps as
 * much; loops (the vs-anvil probes) gained 1.1-1.6x. So a block is compiled once it has run
 * `threshold` times, while the thread's compiled opcodes stay within `budget` (deployed code only:
 * initcode runs once). The analysis cache hands the budget back when it drops its entries.
 */
export interface CompilePolicy {
  /** Runs of a block before it is compiled; 0: never. */
  threshold: number;
  /** Most opcodes compiled in this thread at once. */
  budget: number;
}

export const DEFAULT_COMPILE_POLICY: CompilePolicy = { threshold: 64, budget: 3000 };

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

/** What compiled code calls: the handlers' own word arithmetic and memory, call data and jump helpers. */
const HELPERS = {
  M: MAX_U256,
  addWords,
  mulWords,
  subWords,
  divWords,
  modWords,
  shlWord,
  shrWord,
  readWord,
  writeWord,
  callDataWord,
  jumpTarget,
};

/**
 * The block's stack as the compiler sees it: a position (relative to the entry stack pointer, so
 * negative below it) holds the name of a local, a constant, or nothing yet (the value is still in
 * the frame's stack array, loaded into a local on first use). Values are immutable BigInts, so
 * DUP and SWAP only move names; the array is written back only before a handler runs and at the
 * end, and only where a position's value changed.
 */
class SymbolicStack {
  private readonly names = new Map<number, string>();
  private readonly loaded = new Map<number, string>();
  height = 0;
  private locals = 0;

  constructor(private readonly lines: string[]) {}

  /** The name of the value `depth` below the top. */
  peek(depth: number): string {
    const at = this.height - 1 - depth;
    const name = this.names.get(at);
    if (name !== undefined) return name;
    const local = `e${this.locals++}`;
    this.lines.push(`const ${local} = s[${position(at)}];`);
    this.names.set(at, local);
    this.loaded.set(at, local);
    return local;
  }

  pop(): string {
    const name = this.peek(0);
    this.names.delete(this.height - 1);
    this.height--;
    return name;
  }

  push(name: string): void {
    this.names.set(this.height, name);
    this.height++;
  }

  /** A statement in the block's order. */
  emit(line: string): void {
    this.lines.push(line);
  }

  /** A new local holding `expression`, for results. */
  local(expression: string): string {
    const name = `v${this.locals++}`;
    this.lines.push(`let ${name} = ${expression};`);
    return name;
  }

  swap(depth: number): void {
    const top = this.peek(0);
    const other = this.peek(depth);
    this.names.set(this.height - 1, other);
    this.names.set(this.height - 1 - depth, top);
  }

  /** Writes back every changed position below the height; afterwards the array holds the stack. */
  sync(): void {
    for (const [at, name] of this.names) {
      if (at < this.height && this.loaded.get(at) !== name) this.lines.push(`s[${position(at)}] = ${name};`);
    }
    this.names.clear();
    this.loaded.clear();
  }
}

function position(at: number): string {
  return at === 0 ? "sp" : at > 0 ? `sp + ${at}` : `sp - ${-at}`;
}

/** Compiles one opcode inline onto the symbolic stack; false where its handler must run it. */
function inline(op: number, stack: SymbolicStack, constant: () => string): boolean {
  if (op === 0x5b) return true;
  if (op === 0x50) {
    stack.pop();
    return true;
  }
  if (op === 0x5f) {
    stack.push("0n");
    return true;
  }
  if (op >= 0x60 && op <= 0x7f) {
    stack.push(constant());
    return true;
  }
  if (op >= 0x80 && op <= 0x8f) {
    stack.push(stack.peek(op - 0x80));
    return true;
  }
  if (op >= 0x90 && op <= 0x9f) {
    stack.swap(op - 0x8f);
    return true;
  }
  if (op === 0x52) {
    const offset = stack.pop();
    const value = stack.pop();
    stack.emit(`writeWord(f, f.wordRange(${offset}), ${value});`);
    return true;
  }
  const expression = binaryOrUnary(op, stack);
  if (expression === undefined) return false;
  stack.push(expression);
  return true;
}

/** The result of an inline opcode that pushes one value (its operands popped), as a local. */
function binaryOrUnary(op: number, stack: SymbolicStack): string | undefined {
  switch (op) {
    case 0x30:
      return stack.local("f.address");
    case 0x33:
      return stack.local("f.caller");
    case 0x34:
      return stack.local("f.value");
    case 0x36:
      return stack.local("BigInt(f.data.length)");
    case 0x35:
      return stack.local(`callDataWord(f, ${stack.pop()})`);
    case 0x51:
      // wordRange runs before readWord reads the view (expansion replaces it).
      return stack.local(`readWord(f, f.wordRange(${stack.pop()}))`);
    case 0x15:
      return stack.local(`${stack.pop()} === 0n ? 1n : 0n`);
    case 0x19:
      return stack.local(`M ^ ${stack.pop()}`);
    case 0x01:
    case 0x02:
    case 0x03:
    case 0x04:
    case 0x06:
    case 0x10:
    case 0x11:
    case 0x14:
    case 0x16:
    case 0x17:
    case 0x18:
    case 0x1b:
    case 0x1c:
      break;
    default:
      return undefined;
  }
  const a = stack.pop();
  const b = stack.pop();
  switch (op) {
    case 0x01:
      return stack.local(`addWords(${a}, ${b})`);
    case 0x02:
      return stack.local(`mulWords(${a}, ${b})`);
    case 0x03:
      return stack.local(`subWords(${a}, ${b})`);
    case 0x04:
      return stack.local(`divWords(${a}, ${b})`);
    case 0x06:
      return stack.local(`modWords(${a}, ${b})`);
    case 0x10:
      return stack.local(`${a} < ${b} ? 1n : 0n`);
    case 0x11:
      return stack.local(`${a} > ${b} ? 1n : 0n`);
    case 0x14:
      return stack.local(`${a} === ${b} ? 1n : 0n`);
    case 0x16:
      return stack.local(`${a} & ${b}`);
    case 0x17:
      return stack.local(`${a} | ${b}`);
    case 0x18:
      return stack.local(`${a} ^ ${b}`);
    case 0x1b:
      return stack.local(`shlWord(${a}, ${b})`);
    default:
      return stack.local(`shrWord(${a}, ${b})`);
  }
}

/** The function for the block starting at `start` with `ops` opcodes. */
export function compileBlock(code: AnalyzedCode, start: number, ops: number): CompiledBlock {
  const bytes = code.bytes;
  const constants: bigint[] = [];
  const handlers = new Set<number>();
  const lines: string[] = ["const s = f.stack;", "const sp = f.sp;"];
  const stack = new SymbolicStack(lines);
  let pc = start;
  let synced = true;
  for (let i = 0; i < ops; i++) {
    const op = bytes[pc]!;
    const width = op >= 0x60 && op <= 0x7f ? op - 0x5f : 0;
    const next = pc + 1 + width;
    if (op === 0x56 || op === 0x57) {
      // A jump ends its block: the stack is written back, then pc set (a JUMPI not taken falls through).
      const dest = stack.pop();
      const condition = op === 0x57 ? stack.pop() : undefined;
      stack.sync();
      lines.push(`f.sp = sp + ${stack.height};`);
      lines.push(
        condition === undefined
          ? `f.pc = jumpTarget(f, ${dest});`
          : `f.pc = ${condition} !== 0n ? jumpTarget(f, ${dest}) : ${next};`,
      );
      synced = true;
      pc = next;
      continue;
    }
    const done = inline(op, stack, () => {
      constants.push(decodeImmediate(code.view, pc + 1, width));
      return `K${constants.length - 1}`;
    });
    if (done) synced = false;
    else {
      stack.sync();
      handlers.add(op);
      lines.push(`f.sp = sp + ${stack.height}; f.pc = ${next}; H${op}(f);`);
      stack.height += STACK_DELTA[op]!;
      synced = true;
    }
    pc = next;
  }
  // A handler at the end set pc and sp itself (a jump may have moved pc); inline opcodes did not.
  if (!synced) {
    stack.sync();
    lines.push(`f.sp = sp + ${stack.height}; f.pc = ${pc};`);
  }
  const prelude = [
    `const { ${Object.keys(HELPERS).join(", ")} } = HELPERS;`,
    ...[...handlers].map((op) => `const H${op} = HANDLERS[${op}];`),
    ...constants.map((_, k) => `const K${k} = CONSTANTS[${k}];`),
  ];
  const factory = new Function(
    "HELPERS",
    "HANDLERS",
    "CONSTANTS",
    `"use strict";\n${prelude.join("\n")}\nreturn function block(f) {\n${lines.join("\n")}\n};`,
  );
  return factory(HELPERS, HANDLERS, constants) as CompiledBlock;
}
