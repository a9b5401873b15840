#!/usr/bin/env node
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// WEFT_DIST: relative to the repository root, or absolute. The runtime bundle where the build has one
// (scripts/bundle-runtime.js), else the per-file build (an older build).
const dist = resolve(root, process.env.WEFT_DIST ?? "dist");
const bundled = join(dist, "bundle", "cli", "main.js");
const entry = existsSync(bundled) ? bundled : join(dist, "src", "cli", "main.js");
if (!existsSync(entry)) {
  console.error("weft: not built yet; run `npm run build` first");
  process.exit(1);
}
const { main, benchExecRelaunchFlags } = await import(entry);
const args = process.argv.slice(2);
// `bench exec` measures the executor under the V8 flags `npm start` gives the node: run it again under them.
// (A build older than this script has no such export: it runs as it is.)
const flags =
  process.env.WEFT_RELAUNCHED === "1" || typeof benchExecRelaunchFlags !== "function"
    ? undefined
    : benchExecRelaunchFlags(args);
if (flags !== undefined) {
  const child = spawnSync(process.execPath, [...flags, fileURLToPath(import.meta.url), ...args], {
    stdio: "inherit",
    env: { ...process.env, WEFT_RELAUNCHED: "1" },
  });
  process.exitCode = child.status ?? 1;
} else {
  process.exitCode = await main(args);
}
