// A signature-recovery worker thread: decodes a packed batch of raw transactions, recovers each
// sender, and posts the results back as one transferred buffer. Started once by RecoverPool and
// reused for every batch.
import { parentPort } from "node:worker_threads";
import { TxDecodeError } from "../chain/errors.js";
import { decodeTransaction } from "../chain/transaction.js";
import { ByteWriter } from "../threads/byte-codec.js";
import { CLOSE_WORKER } from "../threads/stop-worker.js";
import type { RecoverReply, RecoverRequest } from "./recover-pool.js";
import { unpackRaws, writeFailure, writeRecovered } from "./recover-wire.js";

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
    for (const raw of unpackRaws(msg.input)) {
      try {
        writeRecovered(writer, decodeTransaction(raw, opts));
      } catch (e) {
        // A decoder error is the transaction's fault; anything else is a bug, reported as such.
        if (e instanceof TxDecodeError) writeFailure(writer, { code: e.code, message: e.message });
        else
          writeFailure(writer, { code: "INTERNAL", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      }
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
