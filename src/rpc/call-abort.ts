// The abort signal of one HTTP request or one WebSocket connection, which every call it carries
// shares: a batch of eth_calls (or a socket's calls running at once) each listen on it while they wait
// for a call worker, so more than Node's default of ten listeners is the design, not a leak. Without
// this, a batch of eleven eth_calls printed a MaxListenersExceededWarning on the node's stderr.
import { setMaxListeners } from "node:events";

export function callAbortController(): AbortController {
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  return abort;
}
