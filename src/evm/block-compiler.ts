// Hot basic blocks translated into JavaScript functions, cached with the code's analysis (so per code
// hash). The interpreter loop (interpreter.ts) charges a block's static gas and checks its stack
// bounds before either runs it opcode by opcode or calls its function, so a function does only what
// the handlers would: stack shuffles, constants and plain word arithmetic inline, on values kept in
// locals (the stack array is written only before a handler and at the end), and every other opcode
// through its own handler, called directly with the frame's pc and sp set as the loop would.
// The plain loop stays the reference: the GeneralStateTests run both ways.
import { keccak256WordOfView } from "../primitives/keccak.js";
import type { AnalyzedCode, BasicBlocks } from "./analysis.js";
import { type Frame, wordCount } from "./frame.js";
import { checkInterrupt } from "./interrupt.js";
import {
  addModWords,
  addWords,
  divWords,
  modWords,
  mulModWords,
  mulWords,
  signExtendWord,
  subWords,
} from "./opcodes/arithmetic.js";
import { byteOfWord, sarWord, shlWord, shrWord, sltWords } from "./opcodes/bitwise.js";
import { callDataTop, callDataWord } from "./opcodes/environment.js";
import { HANDLERS, STACK_DELTA } from "./opcodes/index.js";
import { jumpTarget } from "./opcodes/memory-storage-flow.js";
import { decodeImmediate } from "./opcodes/stack.js";
import { MAX_U256, readWord, sizeWord, writeWord } from "./opcodes/types.js";
import { GAS_KECCAK256_WORD } from "./params.js";

export type CompiledBlock = (f: Frame) => void;

/**
 * When blocks are compiled. Compiled code is much larger than the bytecode it replaces, and a block
 * that is called rarely gains nothing while its code crowds the CPU's caches: measured on the ERC-3643
 * workload (12,300 opcodes a transaction over ~2,000 blocks), compiling every block made execution
 * 1.5x slower, while a budget of 1,500-3,000 opcodes made it 1.1-1.2x faster, and Uniswap swaps as
 * much; loops (the vs-anvil probes) gained 1.1-1.6x. So a block is compiled once it has run
 * `threshold` times, while the thread's compiled opcodes stay within `budget` (deployed code only:
 * initcode runs once). The analysis cache hands the budget back when it drops its entries. Since the
 * frames own their stack and memory and the journal is flat, a larger budget pays: 30,000 opcodes
 * against 3,000 measured 1.10x on ERC-3643 transfers and 1.17x on Uniswap swaps (2,000 transactions,
 * in-process, alternated, fastest of 8 runs each), where every hot block of the transaction fits.
 */
export interface CompilePolicy {
  /** Runs of a block before it is compiled; 0: never. */
  threshold: number;
  /** Most opcodes compiled in this thread at once. */
  budget: number;
}

export const DEFAULT_COMPILE_POLICY: CompilePolicy = { threshold: 64, budget: 30000 };

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
  addModWords,
  mulModWords,
  signExtendWord,
  sltWords,
  byteOfWord,
  sarWord,
  readWord,
  writeWord,
  sizeWord,
  callDataWord,
  callDataTop,
  jumpTarget,
  checkInterrupt,
  keccak256WordOfView,
};

/**
 * The block's stack as the compiler sees it: a position (relative to the entry stack pointer, so
 * negative below it) holds the name of a local, a constant, or nothing yet (the value is still in
 * the frame's stack array, loaded into a local on first use). Values are immutable BigInts, so
 * DUP and SWAP only move names; the array is written back only before a handler runs and at the
 * end, and only where a position's value changed. A call data word is read when its name is first
 * used, not where CALLDATALOAD stands (call data never changes within a frame): a SHR that keeps only
 * its top bits (a function selector) then reads those alone.
 */
class SymbolicStack {
  /** The value of each name that holds a constant (a PUSH, or an opcode folded at compile time). */
  private readonly values = new Map<string, bigint>([["0n", 0n]]);
  private readonly names = new Map<number, string>();
  private readonly loaded = new Map<number, string>();
  /** Call data words not read yet: the name of each, and the name of its offset. */
  private readonly unreadCallData = new Map<string, string>();
  height = 0;
  private locals = 0;

  constructor(
    private readonly lines: string[],
    private readonly constants: bigint[],
  ) {}

