// The simulated blocks' numbers and timestamps (geth's sanitizeChain): a block without a number
// follows the one before, one without a time comes 12 seconds after it; both must increase, a gap in
// the numbers is filled with empty blocks (which appear in the result), and the whole span is at most
// 256 blocks past the base block.
import type { BlockHeader } from "../../chain/types.js";
import { RpcError } from "../errors.js";
import { SIM_BLOCK_NUMBER_ORDER, SIM_BLOCK_TIMESTAMP_ORDER, SIM_CLIENT_LIMIT } from "./simulate-errors.js";
import type { SimBlockRequest } from "./simulate-params.js";

export const MAX_SIMULATE_BLOCKS = 256n;
export const SIMULATED_BLOCK_INTERVAL = 12n;

/** A block to simulate with its number and time decided. */
export interface PlacedSimBlock extends SimBlockRequest {
  number: bigint;
  time: bigint;
}

export function placeSimulatedBlocks(base: BlockHeader, blocks: readonly SimBlockRequest[]): PlacedSimBlock[] {
  const out: PlacedSimBlock[] = [];
  let prevNumber = base.number;
  let prevTime = base.timestamp;
  for (const block of blocks) {
    const number = block.blockOverrides.number ?? prevNumber + 1n;
    if (number <= prevNumber) {
      throw new RpcError(SIM_BLOCK_NUMBER_ORDER, `block numbers must be in order: ${number} <= ${prevNumber}`);
    }
    if (number - base.number > MAX_SIMULATE_BLOCKS) {
      throw new RpcError(SIM_CLIENT_LIMIT, `too many blocks: at most ${MAX_SIMULATE_BLOCKS} past the base block`);
    }
    for (let n = prevNumber + 1n; n < number; n++) {
      prevTime += SIMULATED_BLOCK_INTERVAL;
      out.push({ blockOverrides: {}, stateOverrides: new Map(), calls: [], number: n, time: prevTime });
    }
    const time = block.blockOverrides.time ?? prevTime + SIMULATED_BLOCK_INTERVAL;
    if (time <= prevTime) {
      throw new RpcError(SIM_BLOCK_TIMESTAMP_ORDER, `block timestamps must be in order: ${time} <= ${prevTime}`);
    }
    out.push({ ...block, number, time });
    prevNumber = number;
    prevTime = time;
  }
  return out;
}
