// The accounts and storage slots a transaction touches, as an EIP-2930 access list (what geth's
// AccessListTracer collects for eth_createAccessList). It follows opcodes, so it only ever runs in the
// traced interpreter loop: untraced execution pays nothing for it.
import type { AccessListEntry } from "../../exec/types.js";
import type { Frame } from "../frame.js";
import type { EvmTracer } from "./types.js";

const BALANCE = 0x31;
const EXTCODESIZE = 0x3b;
const EXTCODECOPY = 0x3c;
const EXTCODEHASH = 0x3f;
const SLOAD = 0x54;
const SSTORE = 0x55;
const CALL = 0xf1;
const CALLCODE = 0xf2;
const DELEGATECALL = 0xf4;
const STATICCALL = 0xfa;
const SELFDESTRUCT = 0xff;

const ADDRESS_MASK = (1n << 160n) - 1n;

export class AccessListTracer implements EvmTracer {
  /** Address -> slots, as found. */
  private readonly touched = new Map<bigint, Set<bigint>>();

  /**
   * `initial`: the list the transaction carries, kept whole (its slots even when touched by nothing).
   * `excluded`: accounts never listed for being touched (sender, recipient, precompiles: warm anyway);
   * an excluded account's storage slots are still listed, with it, since they are not warm.
   */
  constructor(
    initial: readonly AccessListEntry[],
    private readonly excluded: ReadonlySet<bigint>,
  ) {
    for (const entry of initial) {
      if (!excluded.has(entry.address)) this.addAddress(entry.address);
      for (const key of entry.storageKeys) this.addSlot(entry.address, key);
    }
  }

  onEnter(): void {}
  onExit(): void {}
  onLog(): void {}

  onOpcode(frame: Frame, _pc: number, op: number): void {
    const sp = frame.sp;
    const stack = frame.stack;
    switch (op) {
      case SLOAD:
      case SSTORE:
        if (sp >= 1) this.addSlot(frame.address, stack[sp - 1]!);
        break;
      case BALANCE:
      case EXTCODESIZE:
      case EXTCODECOPY:
      case EXTCODEHASH:
      case SELFDESTRUCT:
        if (sp >= 1) this.addTouched(stack[sp - 1]! & ADDRESS_MASK);
        break;
      case CALL:
      case CALLCODE:
      case DELEGATECALL:
      case STATICCALL:
        if (sp >= 2) this.addTouched(stack[sp - 2]! & ADDRESS_MASK);
        break;
    }
  }

  /** The list, addresses and each one's slots in ascending order (as geth sorts them). */
  accessList(): AccessListEntry[] {
    const byAddress = [...this.touched.keys()].sort(ascending);
    return byAddress.map((address) => ({
      address,
      storageKeys: [...this.touched.get(address)!].sort(ascending),
    }));
  }

  /** Whether both found the same addresses and slots. */
  equals(other: AccessListTracer): boolean {
    if (this.touched.size !== other.touched.size) return false;
    for (const [address, slots] of this.touched) {
      const theirs = other.touched.get(address);
      if (theirs === undefined || theirs.size !== slots.size) return false;
      for (const slot of slots) if (!theirs.has(slot)) return false;
    }
    return true;
  }

  private addTouched(address: bigint): void {
    if (!this.excluded.has(address)) this.addAddress(address);
  }

  private addAddress(address: bigint): Set<bigint> {
    let slots = this.touched.get(address);
    if (slots === undefined) {
      slots = new Set();
      this.touched.set(address, slots);
    }
    return slots;
  }

  private addSlot(address: bigint, slot: bigint): void {
    this.addAddress(address).add(slot);
  }
}

function ascending(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
