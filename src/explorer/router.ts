// Hash routes: #/ (newest blocks and transactions), #/block/<number|hash>, #/tx/<hash>,
// #/address/<address>, #/token/<address>. Parsed into a Route; anything else is "unknown".
import { isAddress, isHash } from "./format.js";

export type Route =
  | { view: "home" }
  | { view: "block"; id: string }
  | { view: "tx"; hash: string }
  | { view: "address"; address: string }
  | { view: "token"; address: string }
  | { view: "unknown"; path: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "");
  if (path === "" || path === "/") return { view: "home" };
  const [, kind, id = ""] = path.split("/");
  if (kind === "block" && (/^[0-9]+$/.test(id) || isHash(id))) return { view: "block", id };
  if (kind === "tx" && isHash(id)) return { view: "tx", hash: id };
  if (kind === "address" && isAddress(id)) return { view: "address", address: id };
  if (kind === "token" && isAddress(id)) return { view: "token", address: id };
  return { view: "unknown", path };
}

/** Where the search box goes for what was typed: a tx hash, an address or a block number. */
export function searchRoute(text: string): string | undefined {
  const query = text.trim();
  if (isHash(query)) return `/tx/${query}`;
  if (isAddress(query)) return `/address/${query}`;
  if (/^[0-9]+$/.test(query)) return `/block/${query}`;
  return undefined;
}
