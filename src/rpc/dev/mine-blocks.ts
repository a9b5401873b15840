// anvil_mine / evm_mine with a block count: anvil sets no maximum, and a count such as 0xffffffff would
// take days, so the blocks are mined one call at a time. Between blocks, other chain-changing work
// (a transaction under automine, evm_snapshot, anvil_setBalance) gets its turn on the miner's queue,
// the event loop is yielded every few milliseconds, and the mining stops once the client has gone
// (CallInfo.signal: the HTTP client disconnected, or the WebSocket closed). Whoever waits gets every
// block; nothing is held per block, so a million empty blocks take time, not memory.
import { WorkSlicer } from "../work-slicer.js";
import type { DevControl, MineRequest } from "./control.js";

export async function mineBlocks(control: DevControl, request: MineRequest, signal?: AbortSignal): Promise<void> {
  const total = request.blocks ?? 1;
  const slicer = new WorkSlicer({ signal });
  for (let i = 0; i < total; i++) {
    const one: MineRequest = { blocks: 1 };
    // The timestamp is the first block's; the interval spaces every block from its parent.
    if (i === 0 && request.timestamp !== undefined) one.timestamp = request.timestamp;
    if (request.interval !== undefined) one.interval = request.interval;
    await control.mine(one);
    await slicer.checkpoint();
  }
}
