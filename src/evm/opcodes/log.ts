// 0xa0-0xa4: LOG0-LOG4.
import { low32 } from "../../primitives/word-view.js";
import { type Frame, WRITE_IN_STATIC } from "../frame.js";
import { GAS_LOG, GAS_LOG_DATA, GAS_LOG_TOPIC } from "../params.js";
import type { Handler, OpcodeDef } from "./types.js";

function makeLog(topicCount: number): Handler {
  return (f: Frame) => {
    const s = f.stack;
    const offset = s[--f.sp]!;
    const size = s[--f.sp]!;
    const topics = popTopics(f, topicCount);
    const start = f.memoryRange(offset, size);
    const length = low32(size);
    f.useGas(GAS_LOG_DATA * length);
    if (f.isStatic) throw WRITE_IN_STATIC;
    const log = { address: f.address, topics, data: f.readMemory(start, length) };
    const journal = f.evm.journal;
    journal.addLog(log);
    const tracer = f.evm.tracer;
    if (tracer !== undefined) tracer.onLog(log, journal.logs.length - 1);
  };
}

/**
 * The topics, in stack order, as an array of exactly their number: a log outlives its transaction (in
 * its receipt), and an array grown by push keeps room for 16 more elements.
 */
function popTopics(f: Frame, count: number): bigint[] {
  const s = f.stack;
  const sp = f.sp;
  f.sp = sp - count;
  switch (count) {
    case 0:
      return [];
    case 1:
      return [s[sp - 1]!];
    case 2:
      return [s[sp - 1]!, s[sp - 2]!];
    case 3:
      return [s[sp - 1]!, s[sp - 2]!, s[sp - 3]!];
    default:
      return [s[sp - 1]!, s[sp - 2]!, s[sp - 3]!, s[sp - 4]!];
  }
}

export const LOG: OpcodeDef[] = [0, 1, 2, 3, 4].map((n) => ({
  opcode: 0xa0 + n,
  name: `LOG${n}`,
  gas: GAS_LOG + GAS_LOG_TOPIC * n,
  pops: n + 2,
  pushes: 0,
  handler: makeLog(n),
}));
