// The state after a block whose LMDB commit is still in flight: its net writes layered over LMDB,
// which holds its parent's state until the commit lands and its own after. Either way the reads
// answer the block's state, so the next block can execute on it while LMDB writes and flushes this
// one (chain.ts's pipeline); its block hash answers BLOCKHASH before the hash table has it.
import type { StateWrites } from "../evm/host.js";
import { BlockOverlay } from "../exec/block/overlay.js";
import type { LmdbState } from "../state/lmdb-state.js";
import type { HeadState } from "./history.js";

export class CommittingState extends BlockOverlay implements HeadState {
  constructor(
    private readonly lmdb: LmdbState,
    writes: StateWrites,
    private readonly number: bigint,
    private readonly hash: bigint,
  ) {
    super(lmdb);
    this.apply(writes);
  }

  override blockHash(number: bigint): bigint {
    return number === this.number ? this.hash : this.lmdb.blockHash(number);
  }

  /** All non-zero storage of one account: LMDB's (parent's or this block's), then this block's writes. */
  storageEntries(address: bigint): Map<bigint, bigint> {
    const w = this.writes.get(address);
    const entries =
      w === undefined || (!w.deleted && !w.storageCleared) ? this.lmdb.storageEntries(address) : new Map();
    if (w === undefined || w.deleted) return entries;
    for (const [slot, value] of w.storage) {
      if (value === 0n) entries.delete(slot);
      else entries.set(slot, value);
    }
    return entries;
  }

  codeByHash(codeHash: bigint): Uint8Array | undefined {
    for (const w of this.writes.values())
      if (!w.deleted && w.codeHash === codeHash && w.code !== undefined) return w.code;
    return this.lmdb.codeByHash(codeHash);
  }
}
