import assert from "node:assert/strict";
import { test } from "node:test";
import { runMain } from "./testkit.js";

test("no arguments, help, --help and -h print the usage and succeed", async (t) => {
  for (const argv of [[], ["help"], ["--help"], ["-h"]]) {
    const r = await runMain(t, argv);
    assert.equal(r.code, 0, argv.join(" "));
    assert.match(r.out, /Usage: weft <command>/);
    assert.match(r.out, /statetest/);
    assert.match(r.out, /bench evm/);
  }
});

test("an unknown command or option is a usage error (exit 2), never ignored", async (t) => {
  for (const [argv, pattern] of [
    [["frobnicate"], /unknown command 'frobnicate'/],
    [["--verbose"], /unknown option '--verbose'/],
    [["help", "extra"], /takes no arguments/],
    [["node", "--frobnicate"], /Unknown option '--frobnicate'/],
    [["node", "--port", "x"], /--port wants an integer/],
    [["bench"], /which benchmark/],
    [["bench", "frob"], /unknown benchmark 'frob'/],
    [["bench", "evm", "--bogus"], /--bogus/],
    [["bench", "evm", "extra"], /extra/],
    [["bench", "evm", "--iterations", "0"], /positive integer/],
    [["bench", "evm", "--iterations", "12abc"], /positive integer/],
    [["bench", "evm", "--iterations"], /iterations/],
  ] as [string[], RegExp][]) {
    const r = await runMain(t, argv);
    assert.equal(r.code, 2, argv.join(" "));
    assert.match(r.err, pattern, argv.join(" "));
    assert.equal(r.out, "", argv.join(" "));
  }
});

test("node --help documents the node's flags", async (t) => {
  const r = await runMain(t, ["node", "--help"]);
  assert.equal(r.code, 0);
  assert.match(r.out, /Usage: weft node/);
  assert.match(r.out, /--port/);
  assert.match(r.out, /--datadir/);
});

test("bench --help and bench evm --help print the bench usage", async (t) => {
  for (const argv of [
    ["bench", "--help"],
    ["bench", "evm", "--help"],
  ]) {
    const r = await runMain(t, argv);
    assert.equal(r.code, 0);
    assert.match(r.out, /--iterations N/);
  }
});
