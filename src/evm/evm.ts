// Message execution: one call or creation frame at a time, with its checkpoint, value transfer,
// precompile dispatch and (for creations) code deposit. Opcodes that call or create come back here.
import { keccak256Word } from "../primitives/keccak.js";
import { low32 } from "../primitives/word-view.js";
import { analyze, analyzeCached } from "./analysis.js";
import {
  CODE_SIZE_EXCEEDED,
  CODE_STORE_OUT_OF_GAS,
  ExceptionalHalt,
  type Frame,
  FrameStatus,
  INVALID_CONTRACT_PREFIX,
  takeFrame,
} from "./frame.js";
import type { BlockEnv } from "./host.js";
import { runFrame } from "./interpreter.js";
import { checkInterrupt } from "./interrupt.js";
import type { Checkpoint, Journal, JournaledAccount } from "./journal.js";
import { GAS_CODE_DEPOSIT, isPrecompile, MAX_CODE_SIZE } from "./params.js";
import { PRECOMPILES } from "./precompiles/index.js";
import { PRECOMPILE_FAILURE } from "./precompiles/types.js";
import { haltMessage } from "./tracing/errors.js";
import type { EvmTracer } from "./tracing/types.js";

const EMPTY = new Uint8Array(0);

/** How a message ended. An Evm returns one object for all its messages: read it before starting another. */
export interface MessageResult {
  /** The frame ended without revert or exceptional halt. */
  success: boolean;
  gasLeft: number;
  /** Return data, or revert data. */
  output: Uint8Array;
  /** Why it halted exceptionally, where it did. */
  halt: ExceptionalHalt | undefined;
}

/**
 * Per-transaction context shared by all frames. Tracing is a subclass (tracing/traced-evm.ts), so this
 * class's call path is the same with tracing or without: 1024 nested calls already need most of the
 * default JS stack, and every register added to executeCall, executeCreate or finish is paid once per
 * call depth.
 */
export class Evm {
  /** Set by TracedEvm only; the opcode handlers check it on their rare paths (LOG, SELFDESTRUCT, rejected calls). */
  readonly tracer: EvmTracer | undefined = undefined;
  private readonly result: MessageResult = { success: false, gasLeft: 0, output: EMPTY, halt: undefined };

  constructor(
    readonly journal: Journal,
    readonly block: BlockEnv,
    readonly origin: bigint,
    /** Effective gas price of the transaction (GASPRICE). */
    readonly gasPrice: bigint,
    readonly blobHashes: readonly bigint[],
    readonly blobBaseFee: bigint,
  ) {}

  executeCall(
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
    const journal = this.journal;
    const checkpoint = journal.checkpoint(depth);
    if (transferValue && value !== 0n) journal.transfer(journal.account(caller), journal.account(target), value);

    if (isPrecompile(codeAddress)) {
      return this.runPrecompile(codeAddress, data, gas, checkpoint);
    }

    const codeAccount = journal.account(codeAddress);
    let analyzed = codeAccount.analyzed;
    if (analyzed === undefined) {
      const code = journal.code(codeAccount);
      if (code.length === 0) return this.settle(true, gas, EMPTY, undefined);
      analyzed = analyzeCached(codeAccount.codeHash, code);
      codeAccount.analyzed = analyzed;
    }
    return this.finish(takeFrame(this, analyzed, gas, target, caller, value, data, isStatic, depth), checkpoint);
  }

  executeCreate(
    caller: bigint,
    address: bigint,
    value: bigint,
    initcode: Uint8Array,
    gas: number,
    depth: number,
  ): MessageResult {
    checkInterrupt();
    const journal = this.journal;
    const checkpoint = journal.checkpoint(depth);
    const account = journal.account(address);
    journal.markCreated(account);
    journal.incrementNonce(account);
    if (value !== 0n) journal.transfer(journal.account(caller), account, value);

    const frame = takeFrame(this, analyze(initcode), gas, address, caller, value, EMPTY, false, depth);
    return this.depositCode(account, this.finish(frame, checkpoint), checkpoint);
  }

  /** A precompile's run, as a message call's result (its checkpoint reverted where it fails). */
  protected runPrecompile(codeAddress: bigint, data: Uint8Array, gas: number, checkpoint: Checkpoint): MessageResult {
    const result = PRECOMPILES[low32(codeAddress)]!(data, gas);
    if (result === PRECOMPILE_FAILURE || result.gasUsed > gas) {
      this.journal.revert(checkpoint);
      return this.settle(false, 0, EMPTY, undefined);
    }
    return this.settle(true, gas - result.gasUsed, result.output, undefined);
  }

  /** A creation's end: the initcode's output becomes the account's code, if it may and the gas left pays for it. */
  protected depositCode(account: JournaledAccount, result: MessageResult, checkpoint: Checkpoint): MessageResult {
    if (!result.success) return result;
    const code = result.output;
    const depositCost = code.length * GAS_CODE_DEPOSIT;
    if ((code.length > 0 && code[0] === 0xef) || result.gasLeft < depositCost || code.length > MAX_CODE_SIZE) {
      this.journal.revert(checkpoint);
      return this.settle(false, 0, EMPTY, depositFailure(code, result.gasLeft, depositCost));
    }
    // The output is a view of the initcode frame's memory (Frame.outputOf): the code keeps a copy.
    this.journal.setCode(account, code.slice(), keccak256Word(code));
    return this.settle(true, result.gasLeft - depositCost, EMPTY, undefined);
  }

  /** Runs the frame and settles its checkpoint. */
  protected finish(frame: Frame, checkpoint: Checkpoint): MessageResult {
    try {
      runFrame(frame);
    } catch (error) {
      if (!(error instanceof ExceptionalHalt)) throw error;
      this.journal.revert(checkpoint);
      // The transaction's own halt is reported (eth_call's error): named now, while the frame shows where it stopped.
      const halt = frame.depth === 0 ? new ExceptionalHalt(haltMessage(error, frame)) : error;
      return this.settle(false, 0, EMPTY, halt);
    }
    if (frame.status === FrameStatus.Reverted) {
      this.journal.revert(checkpoint);
      return this.settle(false, frame.gas, frame.output, undefined);
    }
    return this.settle(true, frame.gas, frame.output, undefined);
  }

  /** Fills in the Evm's one result object (no object per message). */
  protected settle(
    success: boolean,
    gasLeft: number,
    output: Uint8Array,
    halt: ExceptionalHalt | undefined,
  ): MessageResult {
    const result = this.result;
    result.success = success;
    result.gasLeft = gasLeft;
    result.output = output;
    result.halt = halt;
    return result;
  }
}

/** Why a creation's code cannot be deposited, checked in geth's order (so a trace names the same cause). */
function depositFailure(code: Uint8Array, gasLeft: number, depositCost: number): ExceptionalHalt | undefined {
  return code.length > MAX_CODE_SIZE
    ? CODE_SIZE_EXCEEDED
    : code[0] === 0xef
      ? INVALID_CONTRACT_PREFIX
      : gasLeft < depositCost
        ? CODE_STORE_OUT_OF_GAS
        : undefined;
}
