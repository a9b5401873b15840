// Who may talk to the node: the checks the server runs on every HTTP request and WebSocket upgrade
// before any JSON-RPC is read. A dev node holds unlocked keys and dev methods, and a web page in the
// user's browser can reach 127.0.0.1, so the defaults admit local tools and local pages only:
// - Host: localhost or an IP literal (geth's --http.vhosts), so a DNS-rebinding name is refused;
// - Origin (WebSocket upgrades and CORS): loopback pages, plus --allow-origin;
// - Content-Type: JSON only (geth's list), so a cross-origin "simple" POST (text/plain, a form, or a
//   byte body with no type) that a page sends without a CORS preflight is never executed;
// - an optional bearer token (--auth-token).
// Pure functions of the request's headers, so they are unit-tested without a server.
import { createHash, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import { INVALID_REQUEST } from "./errors.js";

export interface AccessPolicy {
  /** Host names served besides localhost and IP literals (lowercase, no port); "*" serves any. */
  readonly allowedHosts: readonly string[];
  /** Origins allowed besides loopback pages (lowercase, as `scheme://host[:port]`); "*" allows any. */
  readonly allowedOrigins: readonly string[];
  /** When set, every request must carry `Authorization: Bearer <token>`. */
  readonly authToken?: string | undefined;
}

/** The default: local tools and local pages only, no token. */
export const LOCAL_ONLY: AccessPolicy = { allowedHosts: [], allowedOrigins: [] };

/** A request the server refuses before reading it: the HTTP status and the JSON-RPC error. */
export interface Refusal {
  status: number;
  code: number;
  message: string;
  headers?: Record<string, string>;
}

/** The media types a JSON-RPC POST may declare (geth's), parameters such as charset allowed. */
export const ACCEPTED_CONTENT_TYPES = ["application/json", "application/json-rpc", "application/jsonrequest"] as const;

/**
 * True for a JSON content type. A missing one is refused too, as geth does: browsers send none for a
 * fetch() whose body is bytes (ArrayBuffer, typed array, untyped Blob), which is a "simple" request
 * that skips the CORS preflight; every JSON-RPC library (viem, ethers, web3.js, cast) declares JSON.
 */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const mediaType = contentType.split(";", 1)[0]!.trim().toLowerCase();
  return (ACCEPTED_CONTENT_TYPES as readonly string[]).includes(mediaType);
}

export function unsupportedContentType(contentType: string | undefined): Refusal {
  const got = contentType === undefined ? "no content-type" : `content-type '${contentType}'`;
  return {
    status: 415,
    code: INVALID_REQUEST,
    message: `unsupported ${got}: JSON-RPC requests must be sent as ${ACCEPTED_CONTENT_TYPES.join(", ")}`,
  };
}

/** The host name of a Host header, lowercase, without port or IPv6 brackets. */
export function hostName(hostHeader: string): string {
  const host = hostHeader.trim().toLowerCase();
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    return end < 0 ? host : host.slice(1, end);
  }
  const colon = host.indexOf(":");
  // Two colons or more without brackets: a bare IPv6 address, kept whole.
  if (colon < 0 || host.indexOf(":", colon + 1) >= 0) return host;
  return host.slice(0, colon);
}

/**
 * True when the Host header names localhost, an IP literal or an allowed host. A missing Host
 * (HTTP/1.0 tools) is served: browsers always send one, and DNS rebinding needs a browser.
 */
export function isHostAllowed(hostHeader: string | undefined, allowedHosts: readonly string[]): boolean {
  if (hostHeader === undefined || hostHeader === "") return true;
  const name = hostName(hostHeader);
  if (name === "localhost" || isIP(name) !== 0) return true;
  return allowedHosts.includes("*") || allowedHosts.includes(name);
}

const LOOPBACK_PAGE = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:[0-9]{1,5})?$/;

/** True for a page served from this machine (http(s) on localhost, 127.0.0.1 or [::1], any port). */
export function isLoopbackOrigin(origin: string): boolean {
  return LOOPBACK_PAGE.test(origin.toLowerCase());
}

/** True when a page of `origin` may use the node: loopback pages, and those --allow-origin lists. */
export function isOriginAllowed(origin: string, allowedOrigins: readonly string[]): boolean {
  if (isLoopbackOrigin(origin) || allowedOrigins.includes("*")) return true;
  return allowedOrigins.includes(origin.toLowerCase());
}

/**
 * The Access-Control-Allow-Origin to answer a request from `origin` with: "*" when any origin is
 * allowed, the origin itself when it is allowed, nothing otherwise (the browser then hides the answer).
 */
export function corsAllowOrigin(origin: string | undefined, allowedOrigins: readonly string[]): string | undefined {
  if (allowedOrigins.includes("*")) return "*";
  if (origin === undefined || !isOriginAllowed(origin, allowedOrigins)) return undefined;
  return origin;
}

/** Constant-time equality of a presented token and the expected one (hashed first: equal lengths). */
export function tokenMatches(presented: string, expected: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const m = /^Bearer[ \t]+(\S+)\s*$/i.exec(authorization ?? "");
  return m?.[1];
}

/** What the checks read of a request. */
export interface RequestHead {
  method?: string | undefined;
  /** The request target (path and query). */
  url?: string | undefined;
  headers: {
    host?: string | undefined;
    origin?: string | undefined;
    authorization?: string | undefined;
  };
}

