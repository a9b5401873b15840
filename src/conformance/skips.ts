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

export const SKIPS: readonly Skip[] = [];

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
