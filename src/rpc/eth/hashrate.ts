import { expectParams } from "../hex-codec.js";

/** eth_hashrate: no proof of work after the merge. */
export function ethHashrate(params: readonly unknown[]): string {
  expectParams(params, 0);
  return "0x0";
}
