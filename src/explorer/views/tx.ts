// #/tx/<hash>: the transaction, its receipt, its logs (decoded where the event is known) and its call
// trace (debug_traceTransaction with the callTracer). A pending one is shown as such and redrawn when
// a block includes it.
import type { RpcTransaction } from "../chain-feed.js";
import { detailTable, h, listTable, replaceChildren, routeLink } from "../dom.js";
import { byteLength, count, ether, num, short } from "../format.js";
import { decodeLog } from "../log-decoder.js";
import type { View } from "./view.js";

interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  logIndex: string;
}

interface RpcReceipt {
  status: string;
  gasUsed: string;
  effectiveGasPrice: string;
  contractAddress: string | null;
  logs: RpcLog[];
}

/** A frame of the callTracer's output. */
export interface CallFrame {
  type: string;
  from: string;
  to?: string;
  value?: string;
  gasUsed: string;
  input: string;
  error?: string;
  revertReason?: string;
  calls?: CallFrame[];
}

export const txView =
  (hash: string): View =>
  (root, { client, feed }) => {
    let stopped = false;
    let shownMined = false;
    const draw = async () => {
      const [tx, receipt] = await Promise.all([
        client.call<RpcTransaction | null>("eth_getTransactionByHash", [hash]),
        client.call<RpcReceipt | null>("eth_getTransactionReceipt", [hash]),
      ]);
      if (stopped) return;
      if (tx === null)
        return replaceChildren(root, h("p", { class: "error" }, `No transaction ${hash} on this chain.`));
      if (receipt === null) return replaceChildren(root, h("h2", {}, "Transaction"), txDetails(tx, undefined));
      shownMined = true;
      const trace = await client
        .call<CallFrame>("debug_traceTransaction", [hash, { tracer: "callTracer" }])
        .catch((error: Error) => error);
      if (stopped) return;
      replaceChildren(
        root,
        h("h2", {}, "Transaction"),
        txDetails(tx, receipt),
        h("h3", {}, `Logs (${receipt.logs.length})`),
        logTable(receipt.logs),
        h("h3", {}, "Call trace"),
        trace instanceof Error
          ? h("p", { class: "error" }, trace.message)
          : h("ul", { class: "trace", id: "call-trace" }, traceItem(trace)),
      );
    };
    const redraw = () =>
      void draw().catch((error: Error) => replaceChildren(root, h("p", { class: "error" }, error.message)));
    replaceChildren(root, h("p", {}, "Loading transaction…"));
    redraw();
    // Only while pending: a mined transaction does not change.
    const unsubscribe = feed.subscribe(() => {
      if (!shownMined) redraw();
    });
    return () => {
      stopped = true;
      unsubscribe();
    };
  };

function txDetails(tx: RpcTransaction, receipt: RpcReceipt | undefined): HTMLTableElement {
  const status =
    receipt === undefined
      ? h("span", { class: "pending", id: "tx-status" }, "pending")
      : num(receipt.status) === 1
        ? h("span", { class: "ok", id: "tx-status" }, "success")
        : h("span", { class: "error", id: "tx-status" }, "reverted");
  const to =
    tx.to !== null
      ? routeLink(`/address/${tx.to}`, tx.to, { class: "mono" })
      : receipt?.contractAddress
        ? h(
            "span",
            {},
            "created ",
            routeLink(`/address/${receipt.contractAddress}`, receipt.contractAddress, { class: "mono" }),
          )
        : "(contract creation)";
  return detailTable([
    ["Hash", h("span", { class: "mono" }, tx.hash)],
    ["Status", status],
    [
      "Block",
      tx.blockNumber === null ? "pending" : routeLink(`/block/${num(tx.blockNumber)}`, `#${num(tx.blockNumber)}`),
    ],
    ["From", routeLink(`/address/${tx.from}`, tx.from, { class: "mono" })],
    ["To", to],
    ["Value", ether(tx.value)],
    ["Nonce", num(tx.nonce)],
    [
      "Gas",
      receipt === undefined ? `limit ${count(num(tx.gas))}` : `${count(num(receipt.gasUsed))} of ${count(num(tx.gas))}`,
    ],
    ["Gas price", receipt === undefined ? "" : `${count(BigInt(receipt.effectiveGasPrice))} wei`],
    ["Input", h("code", { class: "data" }, `${byteLength(tx.input)} bytes: ${truncate(tx.input, 138)}`)],
  ]);
}

function logTable(logs: readonly RpcLog[]): HTMLTableElement {
  return listTable(
    ["#", "Address", "Event"],
    logs.map((log) => {
      const decoded = decodeLog(log);
      const event =
        decoded === undefined
          ? h(
              "div",
              { class: "raw-log" },
              ...log.topics.map((topic, i) => h("div", { class: "mono" }, `topic${i}: ${topic}`)),
              h("div", { class: "mono" }, `data: ${truncate(log.data, 138)}`),
            )
          : h(
              "div",
              { class: "decoded-log" },
              h("strong", {}, decoded.name),
              h(
                "ul",
                {},
                ...decoded.args.map(([name, value]) =>
                  h("li", {}, h("span", { class: "arg" }, name), " ", h("span", { class: "mono" }, value)),
                ),
              ),
            );
      return h(
        "tr",
        {},
        h("td", { class: "num" }, num(log.logIndex)),
        h("td", {}, routeLink(`/address/${log.address}`, short(log.address), { class: "mono" })),
        h("td", {}, event),
      );
    }),
  );
}

function traceItem(frame: CallFrame): HTMLLIElement {
  // What was called (a creation's input is init code, not a call) and sent, and the gas it used.
  const summary = [
    frame.type.startsWith("CREATE") ? undefined : selector(frame.input),
    frame.value === undefined || BigInt(frame.value) === 0n ? undefined : ether(frame.value),
    `· gas ${count(num(frame.gasUsed))}`,
  ].filter((part) => part !== undefined);
  const failure = frame.error === undefined ? "" : ` ✗ ${frame.revertReason ?? frame.error}`;
  return h(
    "li",
    {},
    h("span", { class: "call-type" }, frame.type),
    " ",
    frame.to === undefined ? "?" : routeLink(`/address/${frame.to}`, short(frame.to), { class: "mono" }),
    ` ${summary.join(" ")}`,
    failure === "" ? null : h("span", { class: "error" }, failure),
    frame.calls === undefined ? null : h("ul", {}, ...frame.calls.map(traceItem)),
  );
}

/** The 4-byte selector of call data, or "()" for a plain transfer. */
function selector(input: string): string {
  return input.length >= 10 ? input.slice(0, 10) : "()";
}

function truncate(hex: string, chars: number): string {
  return hex.length <= chars ? hex : `${hex.slice(0, chars)}…`;
}
