import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { type ExplorerPage, loadExplorerPage, sendExplorerFile } from "./explorer-page.js";

describe("the explorer page's files", () => {
  const dir = mkdtempSync(join(tmpdir(), "weft-explorer-page-"));
  const dirUrl = pathToFileURL(`${dir}/`);
  let page: ExplorerPage | undefined;
  let server: Server;
  let url: string;

  before(async () => {
    writeFileSync(join(dir, "index.html"), "<!doctype html><title>t</title>");
    writeFileSync(join(dir, "app.js"), "console.log(1)");
    writeFileSync(join(dir, "style.css"), "body{}");
    page = loadExplorerPage(dirUrl);
    server = createServer((req, res) => sendExplorerFile(req.url === "/unbuilt" ? undefined : page, req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it("are read once, and served with their type and a policy that keeps the page to itself", async () => {
    const html = await fetch(`${url}/?token=x`);
    assert.equal(html.status, 200);
    assert.equal(html.headers.get("content-type"), "text/html; charset=utf-8");
    assert.match(
      html.headers.get("content-security-policy")!,
      /default-src 'none'.*connect-src 'self'.*frame-ancestors 'none'/,
    );
    assert.equal(html.headers.get("referrer-policy"), "no-referrer", "a ?token= never leaks in a Referer");
    assert.equal(await html.text(), "<!doctype html><title>t</title>");
    // Changed on disk after the start: still the copy read at start.
    writeFileSync(join(dir, "app.js"), "changed");
    const js = await fetch(`${url}/explorer/app.js`);
    assert.equal(js.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.equal(await js.text(), "console.log(1)");
    assert.equal(js.headers.get("content-encoding"), "gzip", "fetch() accepts gzip: the copy compressed at load");
  });

  it("are absent when the page was not built: the node answers 404 saying so", async () => {
    rmSync(join(dir, "style.css"));
    assert.equal(loadExplorerPage(dirUrl), undefined);
    const res = await fetch(`${url}/unbuilt`);
    assert.equal(res.status, 404);
    assert.match(await res.text(), /not built.*npm run build/);
  });
});
