// One call frame's machine state: program counter, gas, stack, memory. Handlers in opcodes/ take a
// Frame and nothing else; they reach the rest of the EVM through `frame.evm`.
import { low32 } from "../primitives/word-view.js";
import type { AnalyzedCode } from "./analysis.js";
import type { Evm } from "./evm.js";
import type { JournaledAccount } from "./journal.js";
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
const EMPTY_VIEW = new DataView(EMPTY.buffer);
/** Memory beyond this many bytes costs more gas than any block holds; treat it as out of gas. */
const MAX_MEMORY = 0xffffffff;

/**
 * Stacks and memory buffers reused by call depth: frames at one depth never overlap (execution is
 * synchronous and a transaction never nests another), so a call allocates neither a 1024-slot stack
 * nor a fresh memory buffer. A buffer is zeroed over the part its last frame used when the next
 * frame takes it, not when it is released: until then the caller reads the released frame's output
 * in place (RETURN and REVERT hand out a view of their memory, see `outputOf`), and that lasts until
 * the caller's next call or creation, the first thing that can take the buffer again.
 */
const stackPool: bigint[][] = [];
const memoryPool: Uint8Array[] = [];
/** The DataView over each pooled memory buffer, pooled with it. */
const viewPool: DataView[] = [];
/** Bytes of each pooled buffer its last frame used, to be zeroed when it is taken. */
const usedPool: number[] = [];
const INITIAL_MEMORY = 4096;

export function pooledStack(depth: number): bigint[] {
  let stack = stackPool[depth];
  if (stack === undefined) {
    stack = new Array<bigint>(1024).fill(0n);
    stackPool[depth] = stack;
  }
  return stack;
}

const framePool: Frame[] = [];

/**
 * The frame object for a message at `depth`, set up for it: one object per depth, reused like the
 * stacks and buffers above. Whatever reads a frame after its message ended (its output) reads the
 * buffer, not the object.
 */
export function takeFrame(
  evm: Evm,
  code: AnalyzedCode,
  gas: number,
  address: bigint,
  caller: bigint,
  value: bigint,
  data: Uint8Array,
  isStatic: boolean,
  depth: number,
): Frame {
  let frame = framePool[depth];
  if (frame === undefined) {
    frame = new Frame(evm, code, depth);
    framePool[depth] = frame;
  }
  frame.reset(evm, code, gas, address, caller, value, data, isStatic);
  return frame;
}

export class Frame {
  pc = 0;
  sp = 0;
  readonly stack: bigint[];
  gas = 0;
  /** Account whose storage and balance this frame acts on. */
  address = 0n;
  caller = 0n;
  value = 0n;
  data: Uint8Array = EMPTY;
  isStatic = false;
  memory: Uint8Array = EMPTY;
  /** View over `memory` for word-sized loads and stores; replaced whenever memory grows. */
  view: DataView = EMPTY_VIEW;
  /** Active memory size in 32-byte words (what gas is charged for), not the buffer's capacity. */
  memoryWords = 0;
  returnData: Uint8Array = EMPTY;
  output: Uint8Array = EMPTY;
  status = FrameStatus.Running;
  /** The journal's entry for `address`, fetched on first use (SLOAD, SSTORE). */
  private self: JournaledAccount | undefined = undefined;

  /** Made once per depth by takeFrame, which sets it up for each message with `reset`. */
  constructor(
    public evm: Evm,
    public code: AnalyzedCode,
    readonly depth: number,
  ) {
    this.stack = pooledStack(depth);
  }

  /** Sets the frame up for a new message at its depth (takeFrame). */
  reset(
    evm: Evm,
    code: AnalyzedCode,
    gas: number,
    address: bigint,
    caller: bigint,
    value: bigint,
    data: Uint8Array,
    isStatic: boolean,
  ): void {
    this.evm = evm;
    this.code = code;
    this.gas = gas;
    this.address = address;
    this.caller = caller;
    this.value = value;
    this.data = data;
    this.isStatic = isStatic;
    this.pc = 0;
    this.sp = 0;
    this.memoryWords = 0;
    this.returnData = EMPTY;
    this.output = EMPTY;
    this.status = FrameStatus.Running;
    this.self = undefined;
    this.takeMemory();
  }

  /** Takes this depth's memory buffer from the pool, zeroed over what its last frame used. */
  private takeMemory(): void {
    const depth = this.depth;
    const memory = memoryPool[depth];
    if (memory === undefined) {
      this.memory = new Uint8Array(INITIAL_MEMORY);
      this.view = new DataView(this.memory.buffer);
    } else {
      memory.fill(0, 0, usedPool[depth]!);
      this.memory = memory;
      this.view = viewPool[depth]!;
    }
    memoryPool[depth] = EMPTY;
    viewPool[depth] = EMPTY_VIEW;
  }

  /** Hands the memory buffer back to the pool for the next frame at this depth. Call once, at the end. */
  release(): void {
    const memory = this.memory;
    usedPool[this.depth] = this.memoryWords * 32;
    memoryPool[this.depth] = memory;
    viewPool[this.depth] = this.view;
  }

  /** The executing account in the journal: the object stays the same for the whole transaction. */
  account(): JournaledAccount {
    let account = this.self;
    if (account === undefined) {
      account = this.evm.journal.account(this.address);
      this.self = account;
    }
    return account;
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
    const start = low32(offset);
    this.expand(start + low32(size));
    return start;
  }

  /** memoryRange for one 32-byte word (MLOAD, MSTORE): no expansion check past the first use of a region. */
  wordRange(offset: bigint): number {
    if (offset > 0xffffffffn) throw OUT_OF_GAS;
    const start = low32(offset);
    if (start + 32 > this.memoryWords * 32) this.expand(start + 32);
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

  /**
   * What RETURN or REVERT hands back: memory bytes [offset, offset+size), already expanded. A view
   * in a call (valid until the caller's next call or creation, see the pools above), a copy at depth
   * 0, where the transaction's output outlives the frame's buffer.
   */
  outputOf(offset: number, size: number): Uint8Array {
    if (size === 0) return EMPTY;
    return this.depth === 0 ? this.memory.slice(offset, offset + size) : this.memory.subarray(offset, offset + size);
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
