// A Block-STM worker thread: for each block, runs the one worker loop (block-stm-worker.ts) on the
// pool's shared scheduler and multi-version memory, then counts itself out. Started once by
// BlockStmPool and reused for every block.
import { parentPort, workerData } from "node:worker_threads";
import { initPrecompiles } from "../../../evm/precompiles/index.js";
import { CLOSE_WORKER } from "../../../threads/stop-worker.js";
import { TxTable } from "../../tx-wire.js";
import { BlockStmWorker } from "../block-stm-worker.js";
import { MVMemory } from "../mv-memory.js";
import { Ctl, ERROR_FAILED, Scheduler } from "../scheduler.js";
import { blockBase, openBase, type WorkerBase } from "./base-state.js";
import type { BlockMessage, FailureMessage, WorkerSetup } from "./messages.js";

const setup = workerData as WorkerSetup;
const memory = new MVMemory(setup.buffers);
const control = new Int32Array(setup.control);
let base: { id: number; host: WorkerBase } | undefined;

function runBlock(msg: BlockMessage, scheduler: Scheduler): void {
  base = openBase(msg.base, base);
  const host = blockBase(msg.base, base.host);
  host.blockHashes = msg.blockHashes;
  host.firstHashed = msg.firstHashed;
  memory.startBlock(host, msg.block.coinbase);
  new BlockStmWorker(memory, scheduler, new TxTable(msg.txs), msg.block, true, setup.stress).run();
}

await initPrecompiles();
parentPort!.on("message", (msg: BlockMessage | typeof CLOSE_WORKER) => {
  if (msg === CLOSE_WORKER) {
    // Nothing else keeps this thread alive once both ports are closed: it exits.
    parentPort!.close();
    setup.port.close();
    return;
  }
  const scheduler = new Scheduler(control, msg.size);
  try {
    runBlock(msg, scheduler);
  } catch (error) {
    scheduler.fail(ERROR_FAILED);
    const failure: FailureMessage = { id: msg.id, failure: String((error as Error)?.stack ?? error) };
    setup.port.postMessage(failure);
  } finally {
    // After any failure message: the main thread reads it once it sees every worker out.
    Atomics.add(control, Ctl.FINISHED, 1);
    Atomics.notify(control, Ctl.FINISHED);
    Atomics.notify(control, Ctl.COMMIT_IDX);
  }
});