/** The path a health probe GETs (load balancers, orchestrators). */
export const HEALTH_PATH = "/health";

/** True for `GET /health` (any query string): the one HTTP request that is not JSON-RPC. */
export function isHealthProbe(req: RequestHead): boolean {
  return req.method === "GET" && (req.url ?? "").split("?", 1)[0] === HEALTH_PATH;
}

/** The path Prometheus scrapes (GET), when the node serves metrics. */
export const METRICS_PATH = "/metrics";

/**
 * True for `GET /metrics` (any query string). Unlike a health probe it needs the token when the node
 * has one: Prometheus sends it (`authorization` in a scrape config), and the metrics say more.
 */
export function isMetricsScrape(req: RequestHead): boolean {
  return req.method === "GET" && (req.url ?? "").split("?", 1)[0] === METRICS_PATH;
}

/** What GET serves of the explorer page: the page itself, its script and its stylesheet. */
export const EXPLORER_PATHS: readonly string[] = ["/", "/explorer/app.js", "/explorer/style.css"];

/**
 * True for a GET of one of the explorer page's files (any query string: the page reads `?token=`).
 * They need no token: they are the same static files on every node and say nothing about it; the
 * page sends the token with each of its JSON-RPC requests.
 */
export function isExplorerAsset(req: RequestHead): boolean {
  return req.method === "GET" && EXPLORER_PATHS.includes((req.url ?? "").split("?", 1)[0]!);
}

/**
 * Checks a request against the policy; undefined when it may go on. `upgrade` marks a WebSocket
 * upgrade: its Origin must be allowed, and its token may come as `?token=` (browsers cannot set
 * headers on a WebSocket). A CORS preflight (OPTIONS) needs no token: browsers never send one with it;
 * nor does a health probe (a load balancer's cannot), whose answer says only that the node is up and
 * its head's number, nor the explorer page's static files. The Host check applies to all.
 */
export function checkAccess(req: RequestHead, policy: AccessPolicy, upgrade: boolean): Refusal | undefined {
  const { host, origin, authorization } = req.headers;
  if (!isHostAllowed(host, policy.allowedHosts)) {
    return {
      status: 403,
      code: INVALID_REQUEST,
      message: `host '${host}' is not allowed: this node serves localhost and IP addresses; add the name with --allowed-hosts`,
    };
  }
  if (upgrade && origin !== undefined && !isOriginAllowed(origin, policy.allowedOrigins)) return originRefusal(origin);
  const tokenFree = req.method === "OPTIONS" || isHealthProbe(req) || isExplorerAsset(req);
  if (policy.authToken === undefined || (!upgrade && tokenFree)) {
    return undefined;
  }
  const presented = bearerToken(authorization) ?? (upgrade ? queryToken(req.url) : undefined);
  if (presented !== undefined && tokenMatches(presented, policy.authToken)) return undefined;
  return {
    status: 401,
    code: INVALID_REQUEST,
    message:
      presented === undefined
        ? "unauthorized: this node wants an 'Authorization: Bearer <token>' header (--auth-token)"
        : "unauthorized: wrong token",
    headers: { "www-authenticate": "Bearer" },
  };
}

/** A page of `origin` may not use the node (a WebSocket upgrade, or a CORS preflight). */
export function originRefusal(origin: string): Refusal {
  return {
    status: 403,
    code: INVALID_REQUEST,
    message: `origin '${origin}' is not allowed: this node serves pages on localhost; add it with --allow-origin`,
  };
}

function queryToken(url: string | undefined): string | undefined {
  if (url === undefined || !url.includes("?")) return undefined;
  return new URLSearchParams(url.slice(url.indexOf("?") + 1)).get("token") ?? undefined;
}

/** True for an address only this machine reaches (what --host binds to). */
export function isLoopbackAddress(host: string): boolean {
  const h = hostName(host);
  return h === "localhost" || h === "::1" || /^127\.[0-9]+\.[0-9]+\.[0-9]+$/.test(h) || /^::ffff:127\./.test(h);
}

/** An --allowed-hosts or --allow-origin value the node does not accept (the flags make it a UsageError). */
export class AccessListError extends Error {
  override name = "AccessListError";
}

/** --allowed-hosts: comma-separated host names without port, or "*"; lowercased. */
export function parseHostList(list: string): string[] {
  return parseList(list, (entry) => {
    if (entry === "*" || /^[a-z0-9._-]+$/.test(entry)) return entry;
    throw new AccessListError(`'${entry}' is not a host name (e.g. devbox.local, or * for any)`);
  });
}

/** --allow-origin: comma-separated origins (scheme://host[:port]), "null", or "*"; lowercased. */
export function parseOriginList(list: string): string[] {
  return parseList(list, (entry) => {
    const origin = entry.endsWith("/") ? entry.slice(0, -1) : entry;
    if (origin === "*" || origin === "null" || /^[a-z][a-z0-9+.-]*:\/\/[^\s/?#@]+$/.test(origin)) return origin;
    throw new AccessListError(`'${entry}' is not an origin (e.g. https://app.example.org, or * for any)`);
  });
}

function parseList(list: string, parse: (entry: string) => string): string[] {
  const entries = list.split(",").map((e) => e.trim().toLowerCase());
  if (entries.some((e) => e === "")) throw new AccessListError(`'${list}' has an empty entry`);
  return entries.map(parse);
}