  /** A name for a constant: its value is one of the function's CONSTANTS. */
  literal(value: bigint): string {
    if (value === 0n) return "0n";
    const name = `K${this.constants.length}`;
    this.constants.push(value);
    this.values.set(name, value);
    return name;
  }

  /** The value of `name` where it is a constant. */
  valueOf(name: string): bigint | undefined {
    return this.values.get(name);
  }

  /** The constant `depth` below the top, where it is one (nothing is loaded or read). */
  constantAt(depth: number): bigint | undefined {
    const name = this.names.get(this.height - 1 - depth);
    return name === undefined ? undefined : this.values.get(name);
  }

  /** The name of the value `depth` below the top, ready to use in an expression. */
  peek(depth: number): string {
    return this.read(this.nameAt(depth));
  }

  /** The name of the value `depth` below the top, loaded from the array if it is still there. */
  private nameAt(depth: number): string {
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
    this.drop();
    return name;
  }

  /** Removes the top without loading or reading it (POP). */
  drop(): void {
    this.names.delete(this.height - 1);
    this.height--;
  }

  /** A name for the call data word at `offset` (a name), read on its first use. */
  callData(offset: string): string {
    const name = `v${this.locals++}`;
    this.unreadCallData.set(name, offset);
    return name;
  }

  /** The offset of the call data word `depth` below the top, where that word is still unread. */
  unreadCallDataAt(depth: number): string | undefined {
    const name = this.names.get(this.height - 1 - depth);
    return name === undefined ? undefined : this.unreadCallData.get(name);
  }

