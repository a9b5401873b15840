// What eth_simulateV1 needs to see of a call's execution: the top frame's error (a revert or geth's
// VM error message), and with traceTransfers the logs in execution order with an ERC-7528 pseudo-log
// (emitter 0xEeee...EEeE, ERC-20 Transfer topic) for every frame that moves ether; logs of a frame
// that fails are dropped with it, as geth's simulate tracer does.
import type { Log } from "../../evm/host.js";
import { CallType, type EvmTracer } from "../../evm/tracing/types.js";
import { bigintToBytes32 } from "./simulate-words.js";

/** ERC-7528's address for native ether. */
export const NATIVE_ETHER_ADDRESS = 0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeen;
/** keccak256("Transfer(address,address,uint256)"). */
export const TRANSFER_TOPIC = 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3efn;

export class SimulationTracer implements EvmTracer {
  /** The top frame's error: undefined on success, "execution reverted" for REVERT, else geth's message. */
  topError: string | undefined;
  /** With traceTransfers: the call's logs, pseudo-logs included (empty when it failed). */
  logs: Log[] = [];
  private readonly frames: Log[][] = [];

  constructor(private readonly traceTransfers: boolean) {}

  onEnter(
    _depth: number,
    type: CallType,
    from: bigint,
    to: bigint,
    _input: Uint8Array,
    _gas: number,
    value: bigint | undefined,
  ): void {
    const logs: Log[] = [];
    // DELEGATECALL reports the value it inherits, but moves none.
    if (this.traceTransfers && type !== CallType.DelegateCall && value !== undefined && value > 0n) {
      logs.push({ address: NATIVE_ETHER_ADDRESS, topics: [TRANSFER_TOPIC, from, to], data: bigintToBytes32(value) });
    }
    this.frames.push(logs);
  }

  onExit(depth: number, _output: Uint8Array, _gasUsed: number, error: string | undefined): void {
    const logs = this.frames.pop() ?? [];
    if (depth === 0) {
      this.topError = error;
      this.logs = error === undefined ? logs : [];
      return;
    }
    if (error === undefined) this.frames[this.frames.length - 1]?.push(...logs);
  }

  onLog(log: Log): void {
    this.frames[this.frames.length - 1]?.push(log);
  }
}
