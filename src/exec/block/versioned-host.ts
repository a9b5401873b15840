// The Host one incarnation of transaction `txIndex` runs against: every read answers from the highest
// version below `txIndex` in MVMemory (else the base state) and is recorded for validation. A read
// that meets an ESTIMATE throws ReadBlocked out of processTransaction: the incarnation is abandoned.
import type { AccountInfo, Host } from "../../evm/host.js";
import { EMPTY_CODE_HASH } from "../../primitives/keccak.js";
import { type MVMemory, type Read, ReadKind } from "./mv-memory.js";

const EMPTY = new Uint8Array(0);

export class VersionedHost implements Host {
  readonly reads: Read[] = [];

  constructor(
    private readonly memory: MVMemory,
    private readonly txIndex: number,
  ) {}

  account(address: bigint): AccountInfo | undefined {
    return this.memory.account(address, this.txIndex, this.reads);
  }

  code(address: bigint): Uint8Array {
    // Code follows the code hash: read the account (recorded), then the code by hash.
    const info = this.account(address);
    if (info === undefined || info.codeHash === EMPTY_CODE_HASH) return EMPTY;
    return this.memory.codes.get(info.codeHash) ?? this.memory.base.code(address);
  }

  storage(address: bigint, slot: bigint): bigint {
    return this.memory.storage(address, slot, this.txIndex, this.reads);
  }

  hasStorage(address: bigint): boolean {
    const value = this.memory.hasStorage(address, this.txIndex);
    this.reads.push({ kind: ReadKind.HasStorage, address, value });
    return value;
  }

  blockHash(number: bigint): bigint {
    return this.memory.base.blockHash(number);
  }
}
