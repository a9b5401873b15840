#!/usr/bin/env node
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// WEFT_DIST: relative to the repository root, or absolute.
const entry = join(resolve(root, process.env.WEFT_DIST ?? "dist"), "src", "cli", "main.js");
if (!existsSync(entry)) {
  console.error("weft: not built yet; run `npm run build` first");
  process.exit(1);
}
const { main } = await import(entry);
process.exitCode = await main(process.argv.slice(2));
