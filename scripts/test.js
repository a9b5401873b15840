// Runs every built test file (dist/**/*.test.js: unit tests beside the code in src/, spec tests in
// test/spec/) with node's own runner, so its summary is what CI prints. `npm test` builds first.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";

function collect(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (name.endsWith(".test.js")) out.push(path);
  }
  return out;
}

const outdir = process.env.WEFT_DIST ?? "dist";
// Arguments that are not flags narrow the run to test files whose path contains one of them.
const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith("-"));
const flags = args.filter((a) => a.startsWith("-"));
const files = collect(outdir)
  .filter((f) => filters.length === 0 || filters.some((p) => f.includes(p)))
  .sort();
if (files.length === 0) {
  console.error(`scripts/test.js: no ${outdir}/**/*.test.js found (or none matched); run "npm run build" first`);
  process.exit(1);
}

// One test file per core: files run as child processes, and the spec suites are CPU-bound, so more
// than the core count only adds contention (CI has 2 cores).
const concurrency = Math.max(1, availableParallelism());
const result = spawnSync(
  process.execPath,
  ["--enable-source-maps", "--test", `--test-concurrency=${concurrency}`, ...flags, ...files],
  { stdio: "inherit" },
);
if (result.error) throw result.error;
process.exit(result.status ?? 1);
