import type { RpcContext } from "../context.js";
import { expectParams } from "../hex-codec.js";

/** web3_clientVersion. */
export function web3ClientVersion(params: readonly unknown[], ctx: RpcContext): string {
  expectParams(params, 0);
  return ctx.config.clientVersion;
}
