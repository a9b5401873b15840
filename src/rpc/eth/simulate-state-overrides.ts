// A block's stateOverrides written into the simulation's overlay: unlike eth_call's CallHost view,
// they must stay for the calls and blocks after (and be changed by them), so they become writes.
import type { AccountWrite } from "../../evm/host.js";
import type { BlockOverlay } from "../../exec/block/overlay.js";
import { EMPTY_CODE_HASH, keccak256Word } from "../../primitives/keccak.js";
import type { StateOverrides } from "./call-request.js";

export function applyStateOverrides(overlay: BlockOverlay, overrides: StateOverrides): void {
  if (overrides.size === 0) return;
  const writes = new Map<bigint, AccountWrite>();
  for (const [address, o] of overrides) {
    const current = overlay.account(address);
    const write: AccountWrite = {
      deleted: false,
      nonce: o.nonce ?? current?.nonce ?? 0n,
      balance: o.balance ?? current?.balance ?? 0n,
      codeHash: o.code !== undefined ? keccak256Word(o.code) : (current?.codeHash ?? EMPTY_CODE_HASH),
      // `state` replaces the whole storage; `stateDiff` only the slots it names.
      storageCleared: o.state !== undefined,
      storage: new Map(o.state ?? o.stateDiff ?? []),
    };
    if (o.code !== undefined) write.code = o.code;
    writes.set(address, write);
  }
  overlay.apply(writes);
}
