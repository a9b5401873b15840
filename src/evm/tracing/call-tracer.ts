// geth's callTracer: the tree of frames a transaction ran, with gas, input, output, errors and
// (withLog) the logs each frame emitted, in geth's JSON shape.

import { addressToHex, bigintToHex, bytesToHex, wordToHex } from "../../primitives/hex.js";
import type { Log } from "../host.js";
import { GETH_OPCODE_NAMES } from "./errors.js";
import { REVERTED } from "./messages.js";
import { decodeRevertReason } from "./revert-reason.js";
import { CallType, TraceTooLargeError, type TxTracer } from "./types.js";

export interface CallTracerConfig {
  /** Only the transaction's own frame, no subcalls. */
  onlyTopCall?: boolean;
  /** Collect the logs each frame emitted (dropped again from frames that failed, and below them). */
  withLog?: boolean;
}

export interface CallLogJson {
  address: string;
  topics: string[];
  data: string;
  /** The log's index in its block. */
  index: string;
  /** How many subcalls of the frame came before the log. */
  position: string;
}

/** One frame, keys in geth's order; optional ones are left out when empty, as geth omits them. */
export interface CallFrameJson {
  from: string;
  gas: string;
  gasUsed: string;
  to?: string;
  input: string;
  output?: string;
  error?: string;
  revertReason?: string;
  calls?: CallFrameJson[];
  logs?: CallLogJson[];
  value?: string;
  type: string;
}

interface OpenFrame {
  json: CallFrameJson;
  type: CallType;
  /** Whether the frame failed (its changes, logs included, were rolled back). */
  failed: boolean;
  calls: OpenFrame[];
}

export class CallTracer implements TxTracer {
  private readonly onlyTopCall: boolean;
  private readonly withLog: boolean;
  private readonly stack: OpenFrame[] = [];
  private top: OpenFrame | undefined;
  private gasLimit = 0n;
  private depth = 0;
  /** About how many bytes of JSON the result holds so far. */
  private bytes = 0;

  /**
   * `logIndexBase`: the block index of the transaction's first log (logs before it in the block).
   * `maxBytes`: past about this much JSON, tracing stops with a TraceTooLargeError.
   */
  constructor(
    config: CallTracerConfig = {},
    private readonly logIndexBase = 0,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {
    this.onlyTopCall = config.onlyTopCall ?? false;
    this.withLog = config.withLog ?? false;
  }

  onTxStart(gasLimit: bigint): void {
    this.gasLimit = gasLimit;
  }

  onTxEnd(gasUsed: bigint): void {
    if (this.top === undefined) return;
    this.top.json.gasUsed = bigintToHex(gasUsed);
    if (this.withLog) clearFailedLogs(this.top, false);
  }

  onEnter(
    depth: number,
    type: CallType,
    from: bigint,
    to: bigint,
    input: Uint8Array,
    gas: number,
    value: bigint | undefined,
  ): void {
    this.depth = depth;
    if (this.onlyTopCall && depth > 0) return;
    const json: CallFrameJson = {
      from: addressToHex(from),
      // The transaction's frame shows the transaction's gas limit, as geth's does.
      gas: depth === 0 ? bigintToHex(this.gasLimit) : `0x${gas.toString(16)}`,
      gasUsed: "0x0",
      to: addressToHex(to),
      input: bytesToHex(input),
      type: GETH_OPCODE_NAMES[type]!,
    };
    if (value !== undefined) json.value = bigintToHex(value);
    const frame: OpenFrame = { json, type, failed: false, calls: [] };
    this.grow(json.input.length + 200);
    if (depth === 0) this.top = frame;
    this.stack.push(frame);
  }

  onExit(depth: number, output: Uint8Array, gasUsed: number, error: string | undefined): void {
    if (depth > 0) this.depth = depth - 1;
    if (this.onlyTopCall && depth > 0) return;
    const frame = this.stack.pop();
    if (frame === undefined) return;
    frame.json.gasUsed = `0x${gasUsed.toString(16)}`;
    setOutput(frame, output, error);
    this.grow(2 * output.length);
    if (depth > 0) this.stack[this.stack.length - 1]?.calls.push(frame);
  }

  onLog(log: Log, index: number): void {
    if (!this.withLog) return;
    if (this.onlyTopCall && this.depth > 0) return;
    const frame = this.stack[this.stack.length - 1];
    if (frame === undefined) return;
    this.grow(2 * log.data.length + 70 * log.topics.length + 200);
    const logs = (frame.json.logs ??= []);
    logs.push({
      address: addressToHex(log.address),
      topics: log.topics.map(wordToHex),
      data: bytesToHex(log.data),
      index: `0x${(this.logIndexBase + index).toString(16)}`,
      position: `0x${frame.calls.length.toString(16)}`,
    });
  }

  private grow(bytes: number): void {
    this.bytes += bytes;
    if (this.bytes > this.maxBytes) throw new TraceTooLargeError(this.maxBytes);
  }

  /** The transaction's frame with its subcalls nested; undefined before the transaction ran. */
  result(): CallFrameJson | undefined {
    if (this.top === undefined) return undefined;
    return toJson(this.top);
  }
}

function setOutput(frame: OpenFrame, output: Uint8Array, error: string | undefined): void {
  const json = frame.json;
  if (error === undefined) {
    if (output.length > 0) json.output = bytesToHex(output);
    return;
  }
  frame.failed = true;
  json.error = error;
  // A failed creation created nothing.
  if (frame.type === CallType.Create || frame.type === CallType.Create2) delete json.to;
  if (error !== REVERTED || output.length === 0) return;
  json.output = bytesToHex(output);
  const reason = decodeRevertReason(output);
  if (reason !== undefined) json.revertReason = reason;
}

/** Logs of a failed frame, and of every frame below it, never happened. */
function clearFailedLogs(frame: OpenFrame, parentFailed: boolean): void {
  const failed = frame.failed || parentFailed;
  if (failed) delete frame.json.logs;
  for (const call of frame.calls) clearFailedLogs(call, failed);
}

/** The frame's JSON in geth's key order, its subcalls nested. */
function toJson(frame: OpenFrame): CallFrameJson {
  const j = frame.json;
  const out: Partial<CallFrameJson> = { from: j.from, gas: j.gas, gasUsed: j.gasUsed };
  if (j.to !== undefined) out.to = j.to;
  out.input = j.input;
  if (j.output !== undefined) out.output = j.output;
  if (j.error !== undefined) out.error = j.error;
  if (j.revertReason !== undefined) out.revertReason = j.revertReason;
  if (frame.calls.length > 0) out.calls = frame.calls.map(toJson);
  if (j.logs !== undefined && j.logs.length > 0) out.logs = j.logs;
  if (j.value !== undefined) out.value = j.value;
  out.type = j.type;
  return out as CallFrameJson;
}
