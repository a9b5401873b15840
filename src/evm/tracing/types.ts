// What a tracer sees of execution. The EVM calls these hooks only while `Evm.tracer` is set: one check
// per frame (and per LOG/SELFDESTRUCT) when it is not, and the per-opcode hooks only in the traced
// interpreter loop, which a frame picks once, at its start.
import type { ExceptionalHalt, Frame } from "../frame.js";
import type { Host, Log, StateWrites } from "../host.js";

/** Frame types, numbered as their opcodes (as geth numbers them); the transaction's own frame is CALL or CREATE. */
export const CallType = {
  Create: 0xf0,
  Call: 0xf1,
  CallCode: 0xf2,
  DelegateCall: 0xf4,
  Create2: 0xf5,
  StaticCall: 0xfa,
  SelfDestruct: 0xff,
} as const;
export type CallType = (typeof CallType)[keyof typeof CallType];

export interface EvmTracer {
  /**
   * A frame starts: every call and creation (precompiles and accounts without code included), also
   * one that fails before running (call depth, balance, nonce, address collision), and SELFDESTRUCT
   * (gas 0, the balance it moves as value). `depth` is 0 for the transaction's frame. `from` is the
   * account that acts (for DELEGATECALL the calling contract), `to` the code's address (for a
   * creation the new contract's). `value` is undefined for STATICCALL.
   */
  onEnter(
    depth: number,
    type: CallType,
    from: bigint,
    to: bigint,
    input: Uint8Array,
    gas: number,
    value: bigint | undefined,
  ): void;
  /**
   * The frame `depth` ends. `error` is undefined on success, "execution reverted" for REVERT, or
   * geth's message for the failure; the frame's state changes are rolled back whenever it is set.
   */
  onExit(depth: number, output: Uint8Array, gasUsed: number, error: string | undefined): void;
  /** LOG0-4 ran; `index` is the log's position among the transaction's logs. */
  onLog(log: Log, index: number): void;
  /**
   * With this hook every frame runs in the traced loop: it is called before each opcode, with the gas
   * left before anything is charged for it; the stack and memory are as they are before it.
   */
  onOpcode?(frame: Frame, pc: number, op: number, gas: number): void;
  /** The opcode reported by `onOpcode` finished (calls: after their frame returned). */
  onOpcodeEnd?(frame: Frame, op: number, gasBefore: number): void;
  /** The opcode reported by `onOpcode` halted the frame exceptionally. */
  onFault?(frame: Frame, op: number, gasBefore: number, halt: ExceptionalHalt): void;
}

/** Where a transaction runs, for tracers that report state (prestateTracer). */
export interface TxStart {
  /** The state the transaction runs on: as it was before it while it runs (a replay may apply its writes after). */
  state: Host;
  sender: bigint;
  /** The recipient, or for a creation the address it deploys to. */
  to: bigint;
  creation: boolean;
  coinbase: bigint;
}

/** A tracer for one whole transaction, as the debug_trace* methods drive it. */
export interface TxTracer extends EvmTracer {
  /** Before the transaction runs: its gas limit and (given by the debug_trace* methods) where it runs. */
  onTxStart(gasLimit: bigint, start?: TxStart): void;
  /** After it ran: the gas its receipt shows (refund deducted) and its net writes (fees paid included). */
  onTxEnd(gasUsed: bigint, writes?: StateWrites): void;
  /** The trace, JSON-ready, shaped as geth's debug_trace* methods return it. */
  result(): unknown;
}

/**
 * Thrown by a tracer whose result would pass its size budget: it ends the traced execution, so that a
 * single trace request cannot take all the node's memory (a transaction can make 50,000 calls with
 * 50 KB of input each).
 */
export class TraceTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the trace would exceed ${Math.round(maxBytes / 1e6)} MB`);
    this.name = "TraceTooLargeError";
  }
}
