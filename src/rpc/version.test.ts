import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot } from "../bench/compile.js";
import { CLIENT_VERSION, WEFT_VERSION } from "./version.js";

test("the version is package.json's", () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot(), "package.json"), "utf8")) as { version: string };
  assert.equal(WEFT_VERSION, pkg.version);
  assert.equal(CLIENT_VERSION, `weft/v${pkg.version}`);
});
