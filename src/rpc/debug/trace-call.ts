import { callSiteFor, resolveBlock } from "../block-ref.js";
import type { RpcContext } from "../context.js";
import { INVALID_INPUT, invalidParams, RpcError } from "../errors.js";
import { type CallSite, parseCallRequest, prepareCall, runCall } from "../eth/call-request.js";
import { expectParams, parseBlockRef } from "../hex-codec.js";
import { BlockReplay, makeTracer, traceTx } from "./trace.js";
import { parseTraceCallConfig } from "./trace-config.js";

/**
 * debug_traceCall(call, block?, config?): a call executed as eth_call executes it (same defaults,
 * state overrides in config.stateOverrides), under a tracer. With config.txIndex the call runs inside
 * the block instead, after its first txIndex transactions (geth's TraceCallConfig.TxIndex).
 */
export function debugTraceCall(params: readonly unknown[], ctx: RpcContext): unknown {
  expectParams(params, 1, 3);
  const req = parseCallRequest(params[0]);
  const ref = parseBlockRef(params[1]);
  const config = parseTraceCallConfig(params[2]);
  let site: CallSite;
  if (config.txIndex === undefined) {
    site = callSiteFor(ctx, ref);
  } else {
    if (ref.kind === "tag" && ref.tag === "pending") throw invalidParams("config.txIndex: not with the pending block");
    const block = resolveBlock(ctx, ref);
    if (config.txIndex >= block.transactions.length) {
      throw new RpcError(
        INVALID_INPUT,
        `transaction index ${config.txIndex} out of range for block ${block.header.number} (${block.transactions.length} transactions)`,
      );
    }
    const replay = new BlockReplay(ctx, block);
    replay.skipTo(config.txIndex);
    site = { env: replay.env, state: replay.state };
  }
  const prepared = prepareCall(ctx, req, site, config.stateOverrides);
  const tracer = makeTracer(config, 0);
  traceTx(tracer, prepared.tx, prepared.host, prepared.env, (options) => runCall(prepared, options));
  return tracer.result();
}
