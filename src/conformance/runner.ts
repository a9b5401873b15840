// Runs the Cancun cases of one GeneralStateTests file. A case passes only when the post-state root and
// the logs hash match the fixture, and, where the fixture expects the transaction to be rejected, the
// executor rejected it (leaving the pre-state, whose root must then match).
import { readFileSync } from "node:fs";
import type { BlockEnv } from "../evm/host.js";
import { processTransaction } from "../exec/process-transaction.js";
import type { TxOutcome } from "../exec/types.js";
import { wordToHex } from "../primitives/hex.js";
import { logsHash } from "../state/logs-hash.js";
import type { MemoryState } from "../state/memory-state.js";
import { reasonMatches } from "./exceptions.js";
import {
  buildBlockEnv,
  buildPreState,
  buildTx,
  type CaseIndexes,
  FORK,
  fixtureBigint,
  type PostEntryJson,
  parseFixture,
  type StateTestJson,
} from "./loader.js";
import { findSkip } from "./skips.js";

/** keccak256(rlp([])): the logs hash of a transaction without logs. */
const EMPTY_LOGS_HASH = 0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347n;

export interface CaseFailure {
  /** Fixture path relative to the GeneralStateTests folder (or as given). */
  file: string;
  /** Test name inside the file; empty for a failure of the whole file. */
  test: string;
  indexes?: CaseIndexes;
  reason: string;
}

export interface FileResult {
  file: string;
  /** Top-level GeneralStateTests folder of the file ("" where unknown). */
  folder: string;
  /** Cancun cases found in the file (passed + failed + skipped, unless the file could not be read). */
  cases: number;
  passed: number;
  failed: number;
  skipped: number;
  failures: CaseFailure[];
  durationMs: number;
}

/** One line for a failure: file, test and indexes, then why. */
export function formatFailure(f: CaseFailure): string {
  const where = f.test === "" ? f.file : `${f.file} ${f.test}`;
  const idx = f.indexes ? ` [d=${f.indexes.data} g=${f.indexes.gas} v=${f.indexes.value}]` : "";
  return `${where}${idx}: ${f.reason}`;
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const frame = err.stack?.split("\n")[1]?.trim();
    return `${err.name}: ${err.message}${frame ? ` (${frame})` : ""}`;
  }
  return String(err);
}

/** Why a case fails, or undefined where it passes. Never throws. */
function checkCase(
  test: StateTestJson,
  block: BlockEnv,
  entry: PostEntryJson,
  pre: MemoryState,
  preRoot: () => bigint,
): string | undefined {
  const tx = buildTx(test.transaction, entry.indexes);
  const wantRoot = fixtureBigint(entry.hash);
  const wantLogs = fixtureBigint(entry.logs);

  let outcome: TxOutcome;
  try {
    outcome = processTransaction(tx, block, pre);
  } catch (err) {
    return `processTransaction threw ${errorText(err)}`;
  }

  if (!outcome.valid) {
    if (entry.expectException === undefined) return `transaction rejected unexpectedly: ${outcome.error.message}`;
    if (!reasonMatches(entry.expectException, outcome.error.reason)) {
      return `expected ${entry.expectException}, but rejected for ${outcome.error.reason}: ${outcome.error.message}`;
    }
    const root = preRoot();
    if (root !== wantRoot) return `rejected as expected, but pre-state root ${wordToHex(root)} != ${entry.hash}`;
    if (wantLogs !== EMPTY_LOGS_HASH) return `rejected as expected, but fixture logs hash is ${entry.logs}`;
    return undefined;
  }
  if (entry.expectException !== undefined) {
    return `expected exception ${entry.expectException}, but the transaction was valid (status ${outcome.status}, gasUsed ${outcome.gasUsed})`;
  }
  const problems: string[] = [];
  let gotLogs: bigint;
  try {
    gotLogs = logsHash(outcome.logs);
  } catch (err) {
    return `logsHash threw ${errorText(err)}`;
  }
  if (gotLogs !== wantLogs)
    problems.push(`logs hash ${wordToHex(gotLogs)} != ${entry.logs} (${outcome.logs.length} logs)`);
  try {
    const post = pre.clone();
    post.applyWrites(outcome.writes);
    const root = post.stateRoot();
    if (root !== wantRoot) {
      problems.push(
        `state root ${wordToHex(root)} != ${entry.hash} (status ${outcome.status}, gasUsed ${outcome.gasUsed})`,
      );
    }
  } catch (err) {
    return `applying writes threw ${errorText(err)}`;
  }
  return problems.length === 0 ? undefined : problems.join("; ");
}

/** Which of a file's Cancun cases to run: ordinals [start, end) counted across the file's tests in order. */
export interface CaseRange {
  start: number;
  end: number;
}

/**
 * Runs the Cancun cases of the fixture file at `path` (all of them, or those in `range`). `file` names
 * it in results (its path relative to the GeneralStateTests folder, which is also what skips.ts
 * matches on).
 */
export function runStateTestFile(path: string, file: string, folder: string, range?: CaseRange): FileResult {
  const started = performance.now();
  const result: FileResult = { file, folder, cases: 0, passed: 0, failed: 0, skipped: 0, failures: [], durationMs: 0 };
  let fixture: ReturnType<typeof parseFixture>;
  try {
    fixture = parseFixture(readFileSync(path, "utf8"));
  } catch (err) {
    result.failed++;
    result.failures.push({ file, test: "", reason: `cannot read fixture: ${errorText(err)}` });
    result.durationMs = performance.now() - started;
    return result;
  }

  const first = range?.start ?? 0;
  const end = range?.end ?? Number.POSITIVE_INFINITY;
  let ordinal = 0;
  for (const [name, test] of Object.entries(fixture)) {
    const all = test.post?.[FORK] ?? [];
    const from = ordinal;
    ordinal += all.length;
    const entries = all.slice(Math.max(0, first - from), Math.max(0, end - from));
    if (entries.length === 0) continue;
    let pre: MemoryState;
    let block: BlockEnv;
    try {
      block = buildBlockEnv(test.env);
      pre = buildPreState(test.pre, block.number);
      // Fill the per-account storage-root caches once; every case's post-state clones them.
      pre.stateRoot();
    } catch (err) {
      for (const entry of entries) {
        result.cases++;
        result.failed++;
        result.failures.push({ file, test: name, indexes: entry.indexes, reason: `bad fixture: ${errorText(err)}` });
      }
      continue;
    }
    let cachedPreRoot: bigint | undefined;
    const preRoot = () => (cachedPreRoot ??= pre.stateRoot());

    for (const entry of entries) {
      result.cases++;
      if (findSkip(file, name, entry.indexes) !== undefined) {
        result.skipped++;
        continue;
      }
      let reason: string | undefined;
      try {
        reason = checkCase(test, block, entry, pre, preRoot);
      } catch (err) {
        reason = `runner error: ${errorText(err)}`;
      }
      if (reason === undefined) {
        result.passed++;
      } else {
        result.failed++;
        result.failures.push({ file, test: name, indexes: entry.indexes, reason });
      }
    }
  }
  result.durationMs = performance.now() - started;
  return result;
}
