// A Block-STM worker thread: loops on the shared scheduler, executing and validating transactions
// against its replica of the multi-version memory (op-log.ts), then posts the committed results it
// produced. Started once by BlockStmPool and reused for every block.
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import type { AccountInfo, Host } from "../../../evm/host.js";
import { initPrecompiles } from "../../../evm/precompiles/index.js";
import { processTransaction } from "../../process-transaction.js";
import type { TxResult } from "../block-stm.js";
import { MVMemory, ReadBlocked } from "../mv-memory.js";
import { type Task, TaskKind } from "../scheduler.js";
import { VersionedHost } from "../versioned-host.js";
import { openBase, type WorkerBase } from "./base-state.js";
import { ByteWriter } from "./codec.js";
import type { BlockMessage, ResultMessage, WireResult } from "./messages.js";
import { LogFull, OpLog } from "./op-log.js";
import { Ctl, SharedScheduler } from "./shared-scheduler.js";
import { CLOSE_WORKER } from "./stop-worker.js";
import { encodeOutcome, TxTable } from "./wire.js";

/** Catches the replica up before every read, so reads see other workers' writes and ESTIMATEs early. */
class ReplicaHost implements Host {
  constructor(
    readonly inner: VersionedHost,
    private readonly log: OpLog,
  ) {}
  account(address: bigint): AccountInfo | undefined {
    this.log.catchUp();
    return this.inner.account(address);
  }
  code(address: bigint): Uint8Array {
    this.log.catchUp();
    return this.inner.code(address);
  }
  storage(address: bigint, slot: bigint): bigint {
    this.log.catchUp();
    return this.inner.storage(address, slot);
  }
  hasStorage(address: bigint): boolean {
    this.log.catchUp();
    return this.inner.hasStorage(address);
  }
  blockHash(number: bigint): bigint {
    return this.inner.blockHash(number);
  }
}

function toWire(result: TxResult): WireResult {
  if ("thrown" in result) {
    const e = result.thrown instanceof Error ? result.thrown : new Error(String(result.thrown));
    return { thrown: { name: e.name, message: e.message, ...(e.stack === undefined ? {} : { stack: e.stack }) } };
  }
  const o = result.outcome;
  if (!o.valid) return { valid: false, reason: o.error.reason, message: o.error.message };
  return o;
}

let base: { id: number; host: WorkerBase } | undefined;

function runBlock(msg: BlockMessage): ResultMessage {
  const { block } = msg;
  const txs = new TxTable(msg.txs);
  const n = txs.length;
  base = openBase(msg.base, base);
  base.host.blockHashes = msg.blockHashes;
  base.host.firstHashed = msg.firstHashed;
  const ctl = new Int32Array(msg.control);
  const memory = new MVMemory(n, base.host, block.coinbase);
  const log = new OpLog(ctl, msg.log, memory);
  const scheduler = new SharedScheduler(ctl, n);
  const results = new Map<number, [incarnation: number, result: TxResult]>();
  let executions = 0;

  const execute = (task: Task): Task | undefined => {
    executions++;
    log.catchUp();
    const host = new ReplicaHost(new VersionedHost(memory, task.txIndex), log);
    let result: TxResult;
    try {
      result = { outcome: processTransaction(txs.get(task.txIndex), block, host, { deferCoinbaseFee: true }) };
    } catch (error) {
      if (!(error instanceof ReadBlocked)) result = { thrown: error };
      else if (scheduler.addDependency(task.txIndex, error.txIndex)) return undefined;
      else return task;
    }
    const outcome = "outcome" in result ? result.outcome : undefined;
    const writes = outcome?.valid ? outcome.writes : new Map();
    const fee = outcome?.valid ? outcome.coinbaseFee : undefined;
    results.set(task.txIndex, [task.incarnation, result]);
    const wroteNew = log.record(task.txIndex, task.incarnation, host.inner.reads, writes, fee);
    return scheduler.finishExecution(task.txIndex, task.incarnation, wroteNew);
  };

  const validate = (task: Task): Task | undefined => {
    log.catchUp();
    const valid = memory.validateReadSet(task.txIndex);
    const aborted = !valid && scheduler.tryValidationAbort(task.txIndex, task.incarnation);
    if (aborted) log.convertWritesToEstimates(task.txIndex);
    return scheduler.finishValidation(task.txIndex, aborted);
  };

  try {
    let task: Task | undefined;
    while (!scheduler.done()) {
      if (task === undefined) {
        const seen = scheduler.wakeCount();
        task = scheduler.nextTask();
        // Nothing to claim until someone lowers an index or finishes: sleep rather than spin.
        if (task === undefined && scheduler.drained() && !scheduler.done()) scheduler.sleep(seen);
        continue;
      }
      task = task.kind === TaskKind.Execute ? execute(task) : validate(task);
    }
  } catch (error) {
    scheduler.abort();
    return { id: msg.id, failure: String((error as Error)?.stack ?? error), logFull: error instanceof LogFull };
  }
  if (Atomics.load(ctl, Ctl.ERROR) !== 0) return { id: msg.id, failure: "stopped by another worker", logFull: false };
  const wire: [number, number, WireResult][] = [];
  const w = new ByteWriter();
  let count = 0;
  for (const [txIndex, [incarnation, result]] of results) {
    if ("outcome" in result && result.outcome.valid) {
      encodeOutcome(w, txIndex, incarnation, result.outcome);
      count++;
    } else wire.push([txIndex, incarnation, toWire(result)]);
  }
  return { id: msg.id, executions, outcomes: w.detach(), count, results: wire };
}

await initPrecompiles();
const port = (workerData as { port: MessagePort }).port;
parentPort!.on("message", (msg: BlockMessage | typeof CLOSE_WORKER) => {
  if (msg === CLOSE_WORKER) {
    // Nothing else keeps this thread alive once both ports are closed: it exits.
    parentPort!.close();
    port.close();
    return;
  }
  const reply = runBlock(msg);
  port.postMessage(reply, "outcomes" in reply ? [reply.outcomes] : []);
  // After the post: the main thread reads the reply as soon as it sees the count.
  const ctl = new Int32Array(msg.control);
  Atomics.add(ctl, Ctl.FINISHED, 1);
  Atomics.notify(ctl, Ctl.FINISHED);
});
