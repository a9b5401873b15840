import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  bearerToken,
  checkAccess,
  corsAllowOrigin,
  hostName,
  isHostAllowed,
  isJsonContentType,
  isLoopbackAddress,
  isOriginAllowed,
  LOCAL_ONLY,
  parseHostList,
  parseOriginList,
  tokenMatches,
  unsupportedContentType,
} from "./http-guards.js";

describe("content type", () => {
  it("accepts geth's JSON types, with parameters, in any case", () => {
    for (const ct of [
      "application/json",
      "application/json; charset=utf-8",
      "Application/JSON;charset=UTF-8",
      "application/json-rpc",
      "application/jsonrequest",
    ]) {
      assert.ok(isJsonContentType(ct), ct);
    }
  });

  it("refuses what a page sends without a preflight, and a missing type", () => {
    for (const ct of [
      undefined,
      "",
      "text/plain",
      "text/plain;charset=UTF-8",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/jsonx",
    ]) {
      assert.equal(isJsonContentType(ct), false, String(ct));
    }
  });

  it("the refusal is 415 naming what was sent and what is accepted", () => {
    const r = unsupportedContentType("text/plain");
    assert.equal(r.status, 415);
    assert.match(r.message, /'text\/plain'.*application\/json, application\/json-rpc, application\/jsonrequest/);
    assert.match(unsupportedContentType(undefined).message, /no content-type/);
  });
});

describe("Host allowlist", () => {
  it("takes the name out of a Host header", () => {
    assert.equal(hostName("LocalHost:8545"), "localhost");
    assert.equal(hostName("[::1]:8545"), "::1");
    assert.equal(hostName("::1"), "::1");
    assert.equal(hostName("example.org"), "example.org");
  });

  it("serves localhost and IP literals on any port, and a missing Host", () => {
    for (const host of [
      undefined,
      "localhost",
      "localhost:8545",
      "127.0.0.1:1",
      "10.1.2.3",
      "[::1]:8545",
      "[fe80::1]",
    ]) {
      assert.ok(isHostAllowed(host, []), String(host));
    }
  });

  it("refuses other names unless listed, or * is", () => {
    assert.equal(isHostAllowed("attacker.example:8545", []), false);
    assert.equal(isHostAllowed("localhost.attacker.example", []), false);
    assert.equal(isHostAllowed("devbox.local:8545", ["devbox.local"]), true);
    assert.equal(isHostAllowed("DevBox.Local", ["devbox.local"]), true);
    assert.equal(isHostAllowed("other.local", ["devbox.local"]), false);
    assert.equal(isHostAllowed("anything", ["*"]), true);
  });
});

describe("origins", () => {
  it("loopback pages on any port are allowed by default, others are not", () => {
    for (const o of ["http://localhost", "http://localhost:5173", "https://127.0.0.1:3000", "http://[::1]:8080"]) {
      assert.ok(isOriginAllowed(o, []), o);
    }
    for (const o of ["https://example.org", "http://localhost.example.org", "null", "file://", "http://127.0.0.2"]) {
      assert.equal(isOriginAllowed(o, []), false, o);
    }
  });

  it("--allow-origin adds origins (case-insensitive), * allows any", () => {
    assert.ok(isOriginAllowed("https://Remix.Ethereum.org", ["https://remix.ethereum.org"]));
    assert.equal(isOriginAllowed("https://evil.org", ["https://remix.ethereum.org"]), false);
    assert.ok(isOriginAllowed("https://evil.org", ["*"]));
  });

  it("CORS reflects an allowed origin, answers * when any is allowed, nothing otherwise", () => {
    assert.equal(corsAllowOrigin("http://localhost:3000", []), "http://localhost:3000");
    assert.equal(corsAllowOrigin("https://example.org", []), undefined);
    assert.equal(corsAllowOrigin(undefined, []), undefined);
    assert.equal(corsAllowOrigin("https://example.org", ["*"]), "*");
    assert.equal(corsAllowOrigin(undefined, ["*"]), "*");
  });
});

describe("token", () => {
  it("reads a Bearer header and compares in constant time", () => {
    assert.equal(bearerToken("Bearer abc"), "abc");
    assert.equal(bearerToken("bearer  abc "), "abc");
    assert.equal(bearerToken("Basic abc"), undefined);
    assert.equal(bearerToken(undefined), undefined);
    assert.ok(tokenMatches("s3cret", "s3cret"));
    assert.equal(tokenMatches("s3cre", "s3cret"), false);
    assert.equal(tokenMatches("", "s3cret"), false);
  });
});

