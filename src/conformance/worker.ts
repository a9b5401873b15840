// A conformance worker thread: initialises the precompiles once, then runs the fixture files the pool
// sends it, one at a time, answering each with its FileResult.
import { parentPort } from "node:worker_threads";
import { initPrecompiles } from "../evm/precompiles/index.js";
import type { FileResult } from "./runner.js";
import { runStateTestFile } from "./runner.js";

export interface WorkerJob {
  path: string;
  file: string;
  folder: string;
}

export type WorkerMessage = { type: "ready" } | { type: "result"; result: FileResult };

const port = parentPort;
if (port === null) throw new Error("conformance worker: not running in a worker thread");

await initPrecompiles();

port.on("message", (job: WorkerJob) => {
  const message: WorkerMessage = { type: "result", result: runStateTestFile(job.path, job.file, job.folder) };
  port.postMessage(message);
});
port.postMessage({ type: "ready" } satisfies WorkerMessage);
