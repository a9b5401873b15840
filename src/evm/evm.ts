// Message execution: one call or creation frame at a time, with its checkpoint, value transfer,
// precompile dispatch and (for creations) code deposit. Opcodes that call or create come back here.
import { keccak256Word } from "../primitives/keccak.js";
import { analyze, analyzeCached } from "./analysis.js";
import { ExceptionalHalt, Frame, FrameStatus } from "./frame.js";
import type { BlockEnv } from "./host.js";
import { runFrame } from "./interpreter.js";
import type { Journal } from "./journal.js";
import { GAS_CODE_DEPOSIT, MAX_CODE_SIZE, PRECOMPILE_COUNT } from "./params.js";
import { PRECOMPILES } from "./precompiles/index.js";
import { PRECOMPILE_FAILURE } from "./precompiles/types.js";

const EMPTY = new Uint8Array(0);

export interface MessageResult {
  /** The frame ended without revert or exceptional halt. */
  success: boolean;
  gasLeft: number;
  /** Return data, or revert data. */
  output: Uint8Array;
  /** Why it halted exceptionally, where it did. */
  halt?: ExceptionalHalt;
}

/** Per-transaction context shared by all frames. */
export class Evm {
  constructor(
    readonly journal: Journal,
    readonly block: BlockEnv,
    readonly origin: bigint,
    /** Effective gas price of the transaction (GASPRICE). */
    readonly gasPrice: bigint,
    readonly blobHashes: bigint[],
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
    const journal = this.journal;
    const checkpoint = journal.checkpoint();
    if (transferValue && value !== 0n) journal.transfer(journal.account(caller), journal.account(target), value);

    if (codeAddress >= 1n && codeAddress <= BigInt(PRECOMPILE_COUNT)) {
      const result = PRECOMPILES[Number(codeAddress)]!(data, gas);
      if (result === PRECOMPILE_FAILURE || result.gasUsed > gas) {
        journal.revert(checkpoint);
        return { success: false, gasLeft: 0, output: EMPTY };
      }
      return { success: true, gasLeft: gas - result.gasUsed, output: result.output };
    }

    const codeAccount = journal.account(codeAddress);
    const code = journal.code(codeAccount);
    if (code.length === 0) return { success: true, gasLeft: gas, output: EMPTY };

    const frame = new Frame(
      this,
      analyzeCached(codeAccount.codeHash, code),
      gas,
      target,
      caller,
      value,
      data,
      isStatic,
      depth,
    );
    return this.finish(frame, checkpoint);
  }

  executeCreate(
    caller: bigint,
    address: bigint,
    value: bigint,
    initcode: Uint8Array,
    gas: number,
    depth: number,
  ): MessageResult {
    const journal = this.journal;
    const checkpoint = journal.checkpoint();
    const account = journal.account(address);
    journal.markCreated(account);
    journal.incrementNonce(account);
    if (value !== 0n) journal.transfer(journal.account(caller), account, value);

    const frame = new Frame(this, analyze(initcode), gas, address, caller, value, EMPTY, false, depth);
    const result = this.finish(frame, checkpoint);
    if (!result.success) return result;

    const code = result.output;
    const depositCost = code.length * GAS_CODE_DEPOSIT;
    if ((code.length > 0 && code[0] === 0xef) || result.gasLeft < depositCost || code.length > MAX_CODE_SIZE) {
      journal.revert(checkpoint);
      return { success: false, gasLeft: 0, output: EMPTY };
    }
    journal.setCode(account, code, keccak256Word(code));
    return { success: true, gasLeft: result.gasLeft - depositCost, output: EMPTY };
  }

  /** Runs the frame and settles its checkpoint. */
  private finish(frame: Frame, checkpoint: ReturnType<Journal["checkpoint"]>): MessageResult {
    try {
      runFrame(frame);
    } catch (error) {
      if (!(error instanceof ExceptionalHalt)) throw error;
      this.journal.revert(checkpoint);
      return { success: false, gasLeft: 0, output: EMPTY, halt: error };
    } finally {
      frame.release();
    }
    if (frame.status === FrameStatus.Reverted) {
      this.journal.revert(checkpoint);
      return { success: false, gasLeft: frame.gas, output: frame.output };
    }
    return { success: true, gasLeft: frame.gas, output: frame.output };
  }
}
