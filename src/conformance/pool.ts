// Runs GeneralStateTests fixture files across worker threads: one worker per core, fed from a queue of
// files, known-slow and then biggest first (so a long file does not start last and leave the other
// cores idle). Each worker gets a 256 MiB stack, since EVM calls recurse up to depth 1024. The pool
// also checks the fixture tree against known-folders.ts: unknown folders, missing folders and changed
// case counts are failures.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { Worker } from "node:worker_threads";
import { KNOWN_FOLDERS } from "./known-folders.js";
import { countCases, parseFixture } from "./loader.js";
import type { CaseFailure, FileResult } from "./runner.js";
import type { WorkerJob, WorkerMessage, WorkerOptions } from "./worker.js";

/** Name of the fixture folder that holds the known top-level folders. */
export const FIXTURE_ROOT_NAME = "GeneralStateTests";
const WORKER_STACK_MB = 256;

/**
 * Files known to take far longer than their size suggests (long loops, max-round BLAKE2f), slowest
 * first. They are queued before all others and split into one job per case, so that their cases run
 * in parallel and no core is left with one of them at the end of a run while the others idle.
 */
const SLOW_FILES: readonly string[] = [
  "stTimeConsuming/CALLBlake2f_MaxRounds.json",
  "VMTests/vmPerformance/loopMul.json",
  "VMTests/vmPerformance/loopExp.json",
  "stTimeConsuming/static_Call50000_sha256.json",
];

export interface RunOptions {
  /** Worker threads; default os.availableParallelism(). */
  workers?: number;
  /** Called as a worker starts on a file (for progress output and watchdogs). */
  onStart?: (file: string) => void;
  /** Called as each job finishes: a file, or one case of a split known-slow file (progress output). */
  onFile?: (result: FileResult) => void;
  /** Compile every basic block at its first run (block-compiler.ts), instead of the node's policy. */
  compileEveryBlock?: boolean;
}

export interface RunSummary {
  files: number;
  cases: number;
  passed: number;
  failed: number;
  skipped: number;
  /** Every failure, fixture-tree problems (unknown folder, count mismatch) included. */
  failures: CaseFailure[];
  /** Cancun cases found per top-level folder. */
  casesPerFolder: Map<string, number>;
  /** Whether the fixture-tree checks applied (the target lies inside a GeneralStateTests folder). */
  foldersChecked: boolean;
  /** Files by time taken, slowest first (the first 10). */
  slowest: { file: string; ms: number }[];
  durationMs: number;
}

interface FixtureFile extends WorkerJob {
  size: number;
}

/** The result of a file whose worker died before reporting it: one failure, saying why. */
function lostFileResult(job: FixtureFile, reason: string): FileResult {
  return {
    file: job.file,
    folder: job.folder,
    cases: 0,
    passed: 0,
    failed: 1,
    skipped: 0,
    failures: [{ file: job.file, test: "", reason }],
    durationMs: 0,
  };
}

function collectJson(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) collectJson(path, out);
    else if (entry.isFile() && entry.name.endsWith(".json")) out.push(path);
  }
}

/** The fixture files under `target` (a file or a folder), with the names results use. */
export function listFixtures(target: string): {
  files: FixtureFile[];
  root: string | undefined;
  coveredFolders: string[];
} {
  const abs = resolve(target);
  const isDir = statSync(abs).isDirectory();
  const paths: string[] = [];
  if (isDir) collectJson(abs, paths);
  else paths.push(abs);

  // The GeneralStateTests folder at or above the target, if any: names and folders are relative to it.
  const parts = abs.split(sep);
  const at = parts.lastIndexOf(FIXTURE_ROOT_NAME);
  const root = at >= 0 ? parts.slice(0, at + 1).join(sep) || sep : undefined;
  const base = root ?? (isDir ? abs : dirname(abs));

  // Folders the run covers whole: every folder when the target is the root, or the one it names.
  let coveredFolders: string[] = [];
  if (root !== undefined && isDir) {
    if (abs === root) coveredFolders = readdirSync(root).filter((n) => statSync(join(root, n)).isDirectory());
    else if (dirname(abs) === root) coveredFolders = [basename(abs)];
  }

  const files = paths.map((path) => {
    const file = relative(base, path).split(sep).join("/");
    const slash = file.indexOf("/");
    return {
      path,
      file,
      folder: root !== undefined && slash > 0 ? file.slice(0, slash) : "",
      size: statSync(path).size,
    };
  });
  const rank = (f: FixtureFile) => {
    const i = SLOW_FILES.indexOf(f.file);
    return i < 0 ? SLOW_FILES.length : i;
  };
  files.sort((a, b) => rank(a) - rank(b) || b.size - a.size || (a.file < b.file ? -1 : 1));
  return { files, root, coveredFolders };
}

/** The jobs for `files`: one per file, except one per case for the known-slow files. */
function splitSlowFiles(files: FixtureFile[]): FixtureFile[] {
  const jobs: FixtureFile[] = [];
  for (const f of files) {
    let count = 0;
    if (SLOW_FILES.includes(f.file)) {
      try {
        count = countCases(parseFixture(readFileSync(f.path, "utf8")));
      } catch {
        count = 0; // the worker reports the unreadable file
      }
    }
    if (count <= 1) jobs.push(f);
    else for (let i = 0; i < count; i++) jobs.push({ ...f, cases: { start: i, end: i + 1 } });
  }
  return jobs;
}

