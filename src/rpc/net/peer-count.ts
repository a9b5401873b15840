import { expectParams } from "../hex-codec.js";

/** net_peerCount: a dev node has no peers. */
export function netPeerCount(params: readonly unknown[]): string {
  expectParams(params, 0);
  return "0x0";
}
