// A dev node that a browser can reach: what a hostile web page, a DNS-rebinding name, another
// machine or a flooding WebSocket client gets from a started node. anvil serves all of these (any
// content type, any Host, CORS *, no token, no warning), so most tests here are Weft's only.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import { DEV, ROOT, rpc, runCommand, startTarget, TARGET, type Target, waitFor } from "./harness.js";

const WEFT_ONLY = "anvil serves every content type, Host and origin, and has no token (Weft's safe defaults)";

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request with exactly these headers (fetch would add its own and forbids Host). */
function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => void (text += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const sendTx = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "eth_sendTransaction",
  params: [{ from: DEV[0].address, to: DEV[1].address, value: "0x1" }],
});

const chainIdCall = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] });

function errorOf(answer: Answer): { code: number; message: string } {
  return (JSON.parse(answer.body) as { error: { code: number; message: string } }).error;
}

/** Opens a WebSocket; resolves to "open" or the refusal's status and body. */
function upgrade(url: string, options: WebSocket.ClientOptions = {}): Promise<"open" | Answer> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.once("open", () => {
      ws.close();
      resolve("open");
    });
    ws.once("unexpected-response", (_req, res) => {
      let text = "";
      res.on("data", (c: Buffer) => void (text += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    ws.once("error", (e) => {
      if (!/Unexpected server response/.test(e.message)) reject(e);
    });
  });
}

describe("defaults", () => {
  let node: Target;
  before(async () => {
    node = await startTarget();
  });
  after(() => node.stop());

  it("JSON content types, with parameters, are served (what viem, ethers and cast send)", async () => {
    // geth's other two JSON types; anvil answers them with "Invalid request".
    const geths = TARGET === "anvil" ? [] : ["application/json-rpc", "application/jsonrequest"];
    for (const type of ["application/json", "application/json; charset=utf-8", ...geths]) {
      const answer = await send(node.url, "POST", { "content-type": type }, chainIdCall);
      assert.equal(answer.status, 200, type);
      assert.match(answer.body, /"result":"0x7a69"/);
    }
  });

  it("a POST a page can send without a preflight (text/plain, form, multipart, bytes) is 415 and not run", async (t) => {
    if (TARGET === "anvil") return t.skip(WEFT_ONLY);
    const noPreflight: Record<string, string>[] = [
      { "content-type": "text/plain;charset=UTF-8" },
      { "content-type": "application/x-www-form-urlencoded" },
      { "content-type": "multipart/form-data; boundary=x" },
      {}, // fetch() with an ArrayBuffer body sends no content type
    ];
    for (const headers of noPreflight) {
      const answer = await send(node.url, "POST", { ...headers, origin: "https://evil.example" }, sendTx);
      assert.equal(answer.status, 415, JSON.stringify(headers));
      const error = errorOf(answer);
      assert.equal(error.code, -32600);
      assert.match(error.message, /must be sent as application\/json, application\/json-rpc, application\/jsonrequest/);
    }
    assert.equal(
      await rpc(node.url, "eth_getTransactionCount", [DEV[0].address, "pending"]),
      "0x0",
      "nothing was sent",
    );
  });

  it("a DNS-rebinding Host is 403; localhost and IP addresses are served", async (t) => {
    if (TARGET === "anvil") return t.skip(WEFT_ONLY);
    const json = { "content-type": "application/json" };
    const refused = await send(node.url, "POST", { ...json, host: "attacker.example:8545" }, sendTx);
    assert.equal(refused.status, 403);
    assert.match(errorOf(refused).message, /host 'attacker.example:8545' is not allowed.*--allowed-hosts/);
    for (const host of ["localhost:8545", "127.0.0.1", "[::1]:1"]) {
      const answer = await send(node.url, "POST", { ...json, host }, chainIdCall);
      assert.equal(answer.status, 200, host);
    }
    const ws = await upgrade(node.wsUrl, { headers: { host: "attacker.example" } });
    assert.notEqual(ws, "open");
    assert.equal((ws as Answer).status, 403);
  });

  it("CORS answers pages on localhost only: another site's preflight is 403", async (t) => {
    if (TARGET === "anvil") return t.skip(WEFT_ONLY);
    const preflight = { "access-control-request-method": "POST", "access-control-request-headers": "content-type" };
    const local = await send(node.url, "OPTIONS", { origin: "http://localhost:5173", ...preflight });
    assert.equal(local.status, 204);
    assert.equal(local.headers["access-control-allow-origin"], "http://localhost:5173");
    const foreign = await send(node.url, "OPTIONS", { origin: "https://evil.example", ...preflight });
    assert.equal(foreign.status, 403);
    assert.equal(foreign.headers["access-control-allow-origin"], undefined);
    assert.match(errorOf(foreign).message, /origin 'https:\/\/evil.example' is not allowed.*--allow-origin/);
  });

  it("a WebSocket from another site's page is 403; local pages and non-browser clients connect", async (t) => {
    if (TARGET === "anvil") return t.skip(WEFT_ONLY);
    const refused = await upgrade(node.wsUrl, { origin: "https://evil.example" });
    assert.notEqual(refused, "open");
    assert.equal((refused as Answer).status, 403);
    assert.match(errorOf(refused as Answer).message, /origin 'https:\/\/evil.example' is not allowed/);
    assert.equal(await upgrade(node.wsUrl, { origin: "http://127.0.0.1:3000" }), "open");
    assert.equal(await upgrade(node.wsUrl), "open");
  });

  it("a client that sends 100,000 requests and never reads does not grow the node; closing frees it", async (t) => {
    if (TARGET === "anvil") return t.skip("weft_metrics (the node's heap) is Weft's");
    const heapMb = async () => (await rpc<{ heapUsedBytes: number }>(node.url, "weft_metrics")).heapUsedBytes / 2 ** 20;
    const before = await heapMb();
    const ws = new WebSocket(node.wsUrl);
    await new Promise((resolve) => ws.once("open", resolve));
    ws.pause(); // never reads an answer
    // A full block with every field, about 1 KB per answer: 100 MB if the node kept them all.
    for (let id = 0; id < 100_000; id++) {
      ws.send(`{"jsonrpc":"2.0","id":${id},"method":"eth_getBlockByNumber","params":["latest",true]}`);
    }
    let peak = before;
    for (let i = 0; i < 12; i++) {
      await new Promise((r) => setTimeout(r, 250));
      peak = Math.max(peak, await heapMb()); // and the node still answers others meanwhile
    }
    ws.terminate();
    await new Promise((r) => setTimeout(r, 1500));
    const afterClose = await heapMb();
    t.diagnostic(
      `heap ${before.toFixed(0)} MB before, ${peak.toFixed(0)} MB at most, ${afterClose.toFixed(0)} MB after`,
    );
    assert.ok(peak - before < 64, `heap grew from ${before.toFixed(0)} MB to ${peak.toFixed(0)} MB`);
    assert.ok(
      afterClose - before < 64,
      `heap ${afterClose.toFixed(0)} MB after the close (${before.toFixed(0)} before)`,
    );
    assert.equal(await rpc(node.url, "eth_chainId"), "0x7a69");
  });
});

describe("--allowed-hosts, --allow-origin, --auth-token-file", () => {
  let node: Target;
  let dir: string;
  const token = "s3cret-token";
  before(async () => {
    if (TARGET === "anvil") return;
    dir = mkdtempSync(join(tmpdir(), "weft-token-"));
    writeFileSync(join(dir, "token"), `${token}\n`);
    node = await startTarget({
      args: [
        ...["--allowed-hosts", "devbox.local", "--allow-origin", "https://app.example.org"],
        ...["--auth-token-file", join(dir, "token")],
      ],
    });
  });
  after(async () => {
    if (TARGET === "anvil") return;
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const json = { "content-type": "application/json" };

  it("every request wants the bearer token: none or a wrong one is 401", async (t) => {
    if (TARGET === "anvil") return t.skip(WEFT_ONLY);
    const none = await send(node.url, "POST", json, chainIdCall);
    assert.equal(none.status, 401);
    assert.equal(none.headers["www-authenticate"], "Bearer");
    assert.match(errorOf(none).message, /Authorization: Bearer <token>/);
    const wrong = await send(node.url, "POST", { ...json, authorization: "Bearer nope" }, chainIdCall);
    assert.equal(wrong.status, 401);
    assert.match(errorOf(wrong).message, /wrong token/);
    const right = await send(node.url, "POST", { ...json, authorization: `Bearer ${token}` }, chainIdCall);
    assert.equal(right.status, 200);
    assert.match(right.body, /0x7a69/);
  });

  it("a WebSocket wants the token too, as a header or ?token=", async (t) => {
    if (TARGET === "anvil") return t.skip(WEFT_ONLY);
    const none = await upgrade(node.wsUrl);
    assert.equal((none as Answer).status, 401);
    assert.equal(await upgrade(`${node.wsUrl}/?token=${token}`), "open");
    assert.equal(await upgrade(node.wsUrl, { headers: { authorization: `Bearer ${token}` } }), "open");
  });

  it("a listed host and origin are served; the origin gets CORS answers", async (t) => {
    if (TARGET === "anvil") return t.skip(WEFT_ONLY);
    const auth = { ...json, authorization: `Bearer ${token}` };
    assert.equal((await send(node.url, "POST", { ...auth, host: "devbox.local:8545" }, chainIdCall)).status, 200);
    assert.equal((await send(node.url, "POST", { ...auth, host: "other.local" }, chainIdCall)).status, 403);
    const origin = "https://app.example.org";
    const pre = await send(node.url, "OPTIONS", { origin, "access-control-request-headers": "authorization" });
    assert.equal(pre.status, 204, "a preflight needs no token");
    assert.equal(pre.headers["access-control-allow-origin"], origin);
    assert.equal(pre.headers["access-control-allow-headers"], "authorization");
    assert.equal(await upgrade(`${node.wsUrl}/?token=${token}`, { origin }), "open");
  });

  it("a missing or empty token file is a usage error (exit 2)", async (t) => {
    if (TARGET === "anvil") return t.skip(WEFT_ONLY);
    const weft = (...args: string[]) => runCommand(process.execPath, [join(ROOT, "bin", "weft.js"), "node", ...args]);
    const missing = await weft("--auth-token-file", join(dir, "nope"));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--auth-token-file: cannot read '.*nope' \(ENOENT\)/);
    writeFileSync(join(dir, "empty"), "  \n");
    const empty = await weft("--auth-token-file", join(dir, "empty"));
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /--auth-token-file: '.*empty' is empty/);
  });
});

describe("listening on a reachable address", () => {
  it("warns on stderr what is exposed and how to protect it; --allow-origin * opens CORS", async (t) => {
    if (TARGET === "anvil") return t.skip("anvil prints no warning");
    const node = await startTarget({ args: ["--host", "0.0.0.0", "--allow-origin", "*"] });
    try {
      // On stderr, which may come in after stdout's "Listening on".
      const out = await waitFor("the warning", async () =>
        /or bind to/.test(node.output()) ? node.output() : undefined,
      );
      assert.match(out, /WARNING: weft node is listening on 0\.0\.0\.0:\d+, which other machines can reach/);
      assert.match(out, /private keys of 10 funded dev accounts/);
      assert.match(out, /--auth-token <token>/);
      const pre = await send(node.url, "OPTIONS", { origin: "https://anywhere.example" });
      assert.equal(pre.status, 204);
      assert.equal(pre.headers["access-control-allow-origin"], "*");
    } finally {
      await node.stop();
    }
  });

  it("the warning is printed even with --silent", async (t) => {
    if (TARGET === "anvil") return t.skip("anvil prints no warning");
    const dir = mkdtempSync(join(tmpdir(), "weft-silent-"));
    const argv = [join(ROOT, "bin", "weft.js"), "node", "--silent", "--host", "0.0.0.0", "--port", "0"];
    const child = spawn(process.execPath, [...argv, "--datadir", dir], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      const stderr = await new Promise<string>((resolve, reject) => {
        let text = "";
        const timer = setTimeout(() => reject(new Error(`no warning within 30 s: ${text}`)), 30_000);
        child.stderr.on("data", (c: Buffer) => {
          text += c.toString();
          if (/or bind to 127\.0\.0\.1/.test(text)) {
            clearTimeout(timer);
            resolve(text);
          }
        });
      });
      assert.match(stderr, /WARNING: weft node is listening on 0\.0\.0\.0/);
    } finally {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
