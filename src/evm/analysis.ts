// Code analysis, cached per code hash: a contract's code is analysed once per process, not once per
// call. It finds the jump destinations, numbers the PUSH immediates, and splits the code into basic
// blocks, so the interpreter checks static gas and stack bounds once per block instead of per opcode.
import { type CompiledBlock, releaseCompiled } from "./block-compiler.js";
import { ENDS_BLOCK, STACK_DELTA, STACK_MAX, STACK_MIN, STATIC_GAS } from "./opcodes/index.js";

/** Code ready to run: padded with 33 zero bytes so PUSH32 at the end and the implicit STOP need no bounds checks. */
export interface AnalyzedCode {
  readonly bytes: Uint8Array;
  readonly length: number;
  /** View over `bytes`, for reading PUSH data eight bytes at a time. */
  readonly view: DataView;
  /** 1 where the byte is a JUMPDEST opcode (not PUSH data). */
  readonly jumpdests: Uint8Array;
  /**
   * PUSH2-PUSH32 immediates as words, made on first execution and kept with the analysis, so a
   * contract's constants (jump targets, selectors, addresses) become BigInts once, not on every run.
   * Indexed by the ordinal in `pushOrdinals` of the PUSH at that pc.
   */
  readonly immediates: (bigint | undefined)[];
  readonly pushOrdinals: Uint16Array | Uint32Array;
  /** Basic blocks: straight-line runs that end at a jump, a halt or an opcode that reads the gas left. */
  readonly blocks: BasicBlocks;
}

export interface BasicBlocks {
  /** At the first pc of a block, its index + 1; 0 elsewhere (inside a block, PUSH data, the padding). */
  readonly at: Int32Array;
  /** The block's static gas: every opcode's, charged before its first runs. */
  readonly gas: Float64Array;
  /** How many opcodes the block runs (its last may jump or halt). */
  readonly ops: Int32Array;
  /** Fewest stack items on entry for no opcode of the block to underflow. */
  readonly minStack: Int32Array;
  /** Most stack items on entry for no opcode of the block to overflow. */
  readonly maxStack: Int32Array;
  /** Times each block ran in the plain loop, until it is compiled (block-compiler.ts). */
  readonly runs: Int32Array;
  /** Each block's compiled function, once it has one. */
  readonly compiled: (CompiledBlock | undefined)[];
  /** Whether blocks may be compiled: deployed code, kept in the cache (initcode runs once). */
  readonly compilable: boolean;
}

const CACHE_LIMIT = 4096;
const cache = new Map<bigint, AnalyzedCode>();

export function analyze(code: Uint8Array, compilable = false): AnalyzedCode {
  const length = code.length;
  const bytes = new Uint8Array(length + 33);
  bytes.set(code);
  const jumpdests = new Uint8Array(length);
  // A PUSH2-PUSH32 takes three bytes or more, so code under 3 * 2^16 bytes (all deployable code) has
  // fewer than 2^16 of them; longer code (set by a dev method) gets wider ordinals.
  const pushOrdinals = length < 3 * 0x10000 ? new Uint16Array(length) : new Uint32Array(length);
  let pushes = 0;
  for (let pc = 0; pc < length; pc++) {
    const op = code[pc]!;
    if (op === 0x5b) jumpdests[pc] = 1;
    else if (op >= 0x60 && op <= 0x7f) {
      if (op >= 0x61) pushOrdinals[pc] = pushes++;
      pc += op - 0x5f;
    }
  }
  const immediates = new Array<bigint | undefined>(pushes).fill(undefined);
  const blocks = basicBlocks(code, bytes.length, compilable);
  return { bytes, length, jumpdests, view: new DataView(bytes.buffer), immediates, pushOrdinals, blocks };
}

/**
 * Splits code into basic blocks. A block starts at pc 0, at each JUMPDEST and after each opcode that
 * ends one (ENDS_BLOCK), so execution only ever enters a block at its start: a jump lands on a
 * JUMPDEST, everything else falls through. Within a block no opcode reads the gas left before the
 * last, so charging the block's static gas up front changes no opcode's behaviour; the stack bounds
 * follow the heights the opcodes reach relative to the entry height.
 */
function basicBlocks(code: Uint8Array, paddedLength: number, compilable: boolean): BasicBlocks {
  const length = code.length;
  const at = new Int32Array(paddedLength);
  const gas: number[] = [];
  const ops: number[] = [];
  const minStack: number[] = [];
  const maxStack: number[] = [];
  let pc = 0;
  while (pc < length) {
    at[pc] = gas.length + 1;
    let blockGas = 0;
    let count = 0;
    let height = 0;
    let min = 0;
    let max = Number.MAX_SAFE_INTEGER;
    for (;;) {
      const op = code[pc]!;
      blockGas += STATIC_GAS[op]!;
      count++;
      if (STACK_MIN[op]! - height > min) min = STACK_MIN[op]! - height;
      if (STACK_MAX[op]! - height < max) max = STACK_MAX[op]! - height;
      height += STACK_DELTA[op]!;
      pc += op >= 0x60 && op <= 0x7f ? op - 0x5e : 1;
      if (ENDS_BLOCK[op] === 1 || pc >= length || code[pc] === 0x5b) break;
    }
    gas.push(blockGas);
    ops.push(count);
    minStack.push(min);
    maxStack.push(max);
  }
  return {
    at,
    gas: Float64Array.from(gas),
    ops: Int32Array.from(ops),
    minStack: Int32Array.from(minStack),
    maxStack: Int32Array.from(maxStack),
    runs: new Int32Array(gas.length),
    compiled: new Array<CompiledBlock | undefined>(gas.length).fill(undefined),
    compilable,
  };
}

/** Analysis for code whose hash is known (deployed code); initcode is analysed with `analyze` directly. */
export function analyzeCached(codeHash: bigint, code: Uint8Array): AnalyzedCode {
  let analyzed = cache.get(codeHash);
  if (analyzed === undefined) {
    analyzed = analyze(code, true);
    // A simple bound: drop everything when full (a contract set larger than this is rare in one process).
    if (cache.size >= CACHE_LIMIT) {
      cache.clear();
      releaseCompiled();
    }
    cache.set(codeHash, analyzed);
  }
  return analyzed;
}
