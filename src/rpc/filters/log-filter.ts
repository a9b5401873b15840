// Log criteria (address + topics, as eth_getLogs, eth_newFilter and the "logs" subscription take them),
// matching, and the block-range query eth_getLogs and eth_getFilterLogs run (bloom first, then receipts).
import { bloomIncludes } from "../../chain/bloom.js";
import type { Block, TransactionReceipt } from "../../chain/types.js";
import type { Log } from "../../evm/host.js";
import { bigintToBytes } from "../../primitives/hex.js";
import { findBlock } from "../block-ref.js";
import type { RpcContext } from "../context.js";
import { invalidParams, limitExceeded } from "../errors.js";
import { type BlockRef, formatLog, parseAddress, parseBlockNumberOrTag, parseHash, parseObject } from "../hex-codec.js";

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

/** A filter object; `allowRange` false for the logs subscription (which takes address and topics only). */
export function parseLogQuery(value: unknown, name = "filter", allowRange = true): LogQuery {
  const o = value === undefined || value === null ? {} : parseObject(value, name);
  const criteria = parseLogCriteria(o, name);
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

export function parseLogCriteria(o: Record<string, unknown>, name: string): LogCriteria {
  let addresses: bigint[] = [];
  if (Array.isArray(o.address)) addresses = o.address.map((a, i) => parseAddress(a, `${name}.address[${i}]`));
  else if (o.address !== undefined && o.address !== null) addresses = [parseAddress(o.address, `${name}.address`)];
  const topics: (bigint[] | null)[] = [];
  if (o.topics !== undefined && o.topics !== null) {
    if (!Array.isArray(o.topics)) throw invalidParams(`${name}.topics: expected an array`);
    if (o.topics.length > 4) throw invalidParams(`${name}.topics: at most 4 positions, got ${o.topics.length}`);
    o.topics.forEach((t, i) => {
      if (t === null) topics.push(null);
      else if (Array.isArray(t)) {
        // An empty alternative list matches anything, as in geth.
        topics.push(t.length === 0 ? null : t.map((x, j) => parseHash(x, `${name}.topics[${i}][${j}]`)));
      } else topics.push([parseHash(t, `${name}.topics[${i}]`)]);
    });
  }
  // Trailing wildcards constrain nothing but the topic count; geth keeps that constraint, and so do we.
  return { addresses, topics };
}

export function matchesLog(log: Log, c: LogCriteria): boolean {
  if (c.addresses.length > 0 && !c.addresses.includes(log.address)) return false;
  if (c.topics.length > log.topics.length) return false;
  for (let i = 0; i < c.topics.length; i++) {
    const wanted = c.topics[i];
    if (wanted !== null && wanted !== undefined && !wanted.includes(log.topics[i]!)) return false;
  }
  return true;
}

/** Whether a block's bloom may hold a match (false: certainly none). */
export function bloomMayMatch(bloom: Uint8Array, c: LogCriteria): boolean {
  if (c.addresses.length > 0 && !c.addresses.some((a) => bloomIncludes(bloom, bigintToBytes(a, 20)))) return false;
  for (const wanted of c.topics) {
    if (wanted === null) continue;
    if (!wanted.some((t) => bloomIncludes(bloom, bigintToBytes(t, 32)))) return false;
  }
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

/** Runs a query over the chain, enforcing the block-range and result-count limits. */
export function queryLogs(ctx: RpcContext, q: LogQuery): unknown[] {
  const limits = ctx.limits;
  const out: unknown[] = [];
  const scan = (block: Block) => {
    if (!bloomMayMatch(block.header.logsBloom, q.criteria)) return;
    const found = blockLogs(ctx.chain.blockReceipts(block.header.number), q.criteria, block.header.timestamp);
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
    scan(block);
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
  for (let n = from; n <= last; n++) {
    const block = ctx.chain.blockByNumber(n);
    if (block !== undefined) scan(block);
  }
  return out;
}

function rangeEnd(ctx: RpcContext, ref: BlockRef, head: bigint): bigint {
  if (ref.kind === "number") return ref.number;
  if (ref.kind === "tag" && ref.tag === "pending") return head;
  return findBlock(ctx, ref)?.header.number ?? head;
}
