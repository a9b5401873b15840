// Transpiles every TypeScript file under src/ and test/ to dist/, one output per input (no bundling),
// so tests load plain ESM; then bundles what bin/weft.js runs into dist/bundle (bundle-runtime.js).
// Type checking is `npm run typecheck`.
import { copyFileSync, existsSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { build } from "esbuild";
import { isCurrent, sourceFingerprint, writeStamp } from "./build-stamp.js";
import { bundleRuntime } from "./bundle-runtime.js";

function collect(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

// WEFT_DIST builds elsewhere (e.g. two people testing in one tree without clearing each other's build).
const outdir = resolve(process.env.WEFT_DIST ?? "dist");
// Taken before esbuild reads anything, so an edit made during the build makes the next one rebuild.
const fingerprint = sourceFingerprint();
// A fresh build when any input changed (a test deleted from src/ must not keep running from a stale
// build), made beside the old one and swapped in when complete: a Ctrl-C mid-build leaves the previous
// build whole. The stamp is written last into the new build, so only a complete build is ever current.
const building = `${outdir}-building-${process.pid}`;
const retired = `${outdir}-old-${process.pid}`;
const parent = dirname(outdir);
const leftover = new RegExp(`^${escapeRegExp(basename(outdir))}-(building|old)-\\d+$`);
for (const name of existsSync(parent) ? readdirSync(parent) : []) {
  // What an interrupted build left behind, unless that build is still running.
  const match = leftover.exec(name);
  if (!match || isRunning(Number(name.slice(name.lastIndexOf("-") + 1)))) continue;
  // Killed between its two renames: the previous build, whole, is under its -old- name.
  if (match[1] === "old" && !existsSync(outdir)) renameSync(join(parent, name), outdir);
  else rmSync(join(parent, name), { recursive: true, force: true });
}
if (isCurrent(outdir, fingerprint)) process.exit(0);

const sources = collect("src");
await build({
  entryPoints: [...sources, ...collect("test")],
  outdir: building,
  outbase: ".",
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  logLevel: "warning",
});
// The explorer page the node serves at GET / (src/rpc/explorer-page.ts reads <outdir>/explorer/ at
// start): one minified browser bundle of src/explorer/app.ts, its stylesheet and its index.html.
await build({
  entryPoints: ["src/explorer/app.ts", "src/explorer/style.css"],
  outdir: join(building, "explorer"),
  bundle: true,
  minify: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  logLevel: "warning",
});
copyFileSync("src/explorer/index.html", join(building, "explorer", "index.html"));
// What bin/weft.js runs (scripts/bundle-runtime.js): one file per thread's entry, loaded in a third of the time.
await bundleRuntime(process.cwd(), building, sources);
writeStamp(building, fingerprint);
if (existsSync(outdir)) renameSync(outdir, retired);
renameSync(building, outdir);
rmSync(retired, { recursive: true, force: true });

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}
