// geth's default tracer (the "struct logger"): one entry per opcode executed, in geth's legacy JSON
// form (what debug_traceTransaction returns without a `tracer`).
import { bytesToHex, wordToHex } from "../../primitives/hex.js";
import { type ExceptionalHalt, type Frame, OUT_OF_GAS, STACK_OVERFLOW, STACK_UNDERFLOW } from "../frame.js";
import { STATIC_GAS } from "../opcodes/index.js";
import { GETH_OPCODE_NAMES, haltMessage } from "./errors.js";
import { REVERTED } from "./messages.js";
import { TraceTooLargeError, type TxTracer } from "./types.js";

/** geth's logger.Config, as debug_trace* take it (top level of the trace config). */
export interface StructLoggerConfig {
  enableMemory?: boolean;
  disableStack?: boolean;
  disableStorage?: boolean;
  enableReturnData?: boolean;
  /** Stop recording once the entries' JSON passes about this many bytes (geth: exactly); 0 for no limit. */
  limit?: number;
}

export interface StructLog {
  pc: number;
  op: string;
  gas: number;
  gasCost: number;
  depth: number;
  error: string | undefined;
  /** Bottom first, as geth lists it: minimal hex. */
  stack: string[] | undefined;
  returnData: string | undefined;
  /** 32-byte words. */
  memory: string[] | undefined;
  /** The contract's slots read or written so far in the transaction; on SLOAD and SSTORE steps only. */
  storage: Record<string, string> | undefined;
  refund: number | undefined;
}

export interface StructLogResult {
  gas: number;
  failed: boolean;
  returnValue: string;
  structLogs: StructLog[];
}

const SLOAD = 0x54;
const SSTORE = 0x55;
const CREATE = 0xf0;
const CREATE2 = 0xf5;

function isCall(op: number): boolean {
  return op === 0xf1 || op === 0xf2 || op === 0xf4 || op === 0xfa;
}

export class StructLogger implements TxTracer {
  readonly logs: StructLog[] = [];
  private readonly config: Required<StructLoggerConfig>;
  /** About how many bytes of JSON the entries hold so far (for `limit` and `maxBytes`). */
  private bytes = 0;
  /** Per contract: the slots its SLOADs and SSTOREs have seen. */
  private readonly storage = new Map<bigint, Map<bigint, bigint>>();
  /** By frame depth: the entry of the opcode that frame is executing (undefined past the limit). */
  private readonly current: (StructLog | undefined)[] = [];
  /** By frame depth: the gas of the last frame entered there and what it used (a call's own cost needs them). */
  private readonly childGas: number[] = [];
  private readonly childGasUsed: number[] = [];
  private output: Uint8Array = new Uint8Array(0);
  private error: string | undefined;
  private gasUsed = 0n;
  /** The key of the SLOAD being executed (no frame starts between its start and its end). */
  private sloadKey: bigint | undefined;

