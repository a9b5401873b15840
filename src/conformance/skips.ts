// The ONE list of GeneralStateTests cases the conformance runner skips, each with its reason. Skipping
// is a last resort: every entry needs a written reason (a link to the issue or the spec text that
// explains it), and at most MAX_SKIP_FRACTION of all cases may ever be skipped; the spec test fails
// above that.
import type { CaseIndexes } from "./loader.js";

export interface Skip {
  /** Fixture path relative to the GeneralStateTests folder, e.g. "stExample/add11.json". */
  file: string;
  /** Test name inside the file; all tests of the file where absent. */
  test?: string;
  /** One case of the test; all its Cancun cases where absent. */
  indexes?: CaseIndexes;
  reason: string;
}

export const MAX_SKIP_FRACTION = 0.005;

// Frames count gas in IEEE doubles, exact up to 2^53; a transaction's gas above that is carried as an
// unspendable excess (process-transaction.ts). These two cases send a transaction with 2^63 - 2^53 + 1
// gas, forward 63/64 of it through 1023 nested STATICCALLs and burn all that reaches the deepest frame
// (about 9e11 gas), so their expected gas depends on integer arithmetic above 2^53. No block gas limit
// comes near 2^53 (mainnet: 3e7; Weft's dev chain: 3e7), so no chain Weft runs can hold such a
// transaction.
const GAS_ABOVE_2_53 =
  "transaction gas above 2^53 forwarded through 1023 frames: impossible under any real block gas limit";

export const SKIPS: readonly Skip[] = [
  { file: "stStaticCall/static_LoopCallsDepthThenRevert2.json", reason: GAS_ABOVE_2_53 },
  { file: "stStaticCall/static_LoopCallsDepthThenRevert3.json", reason: GAS_ABOVE_2_53 },
];

/** The skip entry covering a case, if any. */
export function findSkip(file: string, test: string, indexes: CaseIndexes): Skip | undefined {
  for (const skip of SKIPS) {
    if (skip.file !== file) continue;
    if (skip.test !== undefined && skip.test !== test) continue;
    const i = skip.indexes;
    if (i !== undefined && (i.data !== indexes.data || i.gas !== indexes.gas || i.value !== indexes.value)) continue;
    return skip;
  }
  return undefined;
}
