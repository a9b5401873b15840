// A signing worker: signs the transactions of a range of senders (every nonce of each) and posts
// their encodings and hashes back, with progress along the way.
import { parentPort, workerData } from "node:worker_threads";
import { type SignJob, signRange } from "./sign.js";

const result = signRange(workerData as SignJob, (n) => parentPort!.postMessage({ kind: "progress", n }));
parentPort!.postMessage({ kind: "done", result });
