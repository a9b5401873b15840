// geth's 4byteTracer: how often each 4-byte function selector was called, with the size of the data
// after it ("0x27dc297e-128": 1), so that a reversed signature can be matched against the size.
// Calls only (creations and SELFDESTRUCT are not calls), precompiles left out, the transaction's own call included.
import { bytesToHex } from "../../primitives/hex.js";
import { isPrecompile } from "../params.js";
import { CallType, type TxTracer } from "./types.js";

export type FourByteJson = Record<string, number>;

export class FourByteTracer implements TxTracer {
  private readonly ids = new Map<string, number>();

  onTxStart(): void {}
  onTxEnd(): void {}
  onExit(): void {}
  onLog(): void {}

  onEnter(_depth: number, type: CallType, _from: bigint, to: bigint, input: Uint8Array): void {
    if (input.length < 4) return;
    if (
      type !== CallType.Call &&
      type !== CallType.CallCode &&
      type !== CallType.DelegateCall &&
      type !== CallType.StaticCall
    ) {
      return;
    }
    if (isPrecompile(to)) return;
    const id = `${bytesToHex(input.subarray(0, 4))}-${input.length - 4}`;
    this.ids.set(id, (this.ids.get(id) ?? 0) + 1);
  }

  /** Selector-size ids and their counts, ids sorted as geth's JSON sorts map keys. */
  result(): FourByteJson {
    const json: FourByteJson = {};
    for (const id of [...this.ids.keys()].sort()) json[id] = this.ids.get(id)!;
    return json;
  }
}
