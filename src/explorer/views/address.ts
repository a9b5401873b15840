// #/address/<address>: balance, nonce, code size, and the transactions from or to it among the blocks
// the page has read (the newest ones; "scan older blocks" reads further down). Redrawn on new heads.
import { detailTable, h, listTable, replaceChildren, routeLink } from "../dom.js";
import { byteLength, count, ether, num, short } from "../format.js";
import type { View } from "./view.js";

/** Blocks read per press of "scan older blocks". */
const SCAN_BLOCKS = 200;

export const addressView =
  (address: string): View =>
  (root, { client, feed }) => {
    let stopped = false;
    const summary = h("div", {}, "Loading account…");
    const txs = h("section", { id: "address-txs" });
    const scanButton = h("button", { type: "button", id: "scan-older" }, `Scan ${SCAN_BLOCKS} older blocks`);
    scanButton.addEventListener("click", () => {
      scanButton.disabled = true;
      void feed.scanOlder(SCAN_BLOCKS).finally(() => {
        scanButton.disabled = feed.scannedToGenesis;
      });
    });
    replaceChildren(root, h("h2", { class: "mono" }, address), summary, txs);

    const drawAccount = async () => {
      const [balance, nonce, code] = await Promise.all([
        client.call<string>("eth_getBalance", [address, "latest"]),
        client.call<string>("eth_getTransactionCount", [address, "latest"]),
        client.call<string>("eth_getCode", [address, "latest"]),
      ]);
      if (stopped) return;
      const codeSize = byteLength(code);
      replaceChildren(
        summary,
        detailTable([
          ["Balance", h("span", { id: "balance" }, ether(balance))],
          ["Nonce", num(nonce)],
          [
            "Code",
            codeSize === 0
              ? "none (an externally owned account)"
              : h("span", {}, `${count(codeSize)} bytes · `, routeLink(`/token/${address}`, "view as a token")),
          ],
        ]),
      );
    };
    const drawTransactions = () => {
      const list = feed.transactionsOf(address);
      const lowest = feed.lowestBlock;
      const range = lowest === undefined ? "" : ` in blocks #${lowest} and up`;
      const rows = list.map((tx) =>
        h(
          "tr",
          { "data-tx": tx.hash },
          h("td", { class: "mono" }, routeLink(`/tx/${tx.hash}`, short(tx.hash))),
          h("td", {}, routeLink(`/block/${num(tx.blockNumber)}`, `#${num(tx.blockNumber)}`)),
          h("td", {}, tx.from.toLowerCase() === address.toLowerCase() ? "out" : "in"),
          h(
            "td",
            { class: "mono" },
            routeLink(`/address/${counterparty(tx, address)}`, short(counterparty(tx, address))),
          ),
          h("td", { class: "num" }, ether(tx.value)),
        ),
      );
      scanButton.disabled = feed.scannedToGenesis;
      replaceChildren(
        txs,
        h("h3", {}, `Transactions${range} (${list.length})`),
        listTable(["Hash", "Block", "", "Counterparty", "Value"], rows),
        feed.scannedToGenesis ? h("p", { class: "note" }, "All blocks down to genesis were read.") : scanButton,
      );
    };
    const redraw = () => {
      drawTransactions();
      void drawAccount().catch((error: Error) => replaceChildren(summary, h("p", { class: "error" }, error.message)));
    };
    redraw();
    const unsubscribe = feed.subscribe(redraw);
    return () => {
      stopped = true;
      unsubscribe();
    };
  };

/** The other side of a transaction of `address` (the created contract's creator reads "create"). */
function counterparty(tx: { from: string; to: string | null }, address: string): string {
  if (tx.from.toLowerCase() !== address.toLowerCase()) return tx.from;
  return tx.to ?? tx.from;
}
