// Dev edits of the head's state (anvil_setBalance, setNonce, setCode, setStorageAt, anvil_loadState)
// and its dump (anvil_dumpState). An edit is a commit of its own with an undo record, so a revert to
// a snapshot taken before it undoes it; it leaves the head's block as it is.
import type { AccountWrite, StateWrites } from "../evm/host.js";
import { deletedAccountWrite } from "../evm/host.js";
import { EMPTY_CODE_HASH, keccak256Word } from "../primitives/keccak.js";
import { MAX_U256 } from "../primitives/word-view.js";
import type { ChainCore } from "./chain-core.js";
import { encodeUndo, undoOf } from "./history.js";
import {
  type AccountChange,
  decodeStateDump,
  dumpAccounts,
  dumpBlock,
  dumpBlockEnv,
  dumpChanges,
  type StateDump,
} from "./snapshot.js";

const MAX_U64 = (1n << 64n) - 1n;
const MAX_ADDRESS = (1n << 160n) - 1n;

/** Throws a RangeError unless 0 ≤ value ≤ max. */
export function checkRange(value: bigint, max: bigint, what: string): void {
  if (value < 0n || value > max) throw new RangeError(`${what} ${value} out of range`);
}

export function checkAddress(address: bigint): void {
  checkRange(address, MAX_ADDRESS, "address");
}

export function checkU64(value: bigint, what: string): void {
  checkRange(value, MAX_U64, what);
}

/** See Chain.setAccount. */
export function setAccount(core: ChainCore, address: bigint, change: AccountChange): Promise<void> {
  return core.serialize(() => applyChanges(core, new Map([[address, change]])));
}

/** See Chain.loadState. */
export async function loadState(core: ChainCore, dump: StateDump | Uint8Array | string): Promise<void> {
  // Parsed at the call (a bad dump is a rejection before anything queued after it runs).
  const changes = dumpChanges(decodeStateDump(dump));
  return core.serialize(() => applyChanges(core, changes));
}

/** See Chain.dumpState. */
export function dumpState(core: ChainCore): StateDump {
  const head = core.head;
  return {
    block: dumpBlockEnv(head.header),
    accounts: dumpAccounts(core.lmdb),
    best_block_number: Number(head.header.number),
    blocks: [dumpBlock(head)],
    transactions: [],
    historical_states: null,
  };
}

async function applyChanges(core: ChainCore, changes: Map<bigint, AccountChange>): Promise<void> {
  const writes: StateWrites = new Map();
  for (const [address, change] of changes) writes.set(address, changeWrite(core, address, change));
  const head = core.head;
  const undo = undoOf(core.lmdb, writes);
  const trie = await core.rootAfter(writes);
  await core.commitWithUndo(writes, trie, undo, (seq) => {
    core.store.putUndo(seq, encodeUndo(undo));
    // The state no longer matches the head's root.
    return { number: head.header.number, hash: head.hash };
  });
}

function changeWrite(core: ChainCore, address: bigint, c: AccountChange): AccountWrite {
  checkAddress(address);
  if (c.nonce !== undefined) checkU64(c.nonce, "nonce");
  if (c.balance !== undefined) checkRange(c.balance, MAX_U256, "balance");
  for (const [slot, value] of c.storage ?? []) {
    checkRange(slot, MAX_U256, "storage slot");
    checkRange(value, MAX_U256, "storage value");
  }
  const current = core.lmdb.account(address);
  const w: AccountWrite = {
    deleted: false,
    nonce: c.nonce ?? current?.nonce ?? 0n,
    balance: c.balance ?? current?.balance ?? 0n,
    codeHash: current?.codeHash ?? EMPTY_CODE_HASH,
    storageCleared: false,
    storage: new Map(c.storage ?? []),
  };
  if (c.code !== undefined) {
    w.codeHash = c.code.length === 0 ? EMPTY_CODE_HASH : keccak256Word(c.code);
    if (c.code.length > 0) w.code = c.code;
  }
  // An account left with nothing (EIP-161 empty, no storage) does not exist.
  const empty = w.nonce === 0n && w.balance === 0n && w.codeHash === EMPTY_CODE_HASH;
  if (empty && [...w.storage.values()].every((v) => v === 0n) && !core.lmdb.hasStorage(address)) {
    return deletedAccountWrite();
  }
  return w;
}
