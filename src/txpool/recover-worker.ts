// A signature-recovery worker thread: decodes a packed batch of raw transactions, recovers their
// senders in one call (recover-batch.ts), and posts the results back as one transferred buffer.
// Started once by RecoverPool and reused for every batch.
import { parentPort } from "node:worker_threads";
import { ByteWriter } from "../threads/byte-codec.js";
import { CLOSE_WORKER } from "../threads/stop-worker.js";
import { decodeAndRecover } from "./recover-batch.js";
import type { RecoverReply, RecoverRequest } from "./recover-pool.js";
import { isRecoverFailure, unpackRaws, writeFailure, writeRecovered } from "./recover-wire.js";

const port = parentPort;
if (port === null) throw new Error("recover-worker.js runs only as a worker thread");

const writer = new ByteWriter();

port.on("message", (msg: RecoverRequest | typeof CLOSE_WORKER) => {
  if (msg === CLOSE_WORKER) {
    port.close(); // nothing else keeps this thread alive: it exits
    return;
  }
  let reply: RecoverReply;
  try {
    const opts = msg.chainId === undefined ? {} : { chainId: msg.chainId };
    for (const result of decodeAndRecover(unpackRaws(msg.input), opts)) {
      if (isRecoverFailure(result)) writeFailure(writer, result);
      else writeRecovered(writer, result);
    }
    const length = writer.length;
    const output = writer.detach();
    reply = { id: msg.id, output, length };
    port.postMessage(reply, [output]);
  } catch (e) {
    writer.reset();
    reply = { id: msg.id, failure: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    port.postMessage(reply);
  }
});