  /** Reads a call data word on its first use (any other name is ready as it is). */
  private read(name: string): string {
    const offset = this.unreadCallData.get(name);
    if (offset !== undefined) {
      this.lines.push(`const ${name} = callDataWord(f, ${offset});`);
      this.unreadCallData.delete(name);
    }
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

  /** DUP: the same name at the top. */
  dup(depth: number): void {
    this.push(this.nameAt(depth));
  }

  swap(depth: number): void {
    const top = this.nameAt(0);
    const other = this.nameAt(depth);
    this.names.set(this.height - 1, other);
    this.names.set(this.height - 1 - depth, top);
  }

  /** Writes back every changed position below the height; afterwards the array holds the stack. */
  sync(): void {
    for (const [at, name] of this.names) {
      if (at < this.height && this.loaded.get(at) !== name) this.lines.push(`s[${position(at)}] = ${this.read(name)};`);
    }
    this.names.clear();
    this.loaded.clear();
  }
}

function position(at: number): string {
  return at === 0 ? "sp" : at > 0 ? `sp + ${at}` : `sp - ${-at}`;
}

/** Compiles one opcode inline onto the symbolic stack; false where its handler must run it. */
function inline(op: number, stack: SymbolicStack, immediate: () => bigint): boolean {
  if (op === 0x5b) return true;
  if (op === 0x50) {
    stack.drop();
    return true;
  }
  if (op === 0x5f) {
    stack.push("0n");
    return true;
  }
  if (op >= 0x60 && op <= 0x7f) {
    stack.push(stack.literal(immediate()));
    return true;
  }
  if (op >= 0x80 && op <= 0x8f) {
    stack.dup(op - 0x80);
    return true;
  }
  if (op >= 0x90 && op <= 0x9f) {
    stack.swap(op - 0x8f);
    return true;
  }
  if (op === 0x52) {
    const offset = wordOffset(stack, stack.pop());
    const value = stack.pop();
    const known = stack.valueOf(value);
    stack.emit(known === undefined ? `writeWord(f, ${offset}, ${value});` : constantStore(offset, known));
    return true;
  }
  if (op === 0x20) return inlineKeccak(stack);
  if (op === 0x51) {
    // The offset (and so any expansion, which replaces the view) comes before readWord reads the view.
    const offset = wordOffset(stack, stack.pop());
    stack.push(stack.local(`readWord(f, ${offset})`));
    return true;
  }
  const fold = FOLDABLE.get(op);
  if (fold !== undefined) {
    const a = stack.constantAt(0);
    const b = fold.length === 1 ? 0n : stack.constantAt(1);
    if (a !== undefined && b !== undefined) {
      stack.pop();
      if (fold.length === 2) stack.pop();
      stack.push(stack.literal(fold(a, b)));
      return true;
    }
  }
  const expression = binaryOrUnary(op, stack);
  if (expression === undefined) return false;
  stack.push(expression);
  return true;
}

/**
 * KECCAK256 of a constant range (a mapping slot: keccak256(0x00, 0x40)) as the handler computes it, its
 * memory and word gas charged in the handler's order, without the handler's call and BigInt checks;
 * false (the handler runs it) for any other range.
 */
function inlineKeccak(stack: SymbolicStack): boolean {
  const offset = stack.constantAt(0);
  const size = stack.constantAt(1);
  if (offset === undefined || size === undefined || size === 0n || offset > 0xffffffffn || size > 0xffffffffn) {
    return false;
  }
  stack.drop();
  stack.drop();
  const end = Number(offset) + Number(size);
  stack.emit(`if (${end} > f.memoryWords * 32) f.expand(${end});`);
  stack.emit(`f.useGas(${GAS_KECCAK256_WORD * wordCount(Number(size))});`);
  stack.push(stack.local(`keccak256WordOfView(f.view, ${offset}, ${size})`));
  return true;
}

/** Where the memory word at `offset` (a name) starts, charged and expanded: a literal where the offset is a constant. */
function wordOffset(stack: SymbolicStack, offset: string): string {
  const known = stack.valueOf(offset);
  if (known === undefined || known > 0xffffffffn) return `f.wordRange(${offset})`;
  const start = Number(known);
  stack.emit(`if (${start + 32} > f.memoryWords * 32) f.expand(${start + 32});`);
  return String(start);
}

/** MSTORE of a constant: its eight 32-bit pieces stored as literals (no BigInt at run time). */
function constantStore(offset: string, value: bigint): string {
  const stores: string[] = [`const o = ${offset}; const w = f.view;`];
  for (let i = 0; i < 8; i++) {
    const piece = Number((value >> BigInt(224 - 32 * i)) & 0xffffffffn);
    stores.push(`w.setUint32(o${i === 0 ? "" : ` + ${4 * i}`}, ${piece});`);
  }
  return `{ ${stores.join(" ")} }`;
}

type Fold = ((a: bigint) => bigint) | ((a: bigint, b: bigint) => bigint);

/**
 * Opcodes computed at compile time where every operand is a constant (a is the top of the stack);
 * the same word arithmetic the handlers use, so a folded result is the one the handler would push.
 */
const FOLDABLE = new Map<number, Fold>([
  [0x01, addWords],
  [0x02, mulWords],
  [0x03, subWords],
  [0x04, divWords],
  [0x06, modWords],
  [0x10, (a: bigint, b: bigint) => (a < b ? 1n : 0n)],
  [0x11, (a: bigint, b: bigint) => (a > b ? 1n : 0n)],
  [0x14, (a: bigint, b: bigint) => (a === b ? 1n : 0n)],
  [0x15, (a: bigint) => (a === 0n ? 1n : 0n)],
  [0x16, (a: bigint, b: bigint) => a & b],
  [0x17, (a: bigint, b: bigint) => a | b],
  [0x18, (a: bigint, b: bigint) => a ^ b],
  [0x19, (a: bigint) => MAX_U256 ^ a],
  [0x1b, shlWord],
  [0x1c, shrWord],
  [0x0b, signExtendWord],
  [0x12, sltWords],
  [0x13, (a: bigint, b: bigint) => sltWords(b, a)],
  [0x1a, byteOfWord],
  [0x1d, sarWord],
]);

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
      return stack.local("sizeWord(f.data.length)");
    case 0x3d:
      return stack.local("sizeWord(f.returnData.length)");
    case 0x59:
      return stack.local("sizeWord(f.memoryWords * 32)");
    // GAS ends its block, so the block's static gas (its own included) is already charged, as in the loop.
    case 0x5a:
      return stack.local("sizeWord(f.gas)");
    case 0x35:
      return stack.callData(stack.pop());
    case 0x15:
      return stack.local(`${stack.pop()} === 0n ? 1n : 0n`);
    case 0x19:
      return stack.local(`M ^ ${stack.pop()}`);
    case 0x16: {
      const a = stack.pop();
      const b = stack.pop();
      const mask = isLowMask(stack.valueOf(a)) ? a : isLowMask(stack.valueOf(b)) ? b : undefined;
      if (mask === undefined) return stack.local(`${a} & ${b}`);
      // Masking a value that already fits (an address or a bool cleaned up by Solidity) yields the
      // value itself: a comparison instead of a new BigInt.
      const value = mask === a ? b : a;
      return stack.local(`${value} <= ${mask} ? ${value} : ${value} & ${mask}`);
    }
    case 0x08:
    case 0x09: {
      const a = stack.pop();
      const b = stack.pop();
      const n = stack.pop();
      return stack.local(`${op === 0x08 ? "addModWords" : "mulModWords"}(${a}, ${b}, ${n})`);
    }
    case 0x1c: {
      // The top bits of a call data word (shr(224, calldataload(0)): the selector) read alone.
      const shift = stack.constantAt(0);
      const offset = stack.unreadCallDataAt(1);
      if (shift === undefined || offset === undefined || shift < 192n || shift >= 256n) return binary(op, stack);
      stack.drop();
      stack.drop();
      return stack.local(`callDataTop(f, ${offset}, ${shift - 192n})`);
    }
    default:
      return binary(op, stack);
  }
}

