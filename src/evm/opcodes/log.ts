// 0xa0-0xa4: LOG0-LOG4.
import { ByteSlab } from "../../primitives/byte-slab.js";
import { low32 } from "../../primitives/word-view.js";
import { type Frame, WRITE_IN_STATIC } from "../frame.js";
import { GAS_LOG, GAS_LOG_DATA, GAS_LOG_TOPIC } from "../params.js";
import type { Handler, OpcodeDef } from "./types.js";

const EMPTY = new Uint8Array(0);
// A log's data outlives its transaction (in the receipt), so every copy survives the young generation's
// collections until its block is committed; a copy of its own costs a typed array, an ArrayBuffer and
// the bytes (about 200 bytes for a 32-byte amount), a view of a shared slab only the view (measured
// on ERC-20 transfers: 563 to 427 bytes kept per receipt). A slab's logs come from neighbouring
// transactions, so they are dropped together and a slab is rarely held by one old log.
const LOG_DATA = new ByteSlab(16 * 1024, 256);

/** A copy of memory[start, start + length): a view of a log-data slab where short. */
function logData(memory: Uint8Array, start: number, length: number): Uint8Array {
  if (length === 0) return EMPTY;
  const out = LOG_DATA.bytes(length);
  out.set(memory.subarray(start, start + length));
  return out;
}

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
    const log = { address: f.address, topics, data: logData(f.memory, start, length) };
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
