// scripts/build.js as `npm start` and `npm test` run it, in a copy of the repository (its own dist/,
// node_modules linked): a build of an unchanged tree does nothing; a touched, added or removed source
// rebuilds (and a removed source's output goes); a build killed part way, or between its two renames,
// leaves a dist/ that runs, and the next build cleans up after it.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { ROOT } from "../e2e/harness.js";

/** Above Linux's PID_MAX_LIMIT (2^22): never a running process, so what it left is a dead build's. */
const DEAD_PID = 4_194_305;

describe("scripts/build.js", { concurrency: false, timeout: 300_000 }, () => {
  const repo = mkdtempSync(join(tmpdir(), "weft-build-"));
  const dist = join(repo, "dist");
  const env = { ...process.env, WEFT_DIST: "dist" };
  const run = (script: string, ...args: string[]) => runIn(repo, env, script, args);
  const build = () => run("scripts/build.js");
  const builtOk = async () => {
    const run = await build();
    assert.equal(run.code, 0, run.stderr);
    return run;
  };
  /** A rebuild swaps a new folder in, so dist/'s inode tells whether a build ran. */
  const distId = () => statSync(dist).ino;
  const leftovers = () => readdirSync(repo).filter((name) => /^dist-(building|old)-\d+$/.test(name));
  const probe = join(repo, "src", "build-probe.ts");

  before(async () => {
    for (const path of ["src", "test", "bin", "scripts", "tsconfig.json", "package.json"]) {
      cpSync(join(ROOT, path), join(repo, path), { recursive: true });
    }
    symlinkSync(join(ROOT, "node_modules"), join(repo, "node_modules"), "dir");
    await builtOk();
  });
  after(() => rmSync(repo, { recursive: true, force: true }));

  test("a build of an unchanged tree does nothing and prints nothing", async () => {
    const before = distId();
    const run = await builtOk();
    assert.equal(run.stdout + run.stderr, "");
    assert.equal(distId(), before);
  });

  test("a touched source rebuilds", async () => {
    const before = distId();
    const later = new Date(Date.now() + 2_000);
    utimesSync(join(repo, "src", "cli", "main.ts"), later, later);
    await builtOk();
    assert.notEqual(distId(), before);
  });

  test("a build killed part way leaves a dist/ that runs; the next build completes it", async () => {
    writeFileSync(probe, "export const probe = 1;\n");
    // Its own process group, killed whole as Ctrl-C would (esbuild's service process included).
    const child = spawn(process.execPath, ["scripts/build.js"], { cwd: repo, env, stdio: "ignore", detached: true });
    await killOnceItBuilds(child, join(repo, `dist-building-${child.pid}`));
    const weft = await run("bin/weft.js", "--version");
    assert.equal(weft.code, 0, weft.stderr);

    await builtOk();
    assert.deepEqual(leftovers(), []);
    assert.equal((await import(pathToFileURL(join(dist, "src", "build-probe.js")).href)).probe, 1);
  });

  test("a removed source's output goes at the next build", async () => {
    unlinkSync(probe);
    await builtOk();
    assert.equal(existsSync(join(dist, "src", "build-probe.js")), false);
  });

  test("a build killed between its renames: the next puts the previous build back, and leftovers go", async () => {
    const before = distId();
    renameSync(dist, join(repo, `dist-old-${DEAD_PID}`));
    mkdirSync(join(repo, `dist-building-${DEAD_PID}`, "src"), { recursive: true });
    await builtOk();
    assert.equal(distId(), before, "the previous build, current, is back without a rebuild");
    assert.deepEqual(leftovers(), []);
  });
});

/** SIGKILLs `child`'s process group once its build folder appears (esbuild is writing it), and waits. */
async function killOnceItBuilds(child: ChildProcess, folder: string): Promise<void> {
  const exited = new Promise((resolve) => child.on("exit", resolve));
  while (!existsSync(folder) && child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
  if (child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
  await exited;
}

/** Runs `node script args` in `cwd` to its end: exit code and output. */
function runIn(
  cwd: string,
  env: NodeJS.ProcessEnv,
  script: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => void (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => void (stderr += c.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}
