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

const INITIAL_MEMORY = 4096;

/**
 * Frames reused by call depth, each with its stack and memory buffer: frames at one depth never
 * overlap (execution is synchronous and a transaction never nests another), so a call allocates no
 * frame, no 1024-slot stack and no memory buffer. A frame's memory is zeroed over the part its last
 * message used when the next message at its depth starts, not when the last one ends: until then the
 * caller reads the ended frame's output in place (RETURN and REVERT hand out a view of their memory,
 * see `outputOf`), and that lasts until the caller's next call or creation, the first thing that can
 * take the frame again.
 */
const framePool: Frame[] = [];

/** The frame object for a message at `depth`, set up for it (see framePool). */
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
  /**
   * A view over the whole buffer under `data`, and where `data` starts in it, for data of 32 bytes or
   * more: CALLDATALOAD reads a whole word in place (no copy). Made again only when the buffer changes
   * (a call's input is a view of its caller's memory, the same buffer call after call).
   */
  dataView: DataView = EMPTY_VIEW;
  dataOffset = 0;
  private dataBuffer: ArrayBufferLike = EMPTY.buffer;
  isStatic = false;
  memory: Uint8Array;
  /** View over `memory` for word-sized loads and stores; replaced whenever memory grows. */
  view: DataView;
  /** Active memory size in 32-byte words (what gas is charged for), not the buffer's capacity. */
  memoryWords = 0;
  returnData: Uint8Array = EMPTY;
  output: Uint8Array = EMPTY;
  status = FrameStatus.Running;
  /** The journal's entry for `address`, fetched on first use (SLOAD, SSTORE). */
  private self: JournaledAccount | undefined = undefined;
  // The last views of memory this depth handed out as a callee's input and as its own output, with the
  // buffer each views: a call in a loop passes and returns the same ranges, and gets the same view
  // objects back instead of a new one each (see `inputOf`).
  private readonly inputs = new RangeView();
  private readonly outputs = new RangeView();

  /** Made once per depth by takeFrame, which sets it up for each message with `reset`. */
  constructor(
    public evm: Evm,
    public code: AnalyzedCode,
    readonly depth: number,
  ) {
    this.stack = new Array<bigint>(1024).fill(0n);
    this.memory = new Uint8Array(INITIAL_MEMORY);
    this.view = new DataView(this.memory.buffer);
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
    if (data.length >= 32) {
      // Shorter data has no whole word to read in place (callDataWord).
      const buffer = data.buffer;
      if (buffer !== this.dataBuffer) {
        this.dataView = new DataView(buffer);
        this.dataBuffer = buffer;
      }
      this.dataOffset = data.byteOffset;
    }
    this.isStatic = isStatic;
    this.pc = 0;
    this.sp = 0;
    // The last message's memory, zeroed now (see framePool); the buffer stays, grown or not.
    if (this.memoryWords !== 0) this.memory.fill(0, 0, this.memoryWords * 32);
    this.memoryWords = 0;
    this.returnData = EMPTY;
    this.output = EMPTY;
    this.status = FrameStatus.Running;
    this.self = undefined;
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
   * in a call (valid until the caller's next call or creation, see framePool; the last RETURN or
   * REVERT's view object again where it is the same range of the same buffer), a copy at depth 0,
   * where the transaction's output outlives the frame's buffer.
   */
  outputOf(offset: number, size: number): Uint8Array {
    if (size === 0) return EMPTY;
    if (this.depth === 0) return this.memory.slice(offset, offset + size);
    return this.outputs.of(this.memory, offset, size);
  }

  /**
   * A call's input: memory bytes [offset, offset+size), already expanded, as a view (the callee cannot
   * change this frame's memory while it runs). Like `outputOf`, the view object of the last call is
   * handed out again for the same range of the same buffer: whatever keeps a view's bytes past its
   * call copies them already, as the bytes themselves are reused.
   */
  inputOf(offset: number, size: number): Uint8Array {
    if (size === 0) return EMPTY;
    return this.inputs.of(this.memory, offset, size);
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

/** A view of a range of a buffer, handed out again while the same range of the same buffer is asked for. */
class RangeView {
  private memory: Uint8Array = EMPTY;
  private view: Uint8Array = EMPTY;

  of(memory: Uint8Array, offset: number, size: number): Uint8Array {
    let view = this.view;
    if (this.memory !== memory || view.byteOffset !== offset || view.length !== size) {
      view = memory.subarray(offset, offset + size);
      this.view = view;
      this.memory = memory;
    }
    return view;
  }
}
