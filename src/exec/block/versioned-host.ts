// The Host an incarnation of transaction `txIndex` runs against: every read answers from the highest
// version below `txIndex` in the multi-version memory (else the base state) and is recorded, as flat
// (location, node) pairs, for validation. A read that meets an ESTIMATE throws ReadBlocked out of
// processTransaction: the incarnation is abandoned. One per worker, reused for every incarnation.
import type { AccountInfo, Host } from "../../evm/host.js";
import { EMPTY_CODE_HASH } from "../../primitives/keccak.js";
import { IntList, type MVMemory } from "./mv-memory.js";

const EMPTY = new Uint8Array(0);

export class VersionedHost implements Host {
  readonly reads = new IntList();
  private txIndex = 0;

  constructor(private readonly memory: MVMemory) {}

  /** Starts an incarnation of `txIndex`: an empty read set. */
  begin(txIndex: number): void {
    this.txIndex = txIndex;
    this.reads.length = 0;
  }

  account(address: bigint): AccountInfo | undefined {
    return this.memory.account(address, this.txIndex, this.reads);
  }

  code(address: bigint): Uint8Array {
    // Code follows the code hash: read the account (recorded), then the code by hash.
    const info = this.account(address);
    if (info === undefined || info.codeHash === EMPTY_CODE_HASH) return EMPTY;
    return this.memory.code(address, info.codeHash);
  }

  storage(address: bigint, slot: bigint): bigint {
    return this.memory.storage(address, slot, this.txIndex, this.reads);
  }

  hasStorage(address: bigint): boolean {
    return this.memory.hasStorage(address, this.txIndex, this.reads);
  }

  blockHash(number: bigint): bigint {
    return this.memory.base.blockHash(number);
  }
}
