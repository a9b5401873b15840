// `weft statetest <file-or-dir> [--json] [--workers N]`: runs the Cancun cases of ethereum/tests
// GeneralStateTests fixtures. Prints one line per failure, then a summary (with --json, a final single
// line {"passed":N,"failed":N,"skipped":N}). Exit code 1 on any failure, 2 on bad usage.
import { existsSync } from "node:fs";
import { runStateTests } from "../conformance/pool.js";
import { formatFailure } from "../conformance/runner.js";

const USAGE = "usage: weft statetest <file-or-dir> [--json] [--workers N]";

export async function statetestCommand(args: string[]): Promise<number> {
  let json = false;
  let workers: number | undefined;
  let target: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--json") json = true;
    else if (arg === "--workers") {
      const n = Number(args[++i]);
      if (!Number.isInteger(n) || n < 1) {
        console.error(`weft statetest: --workers needs a positive integer\n${USAGE}`);
        return 2;
      }
      workers = n;
    } else if (arg === "-h" || arg === "--help") {
      console.log(USAGE);
      return 0;
    } else if (arg.startsWith("-") || target !== undefined) {
      console.error(`weft statetest: unexpected argument ${arg}\n${USAGE}`);
      return 2;
    } else target = arg;
  }
  if (target === undefined) {
    console.error(USAGE);
    return 2;
  }
  if (!existsSync(target)) {
    console.error(`weft statetest: no such file or folder: ${target}`);
    return 2;
  }

  let summary: Awaited<ReturnType<typeof runStateTests>>;
  try {
    summary = await runStateTests(target, workers === undefined ? {} : { workers });
  } catch (err) {
    console.error(`weft statetest: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }

  for (const f of summary.failures) console.log(`FAIL ${formatFailure(f)}`);
  if (json) {
    console.log(JSON.stringify({ passed: summary.passed, failed: summary.failed, skipped: summary.skipped }));
  } else {
    const seconds = (summary.durationMs / 1000).toFixed(1);
    console.log(
      `${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped ` +
        `(${summary.cases} cases in ${summary.files} files, ${seconds}s)`,
    );
  }
  return summary.failed > 0 ? 1 : 0;
}