function runFiles(
  files: FixtureFile[],
  workers: number,
  compileEveryBlock: boolean,
  onStart: (file: string) => void,
  onResult: (r: FileResult) => void,
): Promise<void> {
  return new Promise((resolveAll, rejectAll) => {
    const queue = files.slice();
    let live = 0;
    let settled = false;
    const running = new Set<Worker>();
    const workerUrl = new URL("./worker.js", import.meta.url);

    const finish = (err?: Error) => {
      if (settled) return;
      if (err) {
        settled = true;
        for (const w of running) void w.terminate();
        rejectAll(err);
      } else if (live === 0) {
        settled = true;
        resolveAll();
      }
    };

    const start = () => {
      live++;
      const worker = new Worker(workerUrl, {
        resourceLimits: { stackSizeMb: WORKER_STACK_MB },
        workerData: { compileEveryBlock } satisfies WorkerOptions,
      });
      running.add(worker);
      let current: FixtureFile | undefined;
      let ready = false;
      const next = () => {
        current = queue.shift();
        if (current === undefined) {
          void worker.terminate();
          return;
        }
        const job: WorkerJob = { path: current.path, file: current.file, folder: current.folder };
        if (current.cases !== undefined) job.cases = current.cases;
        onStart(current.file);
        worker.postMessage(job);
      };
      worker.on("message", (m: WorkerMessage) => {
        if (m.type === "ready") {
          ready = true;
          next();
        } else {
          current = undefined;
          onResult(m.result);
          next();
        }
      });
      worker.on("error", (err) => {
        if (!ready) {
          finish(new Error(`conformance worker failed to start: ${err.stack ?? err.message}`));
          return;
        }
        if (current !== undefined) {
          onResult(lostFileResult(current, `worker crashed: ${err.stack ?? err.message}`));
          current = undefined;
        }
      });
      worker.on("exit", (code) => {
        live--;
        running.delete(worker);
        if (!ready) {
          finish(new Error(`conformance worker exited with code ${code} before it was ready`));
          return;
        }
        if (current !== undefined) {
          // Exited without an error event (e.g. out of memory): the file's result is lost.
          onResult(lostFileResult(current, `worker exited with code ${code} while running it`));
          current = undefined;
        }
        // A crashed worker is replaced while work remains.
        if (queue.length > 0 && !settled) start();
        finish();
      });
    };

    const count = Math.max(1, Math.min(workers, files.length));
    if (files.length === 0) {
      resolveAll();
      return;
    }
    for (let i = 0; i < count; i++) start();
  });
}

/** Runs every Cancun case of the fixtures under `target` (a GeneralStateTests file or folder). */
export async function runStateTests(target: string, options: RunOptions = {}): Promise<RunSummary> {
  const started = performance.now();
  const { files, root, coveredFolders } = listFixtures(target);
  const summary: RunSummary = {
    files: files.length,
    cases: 0,
    passed: 0,
    failed: 0,
    skipped: 0,
    failures: [],
    casesPerFolder: new Map(),
    foldersChecked: root !== undefined,
    slowest: [],
    durationMs: 0,
  };
  const durations = new Map<string, number>();
  let treeProblems = 0;

  // Fixture-tree checks, before running anything.
  if (root !== undefined) {
    const unknown = new Set<string>();
    for (const f of files) {
      if (f.folder === "" || !Object.hasOwn(KNOWN_FOLDERS, f.folder)) unknown.add(f.folder || f.file);
    }
    for (const folder of coveredFolders) if (!Object.hasOwn(KNOWN_FOLDERS, folder)) unknown.add(folder);
    for (const name of [...unknown].sort()) {
      treeProblems++;
      summary.failures.push({
        file: name,
        test: "",
        reason: "unknown fixture folder (not in src/conformance/known-folders.ts)",
      });
    }
  }

  const onStart = options.onStart ?? (() => {});
  const workers = options.workers ?? availableParallelism();
  await runFiles(splitSlowFiles(files), workers, options.compileEveryBlock === true, onStart, (r) => {
    summary.cases += r.cases;
    summary.passed += r.passed;
    summary.failed += r.failed;
    summary.skipped += r.skipped;
    for (const f of r.failures) summary.failures.push(f);
    if (r.folder !== "") summary.casesPerFolder.set(r.folder, (summary.casesPerFolder.get(r.folder) ?? 0) + r.cases);
    durations.set(r.file, (durations.get(r.file) ?? 0) + r.durationMs);
    options.onFile?.(r);
  });

  if (root !== undefined) {
    const covered = new Set(coveredFolders);
    const fullRun = resolve(target) === root;
    const expectedFolders = fullRun ? Object.keys(KNOWN_FOLDERS) : coveredFolders;
    for (const folder of expectedFolders) {
      const want = KNOWN_FOLDERS[folder];
      if (want === undefined) continue; // reported as unknown above
      if (fullRun && !covered.has(folder)) {
        treeProblems++;
        summary.failures.push({ file: folder, test: "", reason: `known fixture folder is missing (${want} cases)` });
        continue;
      }
      const got = summary.casesPerFolder.get(folder) ?? 0;
      if (got !== want) {
        treeProblems++;
        summary.failures.push({
          file: folder,
          test: "",
          reason: `folder holds ${got} Cancun cases, known-folders.ts expects ${want}`,
        });
      }
    }
  }

  // Fixture-tree problems count as failures too.
  summary.failed += treeProblems;
  summary.slowest = [...durations]
    .map(([file, ms]) => ({ file, ms }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 10);
  summary.durationMs = performance.now() - started;
  return summary;
}
