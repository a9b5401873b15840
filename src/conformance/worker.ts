// A conformance worker thread: initialises the precompiles once, then runs the fixture files the pool
// sends it, one at a time, answering each with its FileResult.
import { parentPort, workerData } from "node:worker_threads";
import { setCompilePolicy } from "../evm/block-compiler.js";
import { initPrecompiles } from "../evm/precompiles/index.js";
import type { CaseRange, FileResult } from "./runner.js";
import { runStateTestFile } from "./runner.js";

export interface WorkerJob {
  path: string;
  file: string;
  folder: string;
  /** Only these cases of the file (a long file split across workers); all where absent. */
  cases?: CaseRange;
}

export type WorkerMessage = { type: "ready" } | { type: "result"; result: FileResult };

export interface WorkerOptions {
  compileEveryBlock: boolean;
}

const port = parentPort;
if (port === null) throw new Error("conformance worker: not running in a worker thread");
if ((workerData as WorkerOptions | undefined)?.compileEveryBlock === true) {
  setCompilePolicy({ threshold: 1, budget: Number.POSITIVE_INFINITY });
}

await initPrecompiles();

port.on("message", (job: WorkerJob) => {
  const message: WorkerMessage = {
    type: "result",
    result: runStateTestFile(job.path, job.file, job.folder, job.cases),
  };
  port.postMessage(message);
});
port.postMessage({ type: "ready" } satisfies WorkerMessage);
