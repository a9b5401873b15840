// #/block/<number|hash>: the header's main fields and the block's transactions.
import type { RpcBlock } from "../chain-feed.js";
import { detailTable, h, listTable, replaceChildren, routeLink } from "../dom.js";
import { count, ether, num, short } from "../format.js";
import type { View } from "./view.js";

export const blockView =
  (id: string): View =>
  (root, { client }) => {
    replaceChildren(root, h("p", {}, "Loading block…"));
    const byHash = id.startsWith("0x");
    const param = byHash ? id : `0x${BigInt(id).toString(16)}`;
    client
      .call<RpcBlock | null>(byHash ? "eth_getBlockByHash" : "eth_getBlockByNumber", [param, true])
      .then((block) => {
        if (block === null) return replaceChildren(root, h("p", { class: "error" }, `No block ${id} on this chain.`));
        const n = num(block.number);
        replaceChildren(
          root,
          h("h2", {}, `Block #${n}`),
          detailTable([
            ["Hash", h("span", { class: "mono" }, block.hash)],
            ["Parent", n === 0 ? "none" : routeLink(`/block/${n - 1}`, block.parentHash, { class: "mono" })],
            ["Time", new Date(num(block.timestamp) * 1000).toISOString()],
            ["Gas used", `${count(num(block.gasUsed))} of ${count(num(block.gasLimit))}`],
            ["Base fee", block.baseFeePerGas === undefined ? "none" : `${count(BigInt(block.baseFeePerGas))} wei`],
            ["Fee recipient", routeLink(`/address/${block.miner}`, block.miner, { class: "mono" })],
          ]),
          h("h3", {}, `${block.transactions.length} transactions`),
          listTable(
            ["#", "Hash", "From", "To", "Value"],
            block.transactions.map((tx) =>
              h(
                "tr",
                {},
                h("td", { class: "num" }, num(tx.transactionIndex)),
                h("td", { class: "mono" }, routeLink(`/tx/${tx.hash}`, short(tx.hash))),
                h("td", { class: "mono" }, routeLink(`/address/${tx.from}`, short(tx.from))),
                h("td", { class: "mono" }, tx.to === null ? "(create)" : routeLink(`/address/${tx.to}`, short(tx.to))),
                h("td", { class: "num" }, ether(tx.value)),
              ),
            ),
          ),
        );
      })
      .catch((error: Error) => replaceChildren(root, h("p", { class: "error" }, error.message)));
    return () => {};
  };
