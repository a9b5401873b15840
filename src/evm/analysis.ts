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
}

const CACHE_LIMIT = 4096;
const cache = new Map<bigint, AnalyzedCode>();

export function analyze(code: Uint8Array): AnalyzedCode {
  const length = code.length;
  const bytes = new Uint8Array(length + 33);
  bytes.set(code);
  const jumpdests = new Uint8Array(length);
  for (let pc = 0; pc < length; pc++) {
    const op = code[pc]!;
    if (op === 0x5b) jumpdests[pc] = 1;
    else if (op >= 0x60 && op <= 0x7f) pc += op - 0x5f;
  }
  return { bytes, length, jumpdests, view: new DataView(bytes.buffer) };
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
