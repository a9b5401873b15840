// Shared by the CLI's tests only: runs the `weft` entry point in-process with its console output
// captured.
import type { TestContext } from "node:test";
import { main } from "./main.js";

/** Runs main with console output captured: the exit code, and what went to stdout and stderr. */
export async function runMain(t: TestContext, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  t.mock.method(console, "log", (...a: unknown[]) => void (out += `${a.join(" ")}\n`));
  t.mock.method(console, "error", (...a: unknown[]) => void (err += `${a.join(" ")}\n`));
  const code = await main(argv);
  t.mock.restoreAll();
  return { code, out, err };
}
