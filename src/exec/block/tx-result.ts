// What an incarnation hands the main thread besides its writes (which the main thread reads back from
// the multi-version memory): the receipt's fields, or why the transaction is invalid, or what it
// threw. Encoded once per incarnation into the shared arena, decoded once per committed transaction.
import type { Log } from "../../evm/host.js";
import type { ByteReader, ByteWriter } from "../../threads/byte-codec.js";
import { InvalidTransactionError, type InvalidTxReason, type TxOutcome } from "../types.js";
import type { WordCache } from "./shared-words.js";

const VALID = 0;
const INVALID = 1;
const THROWN = 2;
/** The outcome stayed with the thread that executed it (own-outcomes.ts): nothing to decode. */
const KEPT = 3;
const CREATED = 1;

const utf8 = new TextEncoder();
const text = new TextDecoder();

function writeString(w: ByteWriter, s: string): void {
  w.raw(utf8.encode(s));
}

function readString(r: ByteReader): string {
  return text.decode(r.raw());
}

/** Everything of a valid outcome but its writes and fee. */
export interface CommittedReceipt {
  status: 0 | 1;
  gasUsed: bigint;
  logs: Log[];
  createdAddress?: bigint;
}

export type CommittedResult =
  | ({ kind: "valid" } & CommittedReceipt)
  | { kind: "invalid"; error: InvalidTransactionError }
  | { kind: "thrown"; error: Error };

export function encodeTxResult(w: ByteWriter, result: { outcome: TxOutcome } | { thrown: unknown }): void {
  if ("thrown" in result) {
    const e = result.thrown instanceof Error ? result.thrown : new Error(String(result.thrown));
    w.u8(THROWN);
    writeString(w, e.name);
    writeString(w, e.message);
    writeString(w, e.stack ?? "");
    return;
  }
  const o = result.outcome;
  if (!o.valid) {
    w.u8(INVALID);
    writeString(w, o.error.reason);
    writeString(w, o.error.message);
    return;
  }
  w.u8(VALID);
  w.u8(o.status);
  w.u8(o.createdAddress !== undefined ? CREATED : 0);
  w.big(o.gasUsed);
  w.u32(o.logs.length);
  for (const log of o.logs) {
    w.big(log.address);
    w.bigs(log.topics);
    w.raw(log.data);
  }
  if (o.createdAddress !== undefined) w.big(o.createdAddress);
}

/** In place of a valid outcome that its executing thread keeps for the committer. */
export function encodeKeptResult(w: ByteWriter): void {
  w.u8(KEPT);
}

/**
 * A bigint of at least `fromLimbs` limbs (of at most four) through `words`, else as `big` reads it:
 * a log's address, and a topic of four limbs (an event's signature, a hash), repeat from log to log;
 * a topic of three is an address (a transfer's sender or receiver), seldom the same twice, and a
 * cache miss costs more than the BigInt.
 */
function readWord(r: ByteReader, words: WordCache | undefined, fromLimbs: number): bigint {
  const limbs = r.bigLimbs();
  if (words === undefined || limbs < fromLimbs || limbs > 4) return r.big();
  r.bigWords(words.u32);
  return words.word();
}

/**
 * Decodes the result at the reader's position (one reader over the whole arena, no copy). With
 * `words`, the logs' addresses and topics that repeat (a token's address, an event's signature) are
 * one BigInt each.
 */
export function decodeTxResult(r: ByteReader, words?: WordCache): CommittedResult {
  const kind = r.u8();
  if (kind === KEPT) throw new Error("Block-STM: a kept outcome's result was read back from the shared memory");
  if (kind === THROWN) {
    const error = new Error();
    error.name = readString(r);
    error.message = readString(r);
    const stack = readString(r);
    if (stack !== "") error.stack = stack;
    return { kind: "thrown", error };
  }
  if (kind === INVALID) {
    const reason = readString(r) as InvalidTxReason;
    const error = new InvalidTransactionError(reason, "");
    error.message = readString(r);
    return { kind: "invalid", error };
  }
  const status = r.u8() as 0 | 1;
  const flags = r.u8();
  const gasUsed = r.big();
  const logs: Log[] = new Array(r.u32());
  for (let k = 0; k < logs.length; k++) {
    const address = readWord(r, words, 3);
    const topics: bigint[] = new Array(r.u32());
    for (let t = 0; t < topics.length; t++) topics[t] = readWord(r, words, 4);
    logs[k] = { address, topics, data: r.raw() };
  }
  const result: CommittedResult = { kind: "valid", status, gasUsed, logs };
  if (flags & CREATED) result.createdAddress = r.big();
  return result;
}
