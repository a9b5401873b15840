// #/ : the live page: throughput and executor charts, the newest blocks and their transactions, all
// updated as newHeads arrive.
import type { RpcBlock } from "../chain-feed.js";
import { LineChart } from "../chart.js";
import { h, listTable, replaceChildren, routeLink } from "../dom.js";
import { ago, count, ether, num, short } from "../format.js";
import type { View } from "./view.js";

/** Transactions listed under "Latest transactions". */
const LATEST_TXS = 25;

export const homeView: View = (root, { feed, executor }) => {
  const tpsChart = new LineChart("Committed transactions / s", [{ label: "tx/s", color: "#2563eb" }], (v) =>
    v.toFixed(0),
  );
  const gasChart = new LineChart("Gas / s", [{ label: "Mgas/s", color: "#16a34a" }], (v) => (v / 1e6).toFixed(2));
  const executorChart = new LineChart("Parallel executor (per s)", [
    { label: "parallel blocks", color: "#9333ea" },
    { label: "sequential blocks", color: "#94a3b8" },
    { label: "re-executions", color: "#dc2626" },
  ]);
  const executorNote = h("p", { class: "note" });
  const blocks = h("section", { id: "latest-blocks" });
  const txs = h("section", { id: "latest-txs" });
  replaceChildren(
    root,
    h("div", { class: "charts" }, tpsChart.element, gasChart.element, executorChart.element),
    executorNote,
    h("div", { class: "columns" }, blocks, txs),
  );

  const drawCharts = () => {
    const { tps, gasPerSecond } = feed.rates.series(Date.now());
    tpsChart.draw([tps]);
    gasChart.draw([gasPerSecond]);
    const samples = executor.samples;
    executorChart.draw([
      samples.map((s) => s.parallelBlocks),
      samples.map((s) => s.sequentialBlocks),
      samples.map((s) => s.reexecutions),
    ]);
    executorNote.textContent =
      executor.unavailable === undefined ? "" : `executor counters unavailable: ${executor.unavailable}`;
  };
  const drawLists = () => {
    replaceChildren(blocks, h("h2", {}, "Latest blocks"), blockTable(feed.blocks));
    replaceChildren(txs, h("h2", {}, "Latest transactions"), transactionTable(feed.blocks));
  };
  drawCharts();
  drawLists();
  const timer = setInterval(drawCharts, 1000);
  const unsubscribe = feed.subscribe(drawLists);
  return () => {
    clearInterval(timer);
    unsubscribe();
  };
};

function blockTable(blocks: readonly RpcBlock[]): HTMLTableElement {
  const now = Date.now();
  const rows = blocks.map((block) =>
    h(
      "tr",
      { "data-block": String(num(block.number)) },
      h("td", {}, routeLink(`/block/${num(block.number)}`, `#${num(block.number)}`)),
      h("td", { class: "mono" }, short(block.hash)),
      h("td", { class: "num" }, count(block.transactions.length)),
      h("td", { class: "num" }, count(num(block.gasUsed))),
      h("td", {}, ago(num(block.timestamp), now)),
    ),
  );
  return listTable(["Block", "Hash", "Txs", "Gas used", "Age"], rows);
}

function transactionTable(blocks: readonly RpcBlock[]): HTMLTableElement {
  const rows: HTMLTableRowElement[] = [];
  for (const block of blocks) {
    for (const tx of [...block.transactions].reverse()) {
      if (rows.length === LATEST_TXS) break;
      rows.push(
        h(
          "tr",
          { "data-tx": tx.hash },
          h("td", { class: "mono" }, routeLink(`/tx/${tx.hash}`, short(tx.hash))),
          h("td", {}, routeLink(`/block/${num(tx.blockNumber)}`, `#${num(tx.blockNumber)}`)),
          h("td", { class: "mono" }, routeLink(`/address/${tx.from}`, short(tx.from))),
          h("td", { class: "mono" }, tx.to === null ? "(create)" : routeLink(`/address/${tx.to}`, short(tx.to))),
          h("td", { class: "num" }, ether(tx.value)),
        ),
      );
    }
  }
  return listTable(["Hash", "Block", "From", "To", "Value"], rows);
}
