import type { RpcContext } from "../context.js";
import { data, expectParams } from "../hex-codec.js";
import { devControl } from "./control.js";

/** anvil_dumpState: the state as anvil dumps it (gzip-compressed JSON, as hex); anvil_loadState reads it back. */
export async function anvilDumpState(params: readonly unknown[], ctx: RpcContext): Promise<string> {
  expectParams(params, 0);
  return data(await devControl(ctx).dumpState());
}
