// The state root's thread: owns the chain's StateTrie (its decoded nodes, its pending, sealed and
// logged batches) and answers WorkerStateRoots (root-worker-client.ts). It reads and writes the
// same LMDB environment as the main thread (lmdb-js shares it within a process); it writes only the
// log's merge into the path tables, in transactions of its own. Requests run in the order they come.
import { parentPort, workerData } from "node:worker_threads";
import { CLOSE_WORKER } from "../../threads/stop-worker.js";
import { LmdbState } from "../lmdb-state.js";
import type { RootReply, RootRequest, RootWorkerSetup } from "./root-worker-client.js";
import { StateRootKeeper } from "./state-roots.js";
import { StateTrie } from "./state-trie.js";

const port = parentPort;
if (port === null) throw new Error("root-worker.js runs only as a worker thread");
const setup = workerData as RootWorkerSetup;

const lmdb = LmdbState.open(setup.path);
/** The newest log key whose commit the main thread reported durable (0: none yet). */
let lastWritten = 0;
const keeper = new StateRootKeeper(
  StateTrie.open(lmdb, setup.cacheBytes === undefined ? {} : { cacheBytes: setup.cacheBytes }),
  (error) => port.postMessage({ id: 0, mergeFailed: error instanceof Error ? error.message : String(error) }),
);
port.postMessage({ id: 0, ready: true } satisfies RootReply);

port.on("message", (msg: RootRequest | typeof CLOSE_WORKER) => {
  if (msg === CLOSE_WORKER) {
    port.close();
    void lmdb.close();
    return;
  }
  void answer(msg).then(
    (reply) => {
      if (reply === undefined) return;
      const transfer =
        reply.record !== undefined && ownsBuffer(reply.record) ? [reply.record.buffer as ArrayBuffer] : [];
      port.postMessage(reply, transfer);
    },
    (error: unknown) =>
      port.postMessage({
        id: msg.id,
        failure: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  );
});

async function answer(msg: RootRequest): Promise<RootReply | undefined> {
  switch (msg.op) {
    case "apply": {
      const { root, logKey, record } = await keeper.rootAfter(msg.changes);
      const reply: RootReply = { id: msg.id, root: root.slice(), logKey };
      if (record !== undefined) reply.record = record;
      return reply;
    }
    case "written":
      keeper.written(msg.logKey);
      lastWritten = msg.logKey;
      return undefined;
    case "discard":
      keeper.discard();
      return undefined;
    case "prove":
      return { id: msg.id, proof: keeper.trie.prove(msg.address, msg.slots), asOf: lastWritten };
    case "stats":
      return { id: msg.id, stats: keeper.trie.cacheStats() };
    case "close":
      await keeper.close();
      return { id: msg.id };
  }
}

/** Whether `bytes` is the whole of its ArrayBuffer (then it can be transferred, not copied). */
function ownsBuffer(bytes: Uint8Array): boolean {
  return (
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength &&
    !(bytes.buffer instanceof SharedArrayBuffer)
  );
}
