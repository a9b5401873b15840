// The errors of a call that was stopped before it finished, worded as geth words them.
import { INVALID_INPUT, RpcError } from "../errors.js";

/** A duration as Go prints a time.Duration ("300ms", "5s", "1.5s", "2m0s"), so messages match geth's. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round((seconds - minutes * 60) * 1000) / 1000;
  return minutes < 60 ? `${minutes}m${rest}s` : `${Math.floor(minutes / 60)}h${minutes % 60}m${rest}s`;
}

/** geth's answer when a call ran past --rpc.evmtimeout: -32000 "execution aborted (timeout = 5s)". */
export function timeoutError(timeoutMs: number): RpcError {
  return new RpcError(INVALID_INPUT, `execution aborted (timeout = ${goDuration(timeoutMs)})`);
}

/** The chain was reverted under the request each time it was pinned (call-pool MAX_REPINS): it may be sent again. */
export function revertedError(): RpcError {
  return new RpcError(INVALID_INPUT, "execution aborted (the chain was reverted under this call; send it again)");
}

/** The node is closing: calls still queued or running are dropped. */
export function closingError(): RpcError {
  return new RpcError(INVALID_INPUT, "execution aborted (the node is shutting down)");
}
