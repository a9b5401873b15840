// Transpiles every TypeScript file under src/ and test/ to dist/, one output per input (no bundling),
// so worker threads and tests load plain ESM. Type checking is `npm run typecheck`.
import { readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

function collect(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

// WEFT_DIST builds elsewhere (e.g. two people testing in one tree without clearing each other's build).
const outdir = process.env.WEFT_DIST ?? "dist";
// Start clean: a test deleted from src/ must not keep running from a stale build.
rmSync(outdir, { recursive: true, force: true });

await build({
  entryPoints: [...collect("src"), ...collect("test")],
  outdir,
  outbase: ".",
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  logLevel: "warning",
});