/** The result of a BINARY opcode, its operands popped; undefined for any other opcode. */
function binary(op: number, stack: SymbolicStack): string | undefined {
  const expression = BINARY.get(op);
  if (expression === undefined) return undefined;
  const a = stack.pop();
  return stack.local(expression(a, stack.pop()));
}

/** Two-operand opcodes compiled inline: their result's expression from a (the top) and b. */
const BINARY = new Map<number, (a: string, b: string) => string>([
  [0x01, (a, b) => `addWords(${a}, ${b})`],
  [0x02, (a, b) => `mulWords(${a}, ${b})`],
  [0x03, (a, b) => `subWords(${a}, ${b})`],
  [0x04, (a, b) => `divWords(${a}, ${b})`],
  [0x06, (a, b) => `modWords(${a}, ${b})`],
  [0x0b, (a, b) => `signExtendWord(${a}, ${b})`],
  [0x10, (a, b) => `${a} < ${b} ? 1n : 0n`],
  [0x11, (a, b) => `${a} > ${b} ? 1n : 0n`],
  [0x12, (a, b) => `sltWords(${a}, ${b})`],
  [0x13, (a, b) => `sltWords(${b}, ${a})`],
  [0x14, (a, b) => `${a} === ${b} ? 1n : 0n`],
  [0x17, (a, b) => `${a} | ${b}`],
  [0x18, (a, b) => `${a} ^ ${b}`],
  [0x1a, (a, b) => `byteOfWord(${a}, ${b})`],
  [0x1b, (a, b) => `shlWord(${a}, ${b})`],
  [0x1c, (a, b) => `shrWord(${a}, ${b})`],
  [0x1d, (a, b) => `sarWord(${a}, ${b})`],
]);

/** Whether `value` is 2^k - 1 for some k ≥ 1: ANDing with it keeps the low k bits. */
function isLowMask(value: bigint | undefined): boolean {
  return value !== undefined && value > 0n && (value & (value + 1n)) === 0n;
}

/** A constant jump destination that is a JUMPDEST, as a number; undefined where jumpTarget must decide. */
function constantTarget(code: AnalyzedCode, dest: bigint | undefined): number | undefined {
  if (dest === undefined || dest >= BigInt(code.length)) return undefined;
  const pc = Number(dest);
  return code.jumpdests[pc] === 1 ? pc : undefined;
}

/** Opcodes after which execution never goes on to the next opcode: they halt the frame or jump. */
const HALTS = new Set([0x00, 0xf3, 0xfd, 0xfe, 0xff]);

/**
 * Entering `block` (at pc `pc`) from compiled code with the stack `height` above the entry stack
 * pointer: the loop's own checks, handing the block back to the loop where they fail, then its gas.
 */
function entry(blocks: BasicBlocks, block: number, height: number, pc: number): string[] {
  return [
    `if (f.gas < ${blocks.gas[block]} || sp + ${height} < ${blocks.minStack[block]} || sp + ${height} > ${blocks.maxStack[block]}) { f.sp = sp + ${height}; f.pc = ${pc}; return; }`,
    `f.gas -= ${blocks.gas[block]};`,
  ];
}

/** The compiled function's name, which a CPU profile shows: where the block starts, in code of which length. */
function functionName(code: AnalyzedCode, start: number): string {
  return `block_${start}_of_${code.length}`;
}

/** Most basic blocks one function runs in a row (itself and its chained successors). */
const MAX_CHAIN = 8;

