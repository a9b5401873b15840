// The EVM with a tracer attached: the same message calls and creations with the tracer's enter/exit
// hooks around each, frames run in the traced loop when the tracer follows opcodes, and halts named
// as geth names them. A subclass, so that untraced execution runs exactly the code it ran before.
import { analyze, analyzeCached } from "../analysis.js";
import { Evm, type MessageResult } from "../evm.js";
import { ExceptionalHalt, type Frame, FrameStatus, takeFrame } from "../frame.js";
import type { BlockEnv } from "../host.js";
import { runFrame, runFrameTraced } from "../interpreter.js";
import { checkInterrupt } from "../interrupt.js";
import type { Checkpoint, Journal } from "../journal.js";
import { isPrecompile } from "../params.js";
import { haltMessage } from "./errors.js";
import { currentCallType } from "./frames.js";
import { REVERTED } from "./messages.js";
import { precompileFailure } from "./precompile-failure.js";
import { CallType, type EvmTracer } from "./types.js";

const EMPTY = new Uint8Array(0);

export class TracedEvm extends Evm {
  override readonly tracer: EvmTracer;
  /** By depth, the frame running there: a call's type is its caller's current opcode. */
  private readonly frames: Frame[] = [];

  constructor(
    tracer: EvmTracer,
    journal: Journal,
    block: BlockEnv,
    origin: bigint,
    gasPrice: bigint,
    blobHashes: readonly bigint[],
    blobBaseFee: bigint,
  ) {
    super(journal, block, origin, gasPrice, blobHashes, blobBaseFee);
    this.tracer = tracer;
  }

  // executeCall and executeCreate repeat Evm's steps instead of calling them through `super`: a
  // wrapper frame per call depth would leave too little JS stack for deep call chains to be traced.

  override executeCall(
    caller: bigint,
    target: bigint,
    codeAddress: bigint,
    value: bigint,
    transferValue: boolean,
    data: Uint8Array,
    gas: number,
    isStatic: boolean,
    depth: number,
  ): MessageResult {
    checkInterrupt();
    const type = depth === 0 ? CallType.Call : currentCallType(this.frames[depth - 1]!);
    // geth names the calling contract as `from`; a DELEGATECALL's `caller` is that contract's caller.
    const from = type === CallType.DelegateCall ? target : caller;
    this.tracer.onEnter(depth, type, from, codeAddress, data, gas, type === CallType.StaticCall ? undefined : value);
    const journal = this.journal;
    const checkpoint = journal.checkpoint(depth);
    if (transferValue && value !== 0n) journal.transfer(journal.account(caller), journal.account(target), value);
    let r: MessageResult;
    if (isPrecompile(codeAddress)) {
      r = this.runPrecompile(codeAddress, data, gas, checkpoint);
    } else {
      const codeAccount = journal.account(codeAddress);
      const code = journal.code(codeAccount);
      if (code.length === 0) {
        r = this.settle(true, gas, EMPTY, undefined);
      } else {
        const analyzed = analyzeCached(codeAccount.codeHash, code);
        r = this.finish(takeFrame(this, analyzed, gas, target, caller, value, data, isStatic, depth), checkpoint);
      }
    }
    this.tracer.onExit(depth, r.output, gas - r.gasLeft, this.callError(r, codeAddress, data, gas));
    return r;
  }

  override executeCreate(
    caller: bigint,
    address: bigint,
    value: bigint,
    initcode: Uint8Array,
    gas: number,
    depth: number,
  ): MessageResult {
    checkInterrupt();
    const type = depth === 0 ? CallType.Create : currentCallType(this.frames[depth - 1]!);
    this.tracer.onEnter(depth, type, caller, address, initcode, gas, value);
    const journal = this.journal;
    const checkpoint = journal.checkpoint(depth);
    const account = journal.account(address);
    journal.markCreated(account);
    journal.incrementNonce(account);
    if (value !== 0n) journal.transfer(journal.account(caller), account, value);
    const frame = takeFrame(this, analyze(initcode), gas, address, caller, value, EMPTY, false, depth);
    const r = this.depositCode(account, this.finish(frame, checkpoint), checkpoint);
    // A creation returns no data to its creator; the trace shows the code it deployed, as geth's does.
    const output = r.success ? journal.code(account) : r.output;
    const error = r.success ? undefined : r.halt === undefined ? REVERTED : haltMessage(r.halt, undefined);
    this.tracer.onExit(depth, output, gas - r.gasLeft, error);
    return r;
  }

  /** Evm.finish with the traced loop where the tracer follows opcodes, and halts carrying geth's message. */
  protected override finish(frame: Frame, checkpoint: Checkpoint): MessageResult {
    this.frames[frame.depth] = frame;
    try {
      if (this.tracer.onOpcode !== undefined) runFrameTraced(frame, this.tracer);
      else runFrame(frame);
    } catch (error) {
      if (!(error instanceof ExceptionalHalt)) throw error;
      this.journal.revert(checkpoint);
      // The message needs the frame as the halt left it (pc, stack height).
      return this.settle(false, 0, EMPTY, new ExceptionalHalt(haltMessage(error, frame)));
    }
    if (frame.status === FrameStatus.Reverted) {
      this.journal.revert(checkpoint);
      return this.settle(false, frame.gas, frame.output, undefined);
    }
    return this.settle(true, frame.gas, frame.output, undefined);
  }

  private callError(r: MessageResult, codeAddress: bigint, data: Uint8Array, gas: number): string | undefined {
    if (r.success) return undefined;
    if (r.halt !== undefined) return haltMessage(r.halt, undefined);
    if (isPrecompile(codeAddress)) {
      return precompileFailure(Number(codeAddress), data, gas);
    }
    return REVERTED;
  }
}
