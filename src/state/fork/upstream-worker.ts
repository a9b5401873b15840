// The HTTP side of UpstreamClient (upstream-client.ts): a worker thread that POSTs each JSON-RPC body
// it is sent and answers on the same port, then wakes the caller blocked in Atomics.wait. It never
// interprets the answer beyond HTTP: the client reads it.
import { type MessagePort, workerData } from "node:worker_threads";
import type { UpstreamReply, UpstreamRequest, UpstreamWorkerData } from "./upstream-messages.js";

const data = workerData as UpstreamWorkerData;
const port: MessagePort = data.port;
const signal = new Int32Array(data.signal);

port.on("message", (req: UpstreamRequest) => {
  void post(req).then((reply) => {
    port.postMessage(reply);
    Atomics.add(signal, 0, 1);
    Atomics.notify(signal, 0);
  });
});

async function post(req: UpstreamRequest): Promise<UpstreamReply> {
  try {
    const res = await fetch(data.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: req.body,
      signal: AbortSignal.timeout(data.timeoutMs),
    });
    const text = await res.text();
    if (!res.ok) return { id: req.id, error: `HTTP ${res.status} ${res.statusText}`.trim() };
    return { id: req.id, body: text };
  } catch (error) {
    return { id: req.id, error: reasonOf(error) };
  }
}

/** fetch's "fetch failed" hides the reason in `cause` (ECONNREFUSED, ENOTFOUND, ...). */
function reasonOf(error: unknown): string {
  if (error instanceof Error && error.name === "TimeoutError") return `no answer within ${data.timeoutMs} ms`;
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  if (cause?.code !== undefined) return `${(error as Error).message} (${cause.code})`;
  if (cause?.message !== undefined) return `${(error as Error).message} (${cause.message})`;
  return error instanceof Error ? error.message : String(error);
}