/**
 * The function for the block starting at `start`, with the blocks that statically follow it chained
 * on (a fall-through, or a JUMP to a constant JUMPDEST): before each chained block the function makes
 * the loop's own checks (static gas, stack bounds) and, where they fail, hands that block back to the
 * loop, which then runs it opcode by opcode exactly as if it had never been chained. A JUMPI not
 * taken falls through into the next chained block; taken, it returns to the loop. Where the chain
 * leads back to its own first block with the stack at its entry height (a loop's back edge), the
 * function loops itself, with the same checks, instead of returning to the loop for every turn.
 * Undefined where the compile budget is spent.
 */
export function compileBlock(code: AnalyzedCode, start: number): CompiledBlock | undefined {
  const blocks = code.blocks;
  let block = blocks.at[start]! - 1;
  if (!reserveCompiled(blocks.ops[block]!)) return undefined;
  const bytes = code.bytes;
  const constants: bigint[] = [];
  const handlers = new Set<number>();
  const lines: string[] = ["const s = f.stack;", "const sp = f.sp;"];
  const stack = new SymbolicStack(lines, constants);
  const first = block;
  const chained = new Set<number>([block]);
  let loops = false;
  let pc = start;
  for (;;) {
    // Where execution goes after this block, where that is known here (undefined: a jump to a
    // computed destination or a halt, which set f.pc and f.sp themselves).
    let next: number | undefined;
    for (let i = blocks.ops[block]!; i > 0; i--) {
      const op = bytes[pc]!;
      const width = op >= 0x60 && op <= 0x7f ? op - 0x5f : 0;
      const after = pc + 1 + width;
      next = after;
      if (op === 0x56 || op === 0x57) {
        // A jump ends its block: the stack is written back first.
        const dest = stack.pop();
        const condition = op === 0x57 ? stack.pop() : undefined;
        stack.sync();
        lines.push(`f.sp = sp + ${stack.height};`);
        // A constant destination is checked now; a taken jump still checks the interrupt, as jumpTarget does.
        const target = constantTarget(code, stack.valueOf(dest));
        if (condition !== undefined) {
          const taken = target === undefined ? `f.pc = jumpTarget(f, ${dest});` : `checkInterrupt(); f.pc = ${target};`;
          lines.push(`if (${condition} !== 0n) { ${taken} return; }`);
        } else if (target === undefined) {
          lines.push(`f.pc = jumpTarget(f, ${dest});`);
          next = undefined;
        } else {
          lines.push("checkInterrupt();");
          next = target;
        }
      } else if (!inline(op, stack, () => decodeImmediate(code.view, pc + 1, width))) {
        stack.sync();
        handlers.add(op);
        lines.push(`f.sp = sp + ${stack.height}; f.pc = ${after}; H${op}(f);`);
        stack.height += STACK_DELTA[op]!;
        if (HALTS.has(op)) next = undefined;
      }
      pc = after;
    }
    stack.sync();
    if (next === undefined) break;
    const following = next < code.length ? blocks.at[next]! - 1 : -1;
    if (following === first && stack.height === 0) {
      lines.push(...entry(blocks, following, 0, next), "continue;");
      loops = true;
      break;
    }
    if (
      following < 0 ||
      chained.size >= MAX_CHAIN ||
      chained.has(following) ||
      !reserveCompiled(blocks.ops[following]!)
    ) {
      lines.push(`f.sp = sp + ${stack.height}; f.pc = ${next};`);
      break;
    }
    lines.push(...entry(blocks, following, stack.height, next));
    chained.add(following);
    block = following;
    pc = next;
  }
  const prelude = [
    `const { ${Object.keys(HELPERS).join(", ")} } = HELPERS;`,
    ...[...handlers].map((op) => `const H${op} = HANDLERS[${op}];`),
    ...constants.map((_, k) => `const K${k} = CONSTANTS[${k}];`),
  ];
  // Every turn of a loop ends at its back edge (`continue`): any other way out returns first.
  const body = loops ? [...lines.slice(0, 2), "for (;;) {", ...lines.slice(2), "}"] : lines;
  const factory = new Function(
    "HELPERS",
    "HANDLERS",
    "CONSTANTS",
    `"use strict";\n${prelude.join("\n")}\nreturn function ${functionName(code, start)}(f) {\n${body.join("\n")}\n};`,
  );
  return factory(HELPERS, HANDLERS, constants) as CompiledBlock;
}
