// Solidity's console.log (Hardhat's console.sol, forge-std's console.sol): a call to an address that
// has no code, whose calldata is an ABI-encoded log(...) call. The EVM runs it as any call to an empty
// account (no state change, the same gas); this tracer only keeps the calldata of those calls, for
// the node to decode and print (src/rpc/console). It follows frames, never opcodes, so the frames run
// in the untraced interpreter loop.
import type { EvmTracer } from "./types.js";

/** 0x000000000000000000636F6e736F6c652e6c6f67: "console.log" in ASCII. */
export const CONSOLE_ADDRESS = 0x636f6e736f6c652e6c6f67n;

export class ConsoleCallCollector implements EvmTracer {
  /** The calldata of each console call, in execution order. */
  readonly inputs: Uint8Array[] = [];
  /** A console call entered and not exited yet (it has no code, so nothing runs in between). */
  private entered = false;

  onEnter(_depth: number, _type: number, _from: bigint, to: bigint, input: Uint8Array): void {
    if (to !== CONSOLE_ADDRESS) return;
    // The caller's memory may be reused once the call returns.
    this.inputs.push(input.slice());
    this.entered = true;
  }

  onExit(_depth: number, _output: Uint8Array, _gasUsed: number, error: string | undefined): void {
    if (!this.entered) return;
    this.entered = false;
    // A call that never ran (call depth exceeded) logged nothing.
    if (error !== undefined) this.inputs.pop();
  }

  onLog(): void {}
}
