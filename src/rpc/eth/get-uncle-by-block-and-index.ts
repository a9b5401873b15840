import type { RpcContext } from "../context.js";
import { expectParams, parseBlockNumberOrTag, parseHash, parseIndex } from "../hex-codec.js";

// A post-merge chain has no uncles: after checking the parameters, always null.

/** eth_getUncleByBlockNumberAndIndex(block, index): null. */
export function ethGetUncleByBlockNumberAndIndex(params: readonly unknown[], _ctx: RpcContext): null {
  expectParams(params, 2);
  parseBlockNumberOrTag(params[0], "block");
  parseIndex(params[1], "index");
  return null;
}

/** eth_getUncleByBlockHashAndIndex(hash, index): null. */
export function ethGetUncleByBlockHashAndIndex(params: readonly unknown[], _ctx: RpcContext): null {
  expectParams(params, 2);
  parseHash(params[0], "blockHash");
  parseIndex(params[1], "index");
  return null;
}
