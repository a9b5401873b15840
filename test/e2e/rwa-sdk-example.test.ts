// The RWA SDK as a user reaches it: README.md quotes examples/rwa-transfer.mjs verbatim, and the example
// runs, as written, against a started `weft node --rwa`, importing "weft/rwa" through package.json's
// "exports" from a project that has weft installed (a temporary folder whose node_modules links to
// this package and its build). It onboards an investor and transfers WREF to them; the test then reads
// the investor's balance on chain itself.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { type Address, createPublicClient, getAddress, http } from "viem";
// Resolved through the package's "types" condition: `npm run typecheck` fails if weft/rwa has no types.
import type { RwaSuite } from "weft/rwa";
import { rwaArtifacts } from "../../src/rwa/compile.js";
import { RWA_PREDEPLOYED } from "../../src/rwa/predeploy-addresses.js";
import { regulatedTokenAbi } from "../../src/rwa/sdk/core-abi.js";
import { ROOT, runCommand, startTarget, TARGET, type Target } from "./harness.js";

const EXAMPLE = join(ROOT, "examples", "rwa-transfer.mjs");

/** A project with weft installed: node_modules/weft holds package.json as published, and its dist/
 * is the build under test (WEFT_DIST); viem, which the example imports too, is linked beside it. */
function projectWithWeftInstalled(): string {
  const project = mkdtempSync(join(tmpdir(), "weft-rwa-example-"));
  const weft = join(project, "node_modules", "weft");
  mkdirSync(weft, { recursive: true });
  copyFileSync(join(ROOT, "package.json"), join(weft, "package.json"));
  symlinkSync(resolve(ROOT, process.env.WEFT_DIST ?? "dist"), join(weft, "dist"), "dir");
  symlinkSync(join(ROOT, "node_modules", "viem"), join(project, "node_modules", "viem"), "dir");
  copyFileSync(EXAMPLE, join(project, "rwa-transfer.mjs"));
  return project;
}

test("README.md quotes examples/rwa-transfer.mjs verbatim", () => {
  const example = readFileSync(EXAMPLE, "utf8");
  const blocks = [...readFileSync(join(ROOT, "README.md"), "utf8").matchAll(/^```js\n([\s\S]*?)^```$/gm)];
  assert.ok(
    blocks.some((block) => block[1] === example),
    "README.md has no ```js block equal to examples/rwa-transfer.mjs",
  );
});

describe("the README's RWA example on weft node --rwa", () => {
  let node: Target | undefined;
  let project: string | undefined;
  // A node started with --rwa compiles the suite before it listens (cached in .cache/solc): compile
  // up front, within the harness's 30 s to listen.
  before(() => (TARGET === "anvil" ? undefined : rwaArtifacts()), { timeout: 600_000 });
  after(async () => {
    await node?.stop();
    if (project) rmSync(project, { recursive: true, force: true });
  });

  test("onboards an investor and transfers 100 WREF to them", { timeout: 120_000 }, async (t) => {
    if (TARGET === "anvil") return t.skip("--rwa (the suite predeployed) is Weft's");
    node = await startTarget({ args: ["--rwa"] });
    project = projectWithWeftInstalled();
    const run = await runCommand(process.execPath, [join(project, "rwa-transfer.mjs")], {
      ...process.env,
      RPC_URL: node.url,
    });
    assert.equal(run.code, 0, `the example failed:\n${run.stderr}${run.stdout}`);
    assert.match(run.stdout, /^before: receiver not verified$/m);
    assert.match(run.stdout, /^after: OK$/m);
    const held = /^(0x[0-9a-fA-F]{40}) holds 100 WREF$/m.exec(run.stdout);
    assert.ok(held, `no "holds 100 WREF" line in:\n${run.stdout}`);

    const suite: RwaSuite = RWA_PREDEPLOYED;
    const chain = createPublicClient({ transport: http(node.url) });
    const investor = getAddress(held[1]!) as Address;
    const balance = await chain.readContract({
      address: suite.token,
      abi: regulatedTokenAbi,
      functionName: "balanceOf",
      args: [investor],
    });
    assert.equal(balance, 100_000_000n);
  });
});
