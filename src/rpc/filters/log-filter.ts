// Log criteria (address + topics, as eth_getLogs, eth_newFilter and the "logs" subscription take them),
// matching, and the block-range query eth_getLogs and eth_getFilterLogs run (bloom first, then receipts).
// A query's work is bounded: at most limits.maxLogsAddresses addresses and limits.maxLogsTopicValues
// values per topic position; each block's bloom is tested against bits computed once per query; the
// scan yields to the event loop between slices and fails past limits.logsQueryBudgetMs of work.
import type { BlockHeader, TransactionReceipt } from "../../chain/types.js";
import type { Log } from "../../evm/host.js";
import { bigintToBytes } from "../../primitives/hex.js";
import { findBlock } from "../block-ref.js";
import type { RpcContext, RpcLimits } from "../context.js";
import { invalidParams, limitExceeded } from "../errors.js";
import { type BlockRef, formatLog, parseAddress, parseBlockNumberOrTag, parseHash, parseObject } from "../hex-codec.js";
import { DEFAULT_LIMITS } from "../limits.js";
import { WorkSlicer } from "../work-slicer.js";
import { BloomProbe } from "./bloom-probe.js";

export interface LogCriteria {
  /** Any of these addresses; empty: any address. */
  addresses: bigint[];
  /** Per position: any of these topics; null: any topic. */
  topics: (bigint[] | null)[];
}

export interface LogQuery {
  criteria: LogCriteria;
  /** Either a range or one block by hash. */
  fromBlock: BlockRef;
  toBlock: BlockRef;
  blockHash?: bigint;
}

/** How many addresses and topic alternatives one set of criteria may name. */
export type LogCriteriaLimits = Pick<RpcLimits, "maxLogsAddresses" | "maxLogsTopicValues">;

/** A filter object; `allowRange` false for the logs subscription (which takes address and topics only). */
export function parseLogQuery(
  value: unknown,
  name = "filter",
  allowRange = true,
  limits: LogCriteriaLimits = DEFAULT_LIMITS,
): LogQuery {
  const o = value === undefined || value === null ? {} : parseObject(value, name);
  const criteria = parseLogCriteria(o, name, limits);
  const latest: BlockRef = { kind: "tag", tag: "latest" };
  if (!allowRange) return { criteria, fromBlock: latest, toBlock: latest };
  if (o.blockHash !== undefined && o.blockHash !== null) {
    if ((o.fromBlock ?? null) !== null || (o.toBlock ?? null) !== null) {
      throw invalidParams(`${name}: blockHash cannot be combined with fromBlock/toBlock`);
    }
    return { criteria, fromBlock: latest, toBlock: latest, blockHash: parseHash(o.blockHash, `${name}.blockHash`) };
  }
  return {
    criteria,
    fromBlock: parseBlockNumberOrTag(o.fromBlock ?? "latest", `${name}.fromBlock`),
    toBlock: parseBlockNumberOrTag(o.toBlock ?? "latest", `${name}.toBlock`),
  };
}

export function parseLogCriteria(
  o: Record<string, unknown>,
  name: string,
  limits: LogCriteriaLimits = DEFAULT_LIMITS,
): LogCriteria {
  let addresses: bigint[] = [];
  if (Array.isArray(o.address)) {
    // Checked before parsing: each address costs a bloom hash and a set entry for the whole query.
    if (o.address.length > limits.maxLogsAddresses) {
      throw invalidParams(
        `${name}.address: ${o.address.length} addresses exceed the limit of ${limits.maxLogsAddresses}; split the query`,
      );
    }
    addresses = o.address.map((a, i) => parseAddress(a, `${name}.address[${i}]`));
  } else if (o.address !== undefined && o.address !== null) addresses = [parseAddress(o.address, `${name}.address`)];
  const topics: (bigint[] | null)[] = [];
  if (o.topics !== undefined && o.topics !== null) {
    if (!Array.isArray(o.topics)) throw invalidParams(`${name}.topics: expected an array`);
    if (o.topics.length > 4) throw invalidParams(`${name}.topics: at most 4 positions, got ${o.topics.length}`);
    o.topics.forEach((t, i) => {
      if (t === null) topics.push(null);
      else if (Array.isArray(t)) {
        if (t.length > limits.maxLogsTopicValues) {
          throw invalidParams(
            `${name}.topics[${i}]: ${t.length} alternatives exceed the limit of ${limits.maxLogsTopicValues}; split the query`,
          );
        }
        // An empty alternative list matches anything, as in geth.
        topics.push(t.length === 0 ? null : t.map((x, j) => parseHash(x, `${name}.topics[${i}][${j}]`)));
      } else topics.push([parseHash(t, `${name}.topics[${i}]`)]);
    });
  }
  // Trailing wildcards constrain nothing but the topic count; geth keeps that constraint, and so do we.
  return { addresses, topics };
}

/**
 * Criteria prepared for matching many logs and blooms: sets instead of lists, and each value's bloom
 * bits hashed once (hashing every address for every block made a 10,000-address query over 1,000
 * blocks take 20 s).
 */
interface PreparedCriteria {
  /** null: any address. */
  addresses: Set<bigint> | null;
  addressProbe: BloomProbe | null;
  /** Per position: null for any topic. */
  topics: (Set<bigint> | null)[];
  topicProbes: (BloomProbe | null)[];
}

