// Jump-destination analysis, cached per code hash: a contract's code is analysed once per process,
// not once per call.

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
}

const CACHE_LIMIT = 4096;
const cache = new Map<bigint, AnalyzedCode>();

export function analyze(code: Uint8Array): AnalyzedCode {
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
  return { bytes, length, jumpdests, view: new DataView(bytes.buffer), immediates, pushOrdinals };
}

/** Analysis for code whose hash is known (deployed code); initcode is analysed with `analyze` directly. */
export function analyzeCached(codeHash: bigint, code: Uint8Array): AnalyzedCode {
  let analyzed = cache.get(codeHash);
  if (analyzed === undefined) {
    analyzed = analyze(code);
    // A simple bound: drop everything when full (a contract set larger than this is rare in one process).
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(codeHash, analyzed);
  }
  return analyzed;
}
