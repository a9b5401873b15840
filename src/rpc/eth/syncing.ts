import { expectParams } from "../hex-codec.js";

/** eth_syncing: a dev node is never syncing. */
export function ethSyncing(params: readonly unknown[]): boolean {
  expectParams(params, 0);
  return false;
}