describe("checkAccess", () => {
  const withToken = { ...LOCAL_ONLY, authToken: "s3cret" };

  it("lets a local request through, and refuses a foreign Host with 403", () => {
    assert.equal(checkAccess({ method: "POST", headers: { host: "127.0.0.1:8545" } }, LOCAL_ONLY, false), undefined);
    const r = checkAccess({ method: "POST", headers: { host: "rebind.example:8545" } }, LOCAL_ONLY, false);
    assert.equal(r?.status, 403);
    assert.match(r!.message, /host 'rebind.example:8545' is not allowed.*--allowed-hosts/);
  });

  it("checks the Origin of upgrades only (HTTP answers are guarded by CORS)", () => {
    const head = { headers: { host: "localhost:8545", origin: "https://evil.example" } };
    assert.equal(checkAccess({ method: "POST", ...head }, LOCAL_ONLY, false), undefined);
    const r = checkAccess({ method: "GET", ...head }, LOCAL_ONLY, true);
    assert.equal(r?.status, 403);
    assert.match(r!.message, /origin 'https:\/\/evil.example' is not allowed.*--allow-origin/);
    assert.equal(checkAccess({ method: "GET", headers: { host: "localhost" } }, LOCAL_ONLY, true), undefined);
  });

  it("wants the token on requests and upgrades, not on preflights", () => {
    const missing = checkAccess({ method: "POST", headers: {} }, withToken, false);
    assert.equal(missing?.status, 401);
    assert.match(missing!.message, /Authorization: Bearer/);
    assert.equal(missing!.headers?.["www-authenticate"], "Bearer");
    const wrong = checkAccess({ method: "POST", headers: { authorization: "Bearer nope" } }, withToken, false);
    assert.match(wrong!.message, /wrong token/);
    assert.equal(
      checkAccess({ method: "POST", headers: { authorization: "Bearer s3cret" } }, withToken, false),
      undefined,
    );
    assert.equal(checkAccess({ method: "OPTIONS", headers: {} }, withToken, false), undefined);
  });

  it("lets a GET /health probe through without the token, but not past the Host check", () => {
    assert.equal(checkAccess({ method: "GET", url: "/health", headers: {} }, withToken, false), undefined);
    assert.equal(checkAccess({ method: "GET", url: "/health?x=1", headers: {} }, withToken, false), undefined);
    assert.equal(checkAccess({ method: "GET", url: "/healthz", headers: {} }, withToken, false)?.status, 401);
    assert.equal(checkAccess({ method: "POST", url: "/health", headers: {} }, withToken, false)?.status, 401);
    const rebound = { method: "GET", url: "/health", headers: { host: "evil.example" } };
    assert.equal(checkAccess(rebound, withToken, false)?.status, 403);
  });

  it("serves the explorer page's files without the token, but not past the Host check, and not to an upgrade", () => {
    for (const url of ["/", "/?token=anything", "/explorer/app.js", "/explorer/style.css"]) {
      assert.equal(checkAccess({ method: "GET", url, headers: {} }, withToken, false), undefined, url);
    }
    assert.equal(checkAccess({ method: "GET", url: "/explorer/other.js", headers: {} }, withToken, false)?.status, 401);
    assert.equal(checkAccess({ method: "POST", url: "/", headers: {} }, withToken, false)?.status, 401);
    assert.equal(checkAccess({ method: "GET", url: "/", headers: {} }, withToken, true)?.status, 401, "a WebSocket");
    const rebound = { method: "GET", url: "/", headers: { host: "evil.example" } };
    assert.equal(checkAccess(rebound, withToken, false)?.status, 403);
  });

  it("takes ?token= on upgrades only", () => {
    assert.equal(checkAccess({ method: "GET", url: "/?token=s3cret", headers: {} }, withToken, true), undefined);
    assert.equal(checkAccess({ method: "GET", url: "/?token=bad", headers: {} }, withToken, true)?.status, 401);
    assert.equal(checkAccess({ method: "POST", url: "/?token=s3cret", headers: {} }, withToken, false)?.status, 401);
  });
});

describe("flag values", () => {
  it("parses host and origin lists, lowercased, a trailing slash dropped", () => {
    assert.deepEqual(parseHostList("DevBox.local, weft_node,*"), ["devbox.local", "weft_node", "*"]);
    assert.deepEqual(parseOriginList("https://Remix.Ethereum.org/,http://localhost:3000,null,*"), [
      "https://remix.ethereum.org",
      "http://localhost:3000",
      "null",
      "*",
    ]);
  });

  it("refuses a malformed entry, naming it", () => {
    assert.throws(() => parseHostList("a,,b"), /empty entry/);
    assert.throws(() => parseHostList("host:8545"), /'host:8545' is not a host name/);
    assert.throws(() => parseOriginList("example.org"), /'example.org' is not an origin/);
    assert.throws(() => parseOriginList("https://example.org/app"), /not an origin/);
  });

  it("tells loopback bind addresses from reachable ones", () => {
    for (const h of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"]) assert.ok(isLoopbackAddress(h), h);
    for (const h of ["0.0.0.0", "::", "192.168.1.10", "10.0.0.1"]) assert.equal(isLoopbackAddress(h), false, h);
  });
});
