// Snapshots and rewinds (evm_snapshot, evm_revert, anvil_reset): a snapshot is a point in the undo
// sequence and the head's number; a rewind merges the undo records after the point and applies them
// in one commit, deleting the blocks above it. A reset of a forked chain may fork again.
import type { StateWrites } from "../evm/host.js";
import { deletedAccountWrite } from "../evm/host.js";
import type { ChainCore } from "./chain-core.js";
import { type ChainFork, type ForkReset, forkGenesisWrites, putForkRecord, recordOf, refork } from "./fork.js";
import { mergeLater, type UndoRecord, undoWrites } from "./history.js";
import { SnapshotRegistry } from "./snapshot.js";
import type { DroppedBlock } from "./types.js";

/** Told once per rewind that drops blocks, after its commit: the dropped blocks, oldest first. */
export type BlocksDroppedListener = (dropped: DroppedBlock[]) => void;

export class Rewinds {
  private readonly snapshots = new SnapshotRegistry();

  constructor(private readonly core: ChainCore) {}

  /** See Chain.snapshot. */
  snapshot(): bigint {
    const core = this.core;
    const { id, point } = this.snapshots.take();
    core.queue = core.queue.then(async () => {
      await core.drain();
      point.seq = core.published;
      point.head = core.head.header.number;
    });
    return id;
  }

  /** See Chain.revert. */
  revert(id: bigint, onDropped?: BlocksDroppedListener): Promise<boolean> {
    return this.core.serialize(async () => {
      const point = this.snapshots.claim(id);
      if (point === undefined) return false;
      await this.rewind(point, `snapshot ${id}`, onDropped);
      return true;
    });
  }

  /** See Chain.reset. */
  reset(onDropped?: BlocksDroppedListener, forking?: ForkReset): Promise<void> {
    const core = this.core;
    return core.serialize(async () => {
      // Fetched before anything changes: an upstream that fails leaves the chain as it was.
      const fork = forking === undefined ? undefined : refork(core.lmdb.forkPoint, forking);
      const funded = fork === undefined ? undefined : forkGenesisWrites(core.genesisSpec!, fork);
      this.snapshots.clear();
      await this.rewind({ seq: 0n, head: core.genesisNumber }, "genesis", onDropped);
      if (fork !== undefined) await this.replaceFork(fork, funded!);
    });
  }

  /** The live snapshots with the block each returns to (anvil_metadata's `snapshots`), by id. */
  snapshotHeads(): { id: bigint; number: bigint; hash: bigint }[] {
    const out: { id: bigint; number: bigint; hash: bigint }[] = [];
    for (const [id, point] of this.snapshots.list()) {
      const block = this.core.blockByNumber(point.head);
      if (block !== undefined) out.push({ id, number: point.head, hash: block.hash });
    }
    return out;
  }

  /**
   * Swaps the fork under a chain rewound to its first block: the local state wiped but for the funded
   * accounts, the upstream's new block as the first block, reads through the new fork point.
   */
  private async replaceFork(fork: ChainFork, funded: StateWrites): Promise<void> {
    const core = this.core;
    const writes: StateWrites = new Map();
    for (const address of core.lmdb.addresses()) writes.set(address, deletedAccountWrite());
    for (const [address, w] of funded) writes.set(address, w);
    const previous = core.lmdb.forkPoint;
    const oldFirst = core.genesisNumber;
    const trie = await core.rootAfter(writes);
    await core.commitState(writes, trie, () => {
      core.lmdb.clearForkMarks();
      core.store.deleteBlock(oldFirst);
      core.store.putGenesis(fork.base.hash, core.chainId);
      core.store.putBlock(fork.base, []);
      putForkRecord(core.lmdb, recordOf(fork));
      return { number: fork.base.header.number, hash: fork.base.hash };
    });
    core.lmdb.setFork(fork.point);
    if (previous !== undefined && previous.client !== fork.point.client) void previous.client.close();
    core.genesisNumber = fork.base.header.number;
    core.replaceHead(fork.base);
  }

  /** Rewinds blocks and state to `point` (the undo records after it, merged and applied in one commit). */
  private async rewind(
    point: { seq: bigint; head: bigint },
    what: string,
    onDropped?: BlocksDroppedListener,
  ): Promise<void> {
    const core = this.core;
    const merged: UndoRecord = new Map();
    for (const [, record] of core.undoFrom(point.seq + 1n)) mergeLater(merged, record);
    const headNumber = core.head.header.number;
    if (merged.size === 0 && point.head === headNumber) return;
    const target = core.blockByNumber(point.head);
    if (target === undefined) throw new Error(`${what}: block ${point.head} is gone`);
    // The head's root still describes the state only where no dev edit followed the block.
    const exact = core.store.lastUndoAtOrBelow(point.seq) === (core.store.blockSeq(point.head) ?? 0n);
    // Read now: the commit below deletes the blocks and their receipts.
    const dropped = onDropped === undefined ? [] : this.blocksAbove(point.head);
    const rewind = undoWrites(merged);
    const trie = await core.rootAfter(rewind);
    await core.commitState(rewind, trie, () => {
      for (let n = headNumber; n > point.head; n--) core.store.deleteBlock(n);
      core.store.deleteUndoFrom(point.seq + 1n);
      return { number: point.head, hash: target.hash, stateRoot: exact ? target.header.stateRoot : undefined };
    });
    core.replaceHead(target);
    // Only a rewind that removed blocks is news (a revert over dev edits alone drops none).
    if (dropped.length > 0) onDropped?.(dropped);
  }

  /** The blocks above `number` with their receipts, oldest first. */
  private blocksAbove(number: bigint): DroppedBlock[] {
    const core = this.core;
    const out: DroppedBlock[] = [];
    for (let n = number + 1n; n <= core.head.header.number; n++) {
      const block = core.blockByNumber(n);
      if (block !== undefined) out.push({ block, receipts: core.blockReceipts(n) });
    }
    return out;
  }
}
