import type { RpcContext } from "../context.js";
import { expectParams, parseIndex } from "../hex-codec.js";
import { devControl } from "./control.js";

/** anvil_setIntervalMining / evm_setIntervalMining: a block every `seconds` (0 stops), as anvil (seconds, not hardhat's ms). */
export function anvilSetIntervalMining(params: readonly unknown[], ctx: RpcContext): null {
  expectParams(params, 1);
  const seconds = parseIndex(params[0], "seconds");
  devControl(ctx).setIntervalMining(seconds * 1000);
  return null;
}
