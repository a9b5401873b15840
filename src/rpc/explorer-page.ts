// The explorer page (src/explorer, bundled by scripts/build.js into <dist>/explorer/): read from disk
// once when the server starts and served from memory on GET / and GET /explorer/*. The page is
// static; everything it shows it asks the node for over JSON-RPC, as any other client.
import { existsSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";

/** One file of the page: its bytes and content type. */
export interface PageFile {
  readonly body: Buffer;
  /** The same bytes gzipped once at load (the script shrinks to a fifth), for browsers that accept it. */
  readonly gzipped: Buffer;
  readonly contentType: string;
}

/** The page's files by request path (http-guards.ts's EXPLORER_PATHS). */
export type ExplorerPage = ReadonlyMap<string, PageFile>;

/** Where the build puts the bundle: <dist>/explorer/, two levels above this file's <dist>/src/rpc/. */
export const BUILT_EXPLORER_DIR = new URL("../../explorer/", import.meta.url);

const FILES: readonly { path: string; file: string; contentType: string }[] = [
  { path: "/", file: "index.html", contentType: "text/html; charset=utf-8" },
  { path: "/explorer/app.js", file: "app.js", contentType: "text/javascript; charset=utf-8" },
  { path: "/explorer/style.css", file: "style.css", contentType: "text/css; charset=utf-8" },
];

/** The page's files from `dir`, or undefined when it was not built (the node then answers 404). */
export function loadExplorerPage(dir: URL = BUILT_EXPLORER_DIR): ExplorerPage | undefined {
  const page = new Map<string, PageFile>();
  for (const { path, file, contentType } of FILES) {
    const url = new URL(file, dir);
    if (!existsSync(url)) return undefined;
    const body = readFileSync(url);
    page.set(path, { body, gzipped: gzipSync(body, { level: 9 }), contentType });
  }
  return page;
}

/**
 * The page may load only its own script and style and talk only to this node; it may not be framed
 * (clickjacking a page of a node with unlocked accounts).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Answers a GET of one of the page's files (the caller checked the path and access). */
export function sendExplorerFile(page: ExplorerPage | undefined, req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  const file = page?.get((req.url ?? "/").split("?", 1)[0]!);
  if (file === undefined) {
    const body = "the explorer page was not built with this node (run `npm run build`)\n";
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  const gzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
  const body = gzip ? file.gzipped : file.body;
  res.writeHead(200, {
    "content-type": file.contentType,
    "content-length": body.length,
    ...(gzip ? { "content-encoding": "gzip" } : {}),
    vary: "origin, accept-encoding",
    // Rebuilt with the node: revalidated each load, never served stale after an upgrade.
    "cache-control": "no-cache",
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
  });
  res.end(body);
}
