// #/token/<address>: an ERC-20's name, symbol and supply, its holders (every address a Transfer log
// names, with its balance now), and for a token of the RWA suite (ERC-3643 style): paused, frozen
// wallets (AddressFrozen logs, checked against isFrozen now), partly frozen balances and the
// compliance modules bound to it. Read with eth_getLogs from genesis: a dev chain's history.
import {
  type Abi,
  decodeFunctionResult,
  encodeFunctionData,
  erc20Abi,
  formatUnits,
  type Hex,
  toEventSelector,
} from "viem";
import { modularComplianceAbi, regulatedTokenAbi } from "../../rwa/sdk/core-abi.js";
import { detailTable, h, listTable, replaceChildren, routeLink } from "../dom.js";
import type { NodeClient } from "../rpc-client.js";
import type { View } from "./view.js";

/** Holders shown (the largest balances). */
const HOLDERS_SHOWN = 100;

const TRANSFER = toEventSelector("Transfer(address,address,uint256)");
const ADDRESS_FROZEN = toEventSelector("AddressFrozen(address,bool,address)");
const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

export const tokenView =
  (address: string): View =>
  (root, { client }) => {
    let stopped = false;
    replaceChildren(root, h("p", {}, "Loading token…"));
    const read = <T>(abi: Abi, functionName: string, args: readonly unknown[] = [], at = address) =>
      readContract<T>(client, at, abi, functionName, args);
    const draw = async () => {
      const [name, symbol, decimals, supply] = await Promise.all([
        read<string>(erc20Abi, "name"),
        read<string>(erc20Abi, "symbol"),
        read<number>(erc20Abi, "decimals"),
        read<bigint>(erc20Abi, "totalSupply"),
      ]);
      const amount = (units: bigint) => `${formatUnits(units, decimals)} ${symbol}`;
      const holders = await holderBalances(client, address, (holder) => read<bigint>(erc20Abi, "balanceOf", [holder]));
      // The RWA suite's reads; another ERC-20 answers none of them.
      const paused = await read<boolean>(regulatedTokenAbi, "paused").catch(() => undefined);
      const frozen = await frozenWallets(client, address, (wallet) =>
        read<boolean>(regulatedTokenAbi, "isFrozen", [wallet]),
      ).catch(() => []);
      const frozenTokens = await Promise.all(
        holders.map(([holder]) => read<bigint>(regulatedTokenAbi, "getFrozenTokens", [holder]).catch(() => 0n)),
      );
      const compliance = await read<string>(regulatedTokenAbi, "compliance").catch(() => undefined);
      const modules =
        compliance === undefined
          ? []
          : await read<readonly string[]>(modularComplianceAbi, "getModules", [], compliance).catch(() => []);
      if (stopped) return;
      replaceChildren(
        root,
        h("h2", {}, `${name} (${symbol})`),
        detailTable([
          ["Contract", routeLink(`/address/${address}`, address, { class: "mono" })],
          ["Total supply", amount(supply)],
          ["Decimals", decimals],
          ["Paused", paused === undefined ? "n/a (not an RWA token)" : paused ? "yes" : "no"],
          [
            "Compliance",
            compliance === undefined ? "n/a" : routeLink(`/address/${compliance}`, compliance, { class: "mono" }),
          ],
        ]),
        h("h3", {}, `Holders (${holders.length})`),
        listTable(
          ["Address", "Balance", "Frozen part"],
          holders
            .slice(0, HOLDERS_SHOWN)
            .map(([holder, balance], i) =>
              h(
                "tr",
                { "data-holder": holder },
                h("td", {}, routeLink(`/address/${holder}`, holder, { class: "mono" })),
                h("td", { class: "num" }, amount(balance)),
                h("td", { class: "num" }, frozenTokens[i] ? amount(frozenTokens[i]) : ""),
              ),
            ),
        ),
        h("h3", {}, `Frozen wallets (${frozen.length})`),
        frozen.length === 0
          ? h("p", { class: "note" }, "none")
          : h(
              "ul",
              { id: "frozen-wallets" },
              ...frozen.map((w) => h("li", {}, routeLink(`/address/${w}`, w, { class: "mono" }))),
            ),
        h("h3", {}, `Compliance modules (${modules.length})`),
        h("ul", {}, ...modules.map((m) => h("li", {}, routeLink(`/address/${m}`, m, { class: "mono" })))),
      );
    };
    draw().catch((error: Error) =>
      replaceChildren(root, h("p", { class: "error" }, `Not an ERC-20 token? ${error.message}`)),
    );
    return () => {
      stopped = true;
    };
  };

/** One view function's result, ABI-decoded. */
async function readContract<T>(
  client: NodeClient,
  to: string,
  abi: Abi,
  functionName: string,
  args: readonly unknown[],
): Promise<T> {
  const data = encodeFunctionData({ abi, functionName, args });
  const result = await client.call<Hex>("eth_call", [{ to, data }, "latest"]);
  return decodeFunctionResult({ abi, functionName, data: result }) as T;
}

interface RpcLog {
  topics: string[];
}

/** Every address a Transfer log of the token names, with its balance now, largest first; zeros left out. */
async function holderBalances(
  client: NodeClient,
  token: string,
  balanceOf: (holder: string) => Promise<bigint>,
): Promise<[string, bigint][]> {
  const logs = await client.call<RpcLog[]>("eth_getLogs", [{ address: token, fromBlock: "0x0", topics: [TRANSFER] }]);
  const named = new Set<string>();
  for (const log of logs) for (const topic of log.topics.slice(1, 3)) named.add(topicAddress(topic));
  named.delete(ZERO_ADDRESS);
  const balances = await Promise.all(
    [...named].map(async (holder) => [holder, await balanceOf(holder)] as [string, bigint]),
  );
  return balances.filter(([, balance]) => balance > 0n).sort((a, b) => (b[1] > a[1] ? 1 : b[1] < a[1] ? -1 : 0));
}

/** Wallets an AddressFrozen log names that are frozen now. */
async function frozenWallets(
  client: NodeClient,
  token: string,
  isFrozen: (wallet: string) => Promise<boolean>,
): Promise<string[]> {
  const logs = await client.call<RpcLog[]>("eth_getLogs", [
    { address: token, fromBlock: "0x0", topics: [ADDRESS_FROZEN] },
  ]);
  const wallets = [...new Set(logs.map((log) => topicAddress(log.topics[1]!)))];
  const states = await Promise.all(wallets.map(isFrozen));
  return wallets.filter((_, i) => states[i]);
}

/** The address in an indexed address topic (its last 20 bytes). */
function topicAddress(topic: string): string {
  return `0x${topic.slice(26)}`;
}
