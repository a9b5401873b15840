// What makes `npm start` and `npm test` skip an unneeded build: a fingerprint of every input of the
// build (each file under src/, test/, bin/ and scripts/ by path, size and modification time, plus
// tsconfig.json, package.json and esbuild's version), stored as the last file written into a complete
// build. A build whose stamp matches the tree as it is now is current; a file added, removed, edited or
// touched changes the fingerprint, so the next build starts over from scratch.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { version as esbuildVersion } from "esbuild";

const INPUT_DIRS = ["src", "test", "bin", "scripts"];
const INPUT_FILES = ["tsconfig.json", "package.json"];
const STAMP_NAME = ".build-stamp";

/** The fingerprint of the build's inputs, relative to the current directory (the repository root). */
export function sourceFingerprint() {
  const lines = [`esbuild ${esbuildVersion}`];
  const describe = (path) => {
    const stat = statSync(path);
    lines.push(`${path}\t${stat.size}\t${stat.mtimeMs}`);
  };
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else describe(path);
    }
  };
  for (const dir of INPUT_DIRS) if (existsSync(dir)) walk(dir);
  for (const file of INPUT_FILES) if (existsSync(file)) describe(file);
  return createHash("sha256").update(lines.sort().join("\n")).digest("hex");
}

/** Whether the build in `outdir` was made from inputs with this fingerprint. */
export function isCurrent(outdir, fingerprint) {
  const stamp = join(outdir, STAMP_NAME);
  return existsSync(stamp) && readFileSync(stamp, "utf8") === fingerprint;
}

/** Marks the build in `outdir` as made from inputs with this fingerprint; call it once the build is complete. */
export function writeStamp(outdir, fingerprint) {
  writeFileSync(join(outdir, STAMP_NAME), fingerprint);
}
