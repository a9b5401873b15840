// One call frame's machine state: program counter, gas, stack, memory. Handlers in opcodes/ take a
// Frame and nothing else; they reach the rest of the EVM through `frame.evm`.
import type { AnalyzedCode } from "./analysis.js";
import type { Evm } from "./evm.js";
import { GAS_MEMORY } from "./params.js";

/** An exceptional halt: the frame's remaining gas is consumed and its changes reverted. Thrown, never returned. */
export class ExceptionalHalt {
  constructor(readonly reason: string) {}
}

// Preallocated: a halt is thrown often in some workloads and needs no stack trace.
export const OUT_OF_GAS = new ExceptionalHalt("out of gas");
export const STACK_UNDERFLOW = new ExceptionalHalt("stack underflow");
export const STACK_OVERFLOW = new ExceptionalHalt("stack overflow");
export const INVALID_JUMP = new ExceptionalHalt("invalid jump destination");
export const INVALID_OPCODE = new ExceptionalHalt("invalid opcode");
export const WRITE_IN_STATIC = new ExceptionalHalt("state change in static call");
export const RETURN_DATA_OUT_OF_BOUNDS = new ExceptionalHalt("return data out of bounds");
export const INVALID_CONTRACT_PREFIX = new ExceptionalHalt("contract code starts with 0xEF");
export const CODE_SIZE_EXCEEDED = new ExceptionalHalt("contract code too large");
export const CODE_STORE_OUT_OF_GAS = new ExceptionalHalt("out of gas for the code deposit");
export const INITCODE_SIZE_EXCEEDED = new ExceptionalHalt("initcode too large");

export enum FrameStatus {
  Running = 0,
  Stopped = 1,
  Reverted = 2,
}

const EMPTY = new Uint8Array(0);
/** Memory beyond this many bytes costs more gas than any block holds; treat it as out of gas. */
const MAX_MEMORY = 0xffffffff;

/**
 * Stacks and memory buffers reused by call depth: frames at one depth never overlap (execution is
 * synchronous and a transaction never nests another), so a call allocates neither a 1024-slot stack
 * nor a fresh memory buffer. A released buffer is zeroed over the part its frame used.
 */
const stackPool: bigint[][] = [];
const memoryPool: Uint8Array[] = [];
const INITIAL_MEMORY = 4096;

export function pooledStack(depth: number): bigint[] {
  let stack = stackPool[depth];
  if (stack === undefined) {
    stack = new Array<bigint>(1024).fill(0n);
    stackPool[depth] = stack;
  }
  return stack;
}

export class Frame {
  pc = 0;
  sp = 0;
  readonly stack: bigint[];
  memory: Uint8Array;
  /** View over `memory` for word-sized loads and stores; replaced whenever memory grows. */
  view: DataView;
  /** Active memory size in 32-byte words (what gas is charged for), not the buffer's capacity. */
  memoryWords = 0;
  returnData: Uint8Array = EMPTY;
  output: Uint8Array = EMPTY;
  status = FrameStatus.Running;

  constructor(
    readonly evm: Evm,
    readonly code: AnalyzedCode,
    public gas: number,
    /** Account whose storage and balance this frame acts on. */
    readonly address: bigint,
    readonly caller: bigint,
    readonly value: bigint,
    readonly data: Uint8Array,
    readonly isStatic: boolean,
    readonly depth: number,
  ) {
    this.stack = pooledStack(depth);
    const memory = memoryPool[depth] ?? new Uint8Array(INITIAL_MEMORY);
    memoryPool[depth] = EMPTY;
    this.memory = memory;
    this.view = new DataView(memory.buffer);
  }

  /** Hands the memory buffer back to the pool for the next frame at this depth. Call once, at the end. */
  release(): void {
    const memory = this.memory;
    memory.fill(0, 0, this.memoryWords * 32);
    memoryPool[this.depth] = memory;
  }

  useGas(amount: number): void {
    if (this.gas < amount) throw OUT_OF_GAS;
    this.gas -= amount;
  }

  /**
   * Charges expansion for the range and returns its offset as a number. A zero-length range touches
   * no memory, whatever its offset.
   */
  memoryRange(offset: bigint, size: bigint): number {
    if (size === 0n) return 0;
    if (offset > 0xffffffffn || size > 0xffffffffn) throw OUT_OF_GAS;
    const start = Number(offset);
    this.expand(start + Number(size));
    return start;
  }

  /** Charges and grows memory to hold `end` bytes. */
  expand(end: number): void {
    if (end > MAX_MEMORY) throw OUT_OF_GAS;
    const words = Math.ceil(end / 32);
    const current = this.memoryWords;
    if (words <= current) return;
    const cost = memoryCost(words) - memoryCost(current);
    if (this.gas < cost) throw OUT_OF_GAS;
    this.gas -= cost;
    this.memoryWords = words;
    const size = words * 32;
    if (size > this.memory.length) {
      const grown = new Uint8Array(Math.max(size, this.memory.length * 2));
      grown.set(this.memory);
      this.memory = grown;
      this.view = new DataView(grown.buffer);
    }
  }

  /** Memory bytes [offset, offset+size), already expanded by the caller. A copy. */
  readMemory(offset: number, size: number): Uint8Array {
    return size === 0 ? EMPTY : this.memory.slice(offset, offset + size);
  }
}

export function memoryCost(words: number): number {
  return GAS_MEMORY * words + Math.floor((words * words) / 512);
}

export function wordCount(bytes: number): number {
  return Math.ceil(bytes / 32);
}
