// The explorer page's entry point (bundled by scripts/build.js, served by the node at GET /): connects
// to the node that served it, keeps the live feed of new heads, and draws the view the URL's hash
// names. With --auth-token the page needs the token: from ?token= in its URL (then kept for the tab's
// session), or typed into the form it shows when the node answers 401.
import { ChainFeed } from "./chain-feed.js";
import { h, replaceChildren } from "./dom.js";
import { ExecutorMonitor } from "./executor-stats.js";
import { parseRoute, searchRoute } from "./router.js";
import { NodeClient, RpcCallError, type SocketState } from "./rpc-client.js";
import { addressView } from "./views/address.js";
import { blockView } from "./views/block.js";
import { homeView } from "./views/home.js";
import { tokenView } from "./views/token.js";
import { txView } from "./views/tx.js";
import type { View, ViewContext } from "./views/view.js";

const TOKEN_KEY = "weft-explorer-token";

function pageToken(): string | undefined {
  const fromUrl = new URLSearchParams(location.search).get("token");
  if (fromUrl !== null && fromUrl !== "") {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    // Out of the address bar (and of screenshots and shared links) once read.
    history.replaceState(null, "", `${location.pathname}${location.hash}`);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

function viewFor(hash: string): View {
  const route = parseRoute(hash);
  switch (route.view) {
    case "home":
      return homeView;
    case "block":
      return blockView(route.id);
    case "tx":
      return txView(route.hash);
    case "address":
      return addressView(route.address);
    case "token":
      return tokenView(route.address);
    case "unknown":
      return (root) => {
        replaceChildren(
          root,
          h("p", { class: "error" }, `No page at #${route.path}.`),
          h("a", { href: "#/" }, "Latest blocks"),
        );
        return () => {};
      };
  }
}

/** The form asking for the node's --auth-token (shown when the node answers 401). */
function tokenForm(root: HTMLElement, wrong: boolean): void {
  const input = h("input", { type: "password", name: "token", placeholder: "--auth-token", autocomplete: "off" });
  const form = h(
    "form",
    { class: "token-form" },
    h("p", {}, wrong ? "The node refused this token." : "This node wants its --auth-token for JSON-RPC."),
    input,
    h("button", { type: "submit" }, "Connect"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, input.value);
    location.reload();
  });
  replaceChildren(root, form);
}

async function main(): Promise<void> {
  const main = document.getElementById("view")!;
  const status = document.getElementById("status")!;
  const search = document.getElementById("search") as HTMLFormElement;
  const token = pageToken();
  const client = new NodeClient(location.origin, token);
  const feed = new ChainFeed(client);
  const ctx: ViewContext = { client, feed, executor: new ExecutorMonitor(client) };

  search.addEventListener("submit", (event) => {
    event.preventDefault();
    const query = (search.elements.namedItem("q") as HTMLInputElement).value;
    const route = searchRoute(query);
    if (route === undefined) status.title = `not a transaction hash, address or block number: ${query}`;
    else location.hash = route;
  });

  try {
    const chainId = Number(await client.call<string>("eth_chainId"));
    document.getElementById("chain")!.textContent = `chain ${chainId}`;
    await feed.loadRecent();
  } catch (error) {
    if (error instanceof RpcCallError && error.status === 401) return tokenForm(main, token !== undefined);
    replaceChildren(main, h("p", { class: "error" }, `Cannot reach the node: ${(error as Error).message}`));
    return;
  }

  const showState = (state: SocketState) => {
    status.dataset.state = state;
    status.textContent = state === "live" ? "● live" : state === "connecting" ? "○ connecting…" : "○ disconnected";
  };
  client.subscribeHeads((head) => feed.onHead(head), showState);
  ctx.executor.start();

  let cleanup = () => {};
  const route = () => {
    cleanup();
    cleanup = viewFor(location.hash)(main, ctx);
    for (const link of document.querySelectorAll("nav a")) {
      link.classList.toggle("active", link.getAttribute("href") === (location.hash || "#/"));
    }
  };
  window.addEventListener("hashchange", route);
  route();
}

void main();