  /** `maxBytes`: past about this much JSON, tracing stops with a TraceTooLargeError (unlike `limit`, which stops recording). */
  constructor(
    config: StructLoggerConfig = {},
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {
    this.config = {
      enableMemory: config.enableMemory ?? false,
      disableStack: config.disableStack ?? false,
      disableStorage: config.disableStorage ?? false,
      enableReturnData: config.enableReturnData ?? false,
      limit: config.limit ?? 0,
    };
  }

  onTxStart(_gasLimit: bigint): void {}

  onTxEnd(gasUsed: bigint): void {
    this.gasUsed = gasUsed;
  }

  onEnter(
    depth: number,
    _type: number,
    _from: bigint,
    _to: bigint,
    _input: Uint8Array,
    gas: number,
    _value?: bigint,
  ): void {
    this.childGas[depth] = gas;
    this.childGasUsed[depth] = 0;
  }

  onExit(depth: number, output: Uint8Array, gasUsed: number, error: string | undefined): void {
    this.childGasUsed[depth] = gasUsed;
    if (depth === 0) {
      this.output = output;
      this.error = error;
    }
  }

  onLog(): void {}

  onOpcode(f: Frame, pc: number, op: number, gas: number): void {
    const config = this.config;
    if (config.limit !== 0 && this.bytes > config.limit) {
      this.current[f.depth] = undefined;
      return;
    }
    const entry: StructLog = {
      pc,
      op: GETH_OPCODE_NAMES[op]!,
      gas,
      gasCost: 0,
      depth: f.depth + 1,
      error: undefined,
      stack: undefined,
      returnData: undefined,
      memory: undefined,
      storage: undefined,
      refund: undefined,
    };
    // About the entry's JSON size: fixed fields, then each string with its quotes and comma.
    let bytes = 80;
    if (!config.disableStack) {
      const stack = new Array<string>(f.sp);
      for (let i = 0; i < f.sp; i++) {
        const word = `0x${f.stack[i]!.toString(16)}`;
        stack[i] = word;
        bytes += word.length + 3;
      }
      entry.stack = stack;
    }
    if (config.enableReturnData && f.returnData.length > 0) {
      entry.returnData = bytesToHex(f.returnData);
      bytes += entry.returnData.length;
    }
    if (config.enableMemory && f.memoryWords > 0) {
      const memory = new Array<string>(f.memoryWords);
      for (let i = 0; i < f.memoryWords; i++) memory[i] = bytesToHex(f.memory.subarray(i * 32, i * 32 + 32));
      entry.memory = memory;
      bytes += 69 * f.memoryWords;
    }
    // SSTORE's slot is known before it runs; SLOAD's value is taken from the stack once it ran.
    if (!config.disableStorage && op === SSTORE && f.sp >= 2) {
      entry.storage = this.recordSlot(f.address, f.stack[f.sp - 1]!, f.stack[f.sp - 2]!);
    }
    this.sloadKey = op === SLOAD && f.sp >= 1 ? f.stack[f.sp - 1]! : undefined;
    const refund = f.evm.journal.refund;
    if (refund > 0) entry.refund = refund;
    if (isCall(op) || op === CREATE || op === CREATE2) this.childGas[f.depth + 1] = -1;
    this.logs.push(entry);
    this.current[f.depth] = entry;
    this.grow(bytes);
  }

  onOpcodeEnd(f: Frame, op: number, gasBefore: number): void {
    const entry = this.current[f.depth];
    if (entry === undefined) return;
    let cost = gasBefore - f.gas;
    // A call's cost includes the gas it forwarded (geth charges it up front; here the callee's
    // leftover is already back), a creation's does not.
    const child = f.depth + 1;
    if (this.childGas[child] !== -1) {
      if (isCall(op)) cost += this.childGas[child]! - this.childGasUsed[child]!;
      else if (op === CREATE || op === CREATE2) cost -= this.childGasUsed[child]!;
    }
    entry.gasCost = cost;
    if (!this.config.disableStorage && op === SLOAD && this.sloadKey !== undefined) {
      entry.storage = this.recordSlot(f.address, this.sloadKey, f.stack[f.sp - 1]!);
    }
  }

  /**
   * geth logs a step that fails its stack or gas checks with the error; one that fails while it runs
   * (bad jump, invalid opcode, write in a static call) without, as here. The cost of a step out of
   * dynamic gas is what was charged before the gas ran out (geth shows the whole dynamic cost).
   */
  onFault(f: Frame, op: number, gasBefore: number, halt: ExceptionalHalt): void {
    const entry = this.current[f.depth];
    if (entry === undefined) return;
    if (halt === STACK_UNDERFLOW || halt === STACK_OVERFLOW) {
      entry.gasCost = STATIC_GAS[op]!;
      entry.error = haltMessage(halt, f);
    } else if (halt === OUT_OF_GAS) {
      entry.gasCost = gasBefore < STATIC_GAS[op]! ? STATIC_GAS[op]! : gasBefore - f.gas;
      entry.error = haltMessage(halt, f);
    } else {
      entry.gasCost = gasBefore - f.gas;
    }
  }

  result(): StructLogResult {
    const failed = this.error !== undefined;
    // geth returns the output when the call succeeded or reverted, nothing for other failures.
    const returnValue = failed && this.error !== REVERTED ? "0x" : bytesToHex(this.output);
    return { gas: Number(this.gasUsed), failed, returnValue, structLogs: this.logs };
  }

  private grow(bytes: number): void {
    this.bytes += bytes;
    if (this.bytes > this.maxBytes) throw new TraceTooLargeError(this.maxBytes);
  }

  /** The contract's slots with this one set, as a fresh copy for the entry (geth clones them per step). */
  private recordSlot(address: bigint, key: bigint, value: bigint): Record<string, string> {
    let slots = this.storage.get(address);
    if (slots === undefined) {
      slots = new Map();
      this.storage.set(address, slots);
    }
    slots.set(key, value);
    const copy: Record<string, string> = {};
    for (const [k, v] of slots) copy[wordToHex(k)] = wordToHex(v);
    this.grow(140 * slots.size);
    return copy;
  }
}
