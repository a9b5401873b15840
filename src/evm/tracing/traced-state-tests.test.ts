// Tracing must not change execution: GeneralStateTests folders run with every hook attached (the
// traced interpreter loop, struct logs with memory, the call tracer with logs) still reach the
// fixtures' post-state roots and logs hashes, and the tracers' frames pair up. Needs the fixtures in
// ../shared (as test/spec does); the whole suite stays test/spec's job, untraced.
//
// Each folder runs in a worker thread, as the conformance runner runs its cases: a worker's 4 MB stack
// holds 1024 nested traced calls, which the main thread's default stack does not (see Evm).
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { GENERAL_STATE_TESTS, withoutFixtures } from "../../conformance/fixtures.js";
import { buildBlockEnv, buildPreState, buildTx, FORK, fixtureBigint, parseFixture } from "../../conformance/loader.js";
import { findSkip } from "../../conformance/skips.js";
import { processTransaction } from "../../exec/process-transaction.js";
import { wordToHex } from "../../primitives/hex.js";
import { logsHash } from "../../state/logs-hash.js";
import { CallTracer } from "./call-tracer.js";
import { StructLogger } from "./struct-logger.js";
import { teeTracer } from "./testkit.js";
import { TraceTooLargeError, type TxTracer } from "./types.js";

const ROOT = GENERAL_STATE_TESTS;
const FOLDERS = ["VMTests", "stCallCodes", "stRevertTest", "stCreateTest", "stStaticCall"];
/** Struct logs kept per case (bytes of JSON): some cases run millions of steps; the hooks run for all. */
const LOG_LIMIT = 1_000_000;
/**
 * Call traces past this size stop with TraceTooLargeError (some cases make 50,000 calls with 50 KB of
 * input each: gigabytes of trace); such a case runs again with the top call only.
 */
const CALL_TRACE_BUDGET = 20_000_000;
/**
 * Left to the untraced suite, for time: vmPerformance's loops (hundreds of millions of steps a case)
 * and stStaticCall's 50,000-call cases (a minute and more traced; the budget case above is met anyway).
 */
const HEAVY = /vmPerformance|static_Call50000|static_Return50000/;

interface FolderResult {
  cases: number;
  /** Cases whose full call trace passed the budget. */
  tooLarge: number;
  failures: string[];
}

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files(path, out);
    else if (name.endsWith(".json")) out.push(path);
  }
  return out;
}

/** Checks that frames open and close in order, each exit at the depth of the last open frame. */
function framePairing(): TxTracer & { open: number[]; errors: string[] } {
  const open: number[] = [];
  const errors: string[] = [];
  return {
    open,
    errors,
    onTxStart() {},
    onTxEnd() {},
    onEnter(depth) {
      if (depth !== open.length) errors.push(`enter at depth ${depth} with ${open.length} open`);
      open.push(depth);
    },
    onExit(depth) {
      if (open.pop() !== depth) errors.push(`exit at depth ${depth} does not close the last frame`);
    },
    onLog() {},
    result: () => undefined,
  };
}

function runFolder(folder: string): FolderResult {
  let cases = 0;
  let tooLarge = 0;
  const failures: string[] = [];
  for (const path of files(join(ROOT, folder)).filter((p) => !HEAVY.test(p))) {
    const file = relative(ROOT, path);
    for (const [name, t] of Object.entries(parseFixture(readFileSync(path, "utf8")))) {
      const block = buildBlockEnv(t.env);
      const pre = buildPreState(t.pre, block.number);
      for (const entry of t.post?.[FORK] ?? []) {
        if (findSkip(file, name, entry.indexes) !== undefined) continue;
        cases++;
        const where = `${file} ${name} ${JSON.stringify(entry.indexes)}`;
        const tx = buildTx(t.transaction, entry.indexes);
        const run = (onlyTopCall: boolean) => {
          const pairing = framePairing();
          const calls = new CallTracer({ withLog: true, onlyTopCall }, 0, CALL_TRACE_BUDGET);
          const steps = new StructLogger({ enableMemory: true, enableReturnData: true, limit: LOG_LIMIT });
          const tracer = teeTracer(steps, calls, pairing);
          tracer.onTxStart(tx.gasLimit);
          return { pairing, calls, steps, tracer, outcome: processTransaction(tx, block, pre, { tracer }) };
        };
        let traced: ReturnType<typeof run>;
        try {
          traced = run(false);
        } catch (error) {
          if (!(error instanceof TraceTooLargeError)) throw error;
          tooLarge++;
          traced = run(true);
        }
        const { pairing, calls, steps, tracer, outcome } = traced;
        if (!outcome.valid) {
          if (entry.expectException === undefined) failures.push(`${where}: rejected: ${outcome.error.message}`);
          continue;
        }
        tracer.onTxEnd(outcome.gasUsed);
        const post = pre.clone();
        post.applyWrites(outcome.writes);
        const root = post.stateRoot();
        if (root !== fixtureBigint(entry.hash)) failures.push(`${where}: state root ${wordToHex(root)}`);
        if (logsHash(outcome.logs) !== fixtureBigint(entry.logs)) failures.push(`${where}: logs hash`);
        if (pairing.errors.length > 0 || pairing.open.length > 0)
          failures.push(`${where}: ${pairing.errors.join("; ")}`);
        const top = calls.result();
        // A creation at a taken address starts no frame (the RPC layer reports one, as geth does).
        if (top === undefined) {
          if (tx.to !== null) failures.push(`${where}: no call trace`);
        } else if (top.gasUsed !== `0x${outcome.gasUsed.toString(16)}`) {
          failures.push(`${where}: callTracer gasUsed ${top.gasUsed}, receipt ${outcome.gasUsed}`);
        }
        if (steps.result().gas !== Number(outcome.gasUsed)) failures.push(`${where}: struct logger gas`);
      }
    }
  }
  return { cases, tooLarge, failures };
}

if (!isMainThread) {
  parentPort!.postMessage(runFolder(workerData as string));
} else {
  for (const folder of FOLDERS) {
    test(`${folder} with tracers attached`, { skip: withoutFixtures() }, async () => {
      const worker = new Worker(new URL(import.meta.url), { workerData: folder });
      const result = await new Promise<FolderResult>((resolvePromise, reject) => {
        worker.once("message", resolvePromise);
        worker.once("error", reject);
      });
      await worker.terminate();
      assert.ok(result.cases > 0, "no cases found");
      if (result.tooLarge > 0)
        console.log(`${folder}: ${result.tooLarge} call traces over budget, traced top call only`);
      assert.deepEqual(result.failures.slice(0, 20), [], `${result.failures.length} of ${result.cases} cases failed`);
    });
  }
}
