import type { RpcContext } from "../context.js";
import { invalidParams } from "../errors.js";
import { expectParams, parseData } from "../hex-codec.js";
import { devControl } from "./control.js";

/** anvil_loadState: sets every account of a dump (anvil_dumpState's hex, gzip-compressed or plain JSON bytes); true. */
export async function anvilLoadState(params: readonly unknown[], ctx: RpcContext): Promise<boolean> {
  expectParams(params, 1);
  const dump = parseData(params[0], "state");
  try {
    await devControl(ctx).loadState(dump);
  } catch (error) {
    // A malformed dump is the caller's input, not a node failure.
    if (error instanceof Error && error.message.startsWith("state dump:")) throw invalidParams(error.message);
    throw error;
  }
  return true;
}
