// eth_subscribe / eth_unsubscribe over WebSocket: newHeads, logs (address/topics), newPendingTransactions.
import type { RpcContext } from "../context.js";
import { invalidParams, limitExceeded, RpcError } from "../errors.js";
import { newId } from "../filters/filter-store.js";
import { blockLogs, parseLogQuery } from "../filters/log-filter.js";
import { removedLogs } from "../filters/removed-logs.js";
import { formatHeader, formatTransaction } from "../format.js";
import type { CallInfo, RpcConnection } from "../handler.js";
import { expectParams, hash } from "../hex-codec.js";

function needConnection(call: CallInfo): RpcConnection {
  if (call.connection === undefined) {
    throw new RpcError(-32601, "notifications not supported: subscriptions need a WebSocket connection");
  }
  return call.connection;
}

/** eth_subscribe(kind, options): the subscription id; notifications follow as eth_subscription messages. */
export function ethSubscribe(params: readonly unknown[], ctx: RpcContext, call: CallInfo): string {
  const connection = needConnection(call);
  expectParams(params, 1, 2);
  const start = listenerFor(ctx, params[0], params[1]);
  if (connection.subscriptions.size >= ctx.limits.maxSubscriptionsPerConnection) {
    throw limitExceeded(
      `too many subscriptions on this connection (limit ${ctx.limits.maxSubscriptionsPerConnection})`,
    );
  }
  const id = newId();
  // Hold notifications until the reply carrying the id has gone out (it is sent after this returns).
  let ready = false;
  const held: unknown[] = [];
  const notify = (result: unknown) => {
    const message = { jsonrpc: "2.0", method: "eth_subscription", params: { subscription: id, result } };
    if (ready) connection.notify(message);
    else held.push(message);
  };
  setImmediate(() => {
    ready = true;
    for (const message of held.splice(0)) connection.notify(message);
  });
  const off = start(notify);
  connection.subscriptions.set(id, off);
  return id;
}

/** What a subscription of `kind` listens to: a function that starts it and returns its stop. */
function listenerFor(
  ctx: RpcContext,
  kind: unknown,
  options: unknown,
): (notify: (result: unknown) => void) => () => void {
  switch (kind) {
    case "newHeads":
      if (options !== undefined && options !== null) throw invalidParams("newHeads takes no options");
      return (notify) => ctx.events.onBlock((block) => notify(formatHeader(block.header, block.hash)));
    case "logs": {
      const criteria = parseLogQuery(options, "logs filter", false, ctx.limits).criteria;
      return (notify) => {
        const offBlock = ctx.events.onBlock((block, receipts) => {
          for (const log of blockLogs(receipts, criteria, block.header.timestamp)) notify(log);
        });
        // A rewind's dropped logs come again with removed: true (geth's reorg notification).
        const offDropped = ctx.events.onBlocksDropped((dropped) => {
          for (const log of removedLogs(dropped, criteria)) notify(log);
        });
        return () => {
          offBlock();
          offDropped();
        };
      };
    }
    case "newPendingTransactions": {
      // geth takes a boolean (full transactions); some clients send { includeTransactions: true }.
      const full =
        options === true ||
        (typeof options === "object" &&
          options !== null &&
          (options as Record<string, unknown>).includeTransactions === true);
      return (notify) => ctx.events.onPendingTx((tx) => notify(full ? formatTransaction(tx) : hash(tx.hash)));
    }
    default:
      throw invalidParams(
        `unsupported subscription ${JSON.stringify(kind)}: use newHeads, logs or newPendingTransactions`,
      );
  }
}

/** eth_unsubscribe(id): whether a subscription of this connection was ended. */
export function ethUnsubscribe(params: readonly unknown[], _ctx: RpcContext, call: CallInfo): boolean {
  const connection = needConnection(call);
  expectParams(params, 1);
  if (typeof params[0] !== "string") throw invalidParams("subscription id: expected a hex string");
  const id = params[0].toLowerCase();
  const off = connection.subscriptions.get(id);
  if (off === undefined) return false;
  off();
  connection.subscriptions.delete(id);
  return true;
}
