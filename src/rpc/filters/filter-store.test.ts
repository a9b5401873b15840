// FilterStore's caps: per client, the global cap (the least recently polled filter makes room), a
// WebSocket's filters going with it, and a filter removed for too many unpolled changes.
import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import { test } from "node:test";
import type { SignedTransaction } from "../../chain/types.js";
import type { RpcContext } from "../context.js";
import { RpcError } from "../errors.js";
import { EventBus } from "../events.js";
import { resolveLimits } from "../limits.js";
import { ethGetFilterChanges } from "./filter-changes.js";
import { FilterStore } from "./filter-store.js";

function store(maxFilters: number, maxFiltersPerClient: number) {
  let clock = 0;
  const filters = new FilterStore(new EventBus(), resolveLimits({ maxFilters, maxFiltersPerClient }), () => clock);
  return { filters, tick: () => clock++ };
}

test("a client at its cap gets -32005; another client still installs", () => {
  const { filters } = store(100, 2);
  filters.install("blocks", undefined, { client: "ws:1" });
  const second = filters.install("blocks", undefined, { client: "ws:1" });
  assert.throws(
    () => filters.install("blocks", undefined, { client: "ws:1" }),
    (e: unknown) =>
      e instanceof RpcError && e.code === -32005 && /too many filters for this client \(limit 2\)/.test(e.message),
  );
  filters.install("blocks", undefined, { client: "ws:2" });
  // Uninstalling gives the slot back.
  assert.equal(filters.uninstall(second), true);
  assert.equal(filters.countOf("ws:1"), 1);
  filters.install("blocks", undefined, { client: "ws:1" });
});

test("at the global cap the least recently polled filter is removed, not the new one refused", () => {
  const { filters, tick } = store(3, 10);
  const a = filters.install("blocks", undefined, { client: "ws:1" });
  tick();
  const b = filters.install("blocks", undefined, { client: "ws:1" });
  tick();
  const c = filters.install("blocks", undefined, { client: "ws:1" });
  tick();
  // Polling a makes b the least recently polled.
  assert.deepEqual(filters.takeChanges(a), []);
  tick();
  const d = filters.install("blocks", undefined, { client: "ws:2" });
  assert.equal(filters.size, 3);
  assert.equal(filters.get(b), undefined);
  for (const id of [a, c, d]) assert.notEqual(filters.get(id), undefined);
  assert.equal(filters.countOf("ws:1"), 2);
});

test("filters installed over a WebSocket are removed when it closes (one listener per socket)", () => {
  const { filters } = store(100, 100);
  const socket = new AbortController();
  const ids = Array.from({ length: 20 }, () =>
    filters.install("pendingTransactions", undefined, { client: "ws:7", closed: socket.signal }),
  );
  const kept = filters.install("blocks", undefined, { client: "http:127.0.0.1" });
  assert.equal(getEventListeners(socket.signal, "abort").length, 1);
  socket.abort();
  for (const id of ids) assert.equal(filters.get(id), undefined);
  assert.equal(filters.countOf("ws:7"), 0);
  assert.notEqual(filters.get(kept), undefined);
  // Uninstalling a socket's last filter stops watching it.
  const other = new AbortController();
  const id = filters.install("blocks", undefined, { client: "ws:8", closed: other.signal });
  filters.uninstall(id);
  assert.equal(getEventListeners(other.signal, "abort").length, 0);
});

test("unpolled filters expire, least recently polled first, and give their client's slots back", () => {
  let now = 0;
  const filters = new FilterStore(new EventBus(), resolveLimits({ filterTimeoutSeconds: 1 }), () => now);
  const old = filters.install("blocks", undefined, { client: "a" });
  now = 600;
  const fresh = filters.install("blocks", undefined, { client: "a" });
  now = 1200;
  assert.equal(filters.get(old), undefined);
  assert.notEqual(filters.get(fresh), undefined);
  assert.equal(filters.countOf("a"), 1);
});

test("a filter past its cap of unpolled changes is removed; its next poll says why, once", () => {
  const events = new EventBus();
  const filters = new FilterStore(events, resolveLimits({ maxLogsResults: 3 }));
  const ctx = { filters } as unknown as RpcContext;
  const poll = (id: string) => ethGetFilterChanges([id], ctx);
  const pooled = (hash: bigint) => events.emitPendingTx({ hash } as SignedTransaction);
  const polled = filters.install("pendingTransactions");
  const idle = filters.install("pendingTransactions");
  for (const hash of [1n, 2n, 3n]) pooled(hash);
  assert.equal(poll(polled).length, 3, "at the cap, nothing is lost");
  for (const hash of [4n, 5n]) pooled(hash);
  assert.equal(filters.get(idle), undefined, "the fourth unpolled change removed it");
  assert.equal(poll(polled).length, 2, "a filter polled in time keeps going");
  assert.throws(
    () => poll(idle),
    (e: unknown) =>
      e instanceof RpcError &&
      e.code === -32000 &&
      e.message === "filter not found: it collected more than 3 changes unpolled; install it again and poll more often",
  );
  assert.throws(
    () => poll(idle),
    (e: unknown) => e instanceof RpcError && e.message === "filter not found",
  );
  filters.uninstall(polled);
  assert.equal(events.listenerCount().pendingTxs, 0, "no filter left: the store stops listening");
});
