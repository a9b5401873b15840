// The methods that execute EVM code for a caller and therefore run on the call workers: each may take
// as long as its gas allows, so none may hold up the main thread. The handlers are the ordinary ones;
// on a worker they see a read-only RpcContext (worker-context.ts).
import { debugTraceBlockByHash } from "../debug/trace-block-by-hash.js";
import { debugTraceBlockByNumber } from "../debug/trace-block-by-number.js";
import { debugTraceCall } from "../debug/trace-call.js";
import { debugTraceTransaction } from "../debug/trace-transaction.js";
import { ethCall } from "../eth/call.js";
import { ethCreateAccessList } from "../eth/create-access-list.js";
import { ethEstimateGas } from "../eth/estimate-gas.js";
import { ethSimulateV1 } from "../eth/simulate-v1.js";
import type { MethodTable } from "../handler.js";

export const CALL_METHODS: MethodTable = {
  eth_call: ethCall,
  eth_estimateGas: ethEstimateGas,
  eth_createAccessList: ethCreateAccessList,
  eth_simulateV1: ethSimulateV1,
  debug_traceCall: debugTraceCall,
  debug_traceTransaction: debugTraceTransaction,
  debug_traceBlockByNumber: debugTraceBlockByNumber,
  debug_traceBlockByHash: debugTraceBlockByHash,
};

/** The name of the node's own console.log replay of a mined block (src/rpc/console/block-console.ts). */
export const BLOCK_CONSOLE_LINES = "weft_blockConsoleLines";

/**
 * Methods only the node itself runs on the call workers (CallPool.run), never served to clients:
 * CallPool.wrap routes only the names the public method table has.
 */
export const INTERNAL_CALL_METHODS: MethodTable = {
  // Loaded on first use: it brings the console ABI decoder, which takes a while to load.
  [BLOCK_CONSOLE_LINES]: async (params, ctx) =>
    (await import("../console/block-console.js")).blockConsoleLines(params, ctx),
};
