// The writer thread of a large bulk load (bulk-writer.ts): writes the batches it is handed through
// the loading thread's LMDB environment (lmdb-js shares one per process), those already waiting
// together where they are of one kind and small (a transaction's dirty pages are held in memory
// until it commits), and counts them in the counters the loading thread waits on. After a failure
// it posts the error and skips what follows; after an abandon it skips it.
import { receiveMessageOnPort, workerData } from "node:worker_threads";
import { CLOSE_WORKER } from "../../threads/stop-worker.js";
import { LmdbState } from "../lmdb-state.js";
import { DuplicateLeafError } from "./bulk-build.js";
import {
  DONE,
  FAILED,
  jobRecords,
  RUNNING,
  STATUS,
  type WriterContext,
  type WriterJob,
  type WriterThreadData,
  writeJobs,
} from "./bulk-writer.js";
import { TrieNodeStore } from "./trie-store.js";

type Message = WriterJob | typeof CLOSE_WORKER;
/** Records per transaction, at most, when batches are written together. */
const MERGED_RECORDS = 200_000;

const { path, port, counters } = workerData as WriterThreadData;
let context: WriterContext | undefined;
/** A message taken off the port while gathering jobs, not yet handled. */
let next: Message | undefined;

port.on("message", (message: Message) => {
  for (let m: Message | undefined = message; m !== undefined; m = next) {
    next = undefined;
    if (m === CLOSE_WORKER) {
      port.close();
      void context?.lmdb.close();
      return;
    }
    const jobs = [m];
    let records = jobRecords(m);
    for (;;) {
      next = receiveMessageOnPort(port)?.message as Message | undefined;
      if (next === undefined || next === CLOSE_WORKER || next.kind !== m.kind) break;
      if (records + jobRecords(next) > MERGED_RECORDS) break;
      records += jobRecords(next);
      jobs.push(next);
    }
    write(jobs);
  }
});

function write(jobs: WriterJob[]): void {
  if (Atomics.load(counters, STATUS) === RUNNING) {
    try {
      if (context === undefined) {
        const lmdb = LmdbState.open(path);
        context = { lmdb, nodes: new TrieNodeStore(lmdb) };
      }
      writeJobs(context, jobs);
    } catch (e) {
      // A repeated address is found where the account trie is built: said as the loader says it.
      if (e instanceof DuplicateLeafError) port.postMessage({ duplicateLeaf: e.index });
      else port.postMessage(e instanceof Error ? e.message : String(e));
      Atomics.store(counters, STATUS, FAILED);
    }
  }
  Atomics.add(counters, DONE, jobs.length);
  Atomics.notify(counters, DONE);
}
