import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot } from "../bench/compile.js";
import { NODE_RUNTIME_FLAGS } from "./runtime-flags.js";

test("npm start runs the node with the runtime flags the benchmark uses", () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot(), "package.json"), "utf8")) as { scripts: { start: string } };
  for (const flag of NODE_RUNTIME_FLAGS) assert.ok(pkg.scripts.start.includes(`node ${flag}`), flag);
});
