// A synchronous JSON-RPC client of a fork's upstream node. The EVM reads state through a synchronous
// Host, so a read that misses the local store must get its answer before it returns: a worker thread
// does the HTTP (upstream-worker.ts) while the caller blocks in Atomics.wait on a shared word, then
// takes the reply off a MessagePort with receiveMessageOnPort. One request at a time per client; a
// batch of calls is one HTTP round trip.
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import type { UpstreamReply, UpstreamRequest, UpstreamWorkerData } from "./upstream-messages.js";

/** How long one round trip may take by default. */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 30_000;
/** Beyond the worker's own HTTP timeout: a worker that never answers still fails the caller. */
const WAIT_GRACE_MS = 2_000;

/** Anything the upstream did not answer as asked: "fork upstream <url>: <reason>". */
export class UpstreamError extends Error {
  /** A string code: the RPC layer answers with the message as it is (-32000), not as an internal error. */
  readonly code = "FORK_UPSTREAM";
  constructor(url: string, reason: string) {
    super(`fork upstream ${url}: ${reason}`);
    this.name = "UpstreamError";
  }
}

export interface UpstreamCall {
  method: string;
  params: readonly unknown[];
}

export interface UpstreamClientOptions {
  /** Most milliseconds one round trip may take (default 30 s). */
  timeoutMs?: number;
}

export class UpstreamClient {
  /** The URL as errors show it (a password in it is masked). */
  readonly url: string;
  /** HTTP round trips made so far. */
  requests = 0;
  private readonly timeoutMs: number;
  private readonly worker: Worker;
  private readonly port: MessagePort;
  /** Word 0 counts the replies posted; the caller waits on it. */
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private nextId = 1;

  constructor(url: string, options: UpstreamClientOptions = {}) {
    this.url = displayUrl(url);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const data: UpstreamWorkerData = { url, timeoutMs: this.timeoutMs, port: port2, signal: this.signal.buffer };
    this.worker = new Worker(new URL("./upstream-worker.js", import.meta.url), {
      workerData: data,
      transferList: [port2],
    });
    // An idle client does not keep the process alive.
    this.worker.unref();
  }

  /** One call's result; its JSON-RPC error (or any failure to get one) is an UpstreamError. */
  call(method: string, params: readonly unknown[]): unknown {
    return this.batch([{ method, params }])[0];
  }

  /** Every call's result, in order, from one HTTP round trip. */
  batch(calls: readonly UpstreamCall[]): unknown[] {
    const body = calls.map((c, id) => ({ jsonrpc: "2.0", id, method: c.method, params: c.params }));
    const text = this.roundTrip(JSON.stringify(calls.length === 1 ? body[0] : body));
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new UpstreamError(this.url, `answered with something other than JSON (${text.slice(0, 80)})`);
    }
    const replies = Array.isArray(parsed) ? parsed : [parsed];
    return calls.map((c, id) => {
      const r = replies.find((x) => (x as { id?: unknown } | null)?.id === id) as
        | { result?: unknown; error?: { message?: string } }
        | undefined;
      if (r === undefined) throw new UpstreamError(this.url, `no answer to ${c.method}`);
      if (r.error !== undefined) throw new UpstreamError(this.url, `${c.method}: ${r.error.message ?? "error"}`);
      return r.result;
    });
  }

  /** Stops the HTTP worker; later calls fail. */
  async close(): Promise<void> {
    this.port.close();
    await this.worker.terminate();
  }

  private roundTrip(body: string): string {
    const id = this.nextId++;
    this.requests++;
    let seen = Atomics.load(this.signal, 0);
    this.port.postMessage({ id, body } satisfies UpstreamRequest);
    const deadline = Date.now() + this.timeoutMs + WAIT_GRACE_MS;
    for (;;) {
      // Replies to calls that timed out earlier may come first: they are dropped.
      for (let m = receiveMessageOnPort(this.port); m !== undefined; m = receiveMessageOnPort(this.port)) {
        const reply = m.message as UpstreamReply;
        if (reply.id !== id) continue;
        if ("error" in reply) throw new UpstreamError(this.url, reply.error);
        return reply.body;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new UpstreamError(this.url, `no answer within ${this.timeoutMs} ms`);
      Atomics.wait(this.signal, 0, seen, left);
      seen = Atomics.load(this.signal, 0);
    }
  }
}

/** The URL without a password (API keys usually sit in the path, which anvil shows too). */
function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== "") u.password = "***";
    return u.toString().replace(/\/$/, url.endsWith("/") ? "/" : "");
  } catch {
    return url;
  }
}