// Criteria are never changed after parsing, so what is derived from them is kept beside them.
const prepared = new WeakMap<LogCriteria, PreparedCriteria>();

function prepare(c: LogCriteria): PreparedCriteria {
  let p = prepared.get(c);
  if (p === undefined) {
    p = {
      addresses: c.addresses.length === 0 ? null : new Set(c.addresses),
      addressProbe: c.addresses.length === 0 ? null : new BloomProbe(c.addresses.map((a) => bigintToBytes(a, 20))),
      topics: c.topics.map((wanted) => (wanted === null ? null : new Set(wanted))),
      topicProbes: c.topics.map((wanted) =>
        wanted === null ? null : new BloomProbe(wanted.map((t) => bigintToBytes(t, 32))),
      ),
    };
    prepared.set(c, p);
  }
  return p;
}

export function matchesLog(log: Log, c: LogCriteria): boolean {
  const p = prepare(c);
  if (p.addresses !== null && !p.addresses.has(log.address)) return false;
  if (p.topics.length > log.topics.length) return false;
  for (let i = 0; i < p.topics.length; i++) {
    const wanted = p.topics[i];
    if (wanted !== null && wanted !== undefined && !wanted.has(log.topics[i]!)) return false;
  }
  return true;
}

/** Whether a block's bloom may hold a match (false: certainly none). */
export function bloomMayMatch(bloom: Uint8Array, c: LogCriteria): boolean {
  const p = prepare(c);
  if (p.addressProbe !== null && !p.addressProbe.mayHoldAny(bloom)) return false;
  for (const probe of p.topicProbes) if (probe !== null && !probe.mayHoldAny(bloom)) return false;
  return true;
}

/** The matching logs of one block's receipts, in RPC form. */
export function blockLogs(
  receipts: readonly TransactionReceipt[],
  c: LogCriteria,
  blockTimestamp?: bigint,
  removed = false,
): unknown[] {
  const out: unknown[] = [];
  for (const r of receipts) {
    r.logs.forEach((log, i) => {
      if (!matchesLog(log, c)) return;
      out.push(
        formatLog(log, {
          blockHash: r.blockHash,
          blockNumber: r.blockNumber,
          transactionHash: r.transactionHash,
          transactionIndex: r.transactionIndex,
          logIndex: r.firstLogIndex + i,
          ...(blockTimestamp === undefined ? {} : { blockTimestamp }),
          removed,
        }),
      );
    });
  }
  return out;
}

/**
 * Runs a query over the chain, enforcing the block-range, result-count and work limits; yields to the
 * event loop between slices of blocks and stops once `signal` (the client went away) is aborted.
 */
export async function queryLogs(ctx: RpcContext, q: LogQuery, signal?: AbortSignal): Promise<unknown[]> {
  const limits = ctx.limits;
  const out: unknown[] = [];
  const scan = (header: BlockHeader) => {
    if (!bloomMayMatch(header.logsBloom, q.criteria)) return;
    const found = blockLogs(ctx.chain.blockReceipts(header.number), q.criteria, header.timestamp);
    if (out.length + found.length > limits.maxLogsResults) {
      throw limitExceeded(
        `query returned more than ${limits.maxLogsResults} results; narrow the block range or filter`,
      );
    }
    for (const log of found) out.push(log);
  };
  if (q.blockHash !== undefined) {
    const block = ctx.chain.blockByHash(q.blockHash);
    if (block === undefined) throw invalidParams(`unknown block ${`0x${q.blockHash.toString(16).padStart(64, "0")}`}`);
    scan(block.header);
    return out;
  }
  const head = ctx.chain.head().header.number;
  const from = rangeEnd(ctx, q.fromBlock, head);
  const to = rangeEnd(ctx, q.toBlock, head);
  // From beyond the head up to "latest": nothing yet, not an error (pollers ask this between blocks).
  if (from > to && q.toBlock.kind === "tag" && from > head) return out;
  if (from > to) throw invalidParams(`invalid block range: fromBlock ${from} is after toBlock ${to}`);
  if (to - from + 1n > limits.maxLogsBlockRange) {
    throw limitExceeded(`block range of ${to - from + 1n} blocks exceeds the limit of ${limits.maxLogsBlockRange}`);
  }
  // Blocks past the head do not exist yet: the range simply ends there (as geth).
  const last = to < head ? to : head;
  const slicer = new WorkSlicer({
    signal,
    budgetMs: limits.logsQueryBudgetMs,
    overBudget: (ms) =>
      limitExceeded(
        `query exceeds the limit of ${ms} ms of work (at block ${n} of ${from}..${last}); narrow the block range or the filter`,
      ),
  });
  let n = from;
  const chain = ctx.chain;
  for (; n <= last; n++) {
    // The header alone where the chain gives it: a block the bloom rules out is never decoded.
    const header = chain.headerByNumber !== undefined ? chain.headerByNumber(n) : chain.blockByNumber(n)?.header;
    if (header !== undefined) scan(header);
    await slicer.checkpoint();
  }
  return out;
}

function rangeEnd(ctx: RpcContext, ref: BlockRef, head: bigint): bigint {
  if (ref.kind === "number") return ref.number;
  if (ref.kind === "tag" && ref.tag === "pending") return head;
  return findBlock(ctx, ref)?.header.number ?? head;
}
