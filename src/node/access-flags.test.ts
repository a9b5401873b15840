// --allow-origin, --allowed-hosts, --auth-token(-file) as parsed into the node's access policy, and
// the warning printed when the node listens where other machines reach it.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { exposureWarning } from "./banner.js";
import { NODE_USAGE, parseNodeFlags, UsageError } from "./flags.js";

function access(argv: string[]) {
  const parsed = parseNodeFlags(argv);
  assert.equal(parsed.help, false);
  return "config" in parsed ? parsed.config.access : undefined;
}

test("the defaults admit local tools and pages only, without a token", () => {
  assert.deepEqual(access([]), { allowedOrigins: [], allowedHosts: [] });
  for (const flag of ["--allow-origin", "--allowed-hosts", "--auth-token", "--auth-token-file"]) {
    assert.ok(NODE_USAGE.includes(flag), `usage documents ${flag}`);
  }
});

test("lists and the token are read", () => {
  assert.deepEqual(
    access([
      "--allow-origin",
      "https://Remix.Ethereum.org,*",
      "--allowed-hosts",
      "devbox.local",
      "--auth-token",
      "t0k",
    ]),
    { allowedOrigins: ["https://remix.ethereum.org", "*"], allowedHosts: ["devbox.local"], authToken: "t0k" },
  );
  const dir = mkdtempSync(join(tmpdir(), "weft-token-"));
  try {
    writeFileSync(join(dir, "token"), "  from-file\n");
    assert.equal(access(["--auth-token-file", join(dir, "token")])?.authToken, "from-file");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bad values are usage errors that name the flag", () => {
  for (const [argv, pattern] of [
    [["--allow-origin", "example.org"], /--allow-origin: 'example.org' is not an origin/],
    [["--allow-origin", ""], /--allow-origin: '' has an empty entry/],
    [["--allowed-hosts", "a:1"], /--allowed-hosts: 'a:1' is not a host name/],
    [["--auth-token", ""], /--auth-token wants a value/],
    [["--auth-token", "two words"], /printable ASCII without spaces/],
    [["--auth-token", "a", "--auth-token-file", "f"], /exclude each other/],
    [
      ["--auth-token-file", "/nonexistent/weft-token"],
      /--auth-token-file: cannot read '\/nonexistent\/weft-token' \(ENOENT\)/,
    ],
  ] as [string[], RegExp][]) {
    assert.throws(
      () => parseNodeFlags(argv),
      (e: unknown) => e instanceof UsageError && pattern.test(e.message),
      argv.join(" "),
    );
  }
});

test("the exposure warning: none on loopback, what is exposed elsewhere, a notice with a token", () => {
  for (const host of ["127.0.0.1", "localhost", "::1"]) {
    assert.equal(exposureWarning({ host, port: 8545, accounts: 10, authToken: false }), undefined, host);
  }
  const open = exposureWarning({ host: "0.0.0.0", port: 8545, accounts: 10, authToken: false })!;
  assert.match(open, /WARNING: weft node is listening on 0\.0\.0\.0:8545/);
  assert.match(open, /private keys of 10 funded dev accounts/);
  assert.match(open, /anvil_setBalance/);
  assert.match(open, /--auth-token <token>.*firewall/);
  assert.doesNotMatch(exposureWarning({ host: "::", port: 1, accounts: 0, authToken: false })!, /private keys/);
  assert.match(exposureWarning({ host: "192.168.1.5", port: 1, accounts: 10, authToken: true })!, /unencrypted/);
});
