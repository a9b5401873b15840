import assert from "node:assert/strict";
import { test } from "node:test";
import { runMain } from "../../cli/testkit.js";
import { PROBES } from "./probes.js";
import {
  runVsAnvil,
  slopeUsPerIteration,
  usPerIteration,
  vsAnvilJson,
  vsAnvilTable,
  weftSlopeSpeed,
  weftSpeed,
} from "./run.js";
import { RWA_PROBE_RECEIVERS } from "./token-probes.js";

test("bench evm --vs-anvil: bad command lines exit 2 with a clear message", async (t) => {
  for (const [argv, pattern] of [
    [["--vs-anvil", "--probe", "erc20,nope"], /unknown probe 'nope' \(available: erc20, rwa, uniswap, call, .*modexp/],
    [["--vs-anvil", "--runs", "0"], /--runs wants an integer from 1 to 99, got '0'/],
    [["--vs-anvil", "--iterations", "5"], /--iterations does not go with --vs-anvil/],
    [["--probe", "modexp"], /--probe and --runs go with --vs-anvil/],
  ] as [string[], RegExp][]) {
    const r = await runMain(t, ["bench", "evm", ...argv]);
    assert.equal(r.code, 2, argv.join(" "));
    assert.match(r.err, pattern, argv.join(" "));
  }
});

test("bench evm --help documents --vs-anvil, --probe, --runs and names every probe", async (t) => {
  const r = await runMain(t, ["bench", "evm", "--help"]);
  for (const flag of ["--vs-anvil", "--probe", "--runs"]) assert.match(r.out, new RegExp(flag));
  for (const { name } of PROBES) assert.match(r.out, new RegExp(`[ ,]${name}[,\\s]`), name);
});

/** The interpreter probes (issue 13): a loop body of real contract code each. */
const INTERPRETER_PROBE_NAMES = ["erc20", "rwa", "uniswap", "call", "arith", "keccak", "storage"];

test("every probe has a unique name; the interpreter and precompile probes are all there", () => {
  const names = PROBES.map((p) => p.name);
  assert.equal(new Set(names).size, names.length);
  for (const name of [
    ...INTERPRETER_PROBE_NAMES,
    "modexp",
    "bn254-add",
    "bn254-mul",
    "bn254-pairing",
    "point-evaluation",
  ]) {
    assert.ok(names.includes(name), name);
  }
});

test("the table and JSON give µs per iteration and Weft's speed relative to anvil", () => {
  const result = {
    probe: "bn254-mul",
    description: "",
    anvil: { iterations: 1000, seconds: 0.25 },
    weft: { iterations: 1000, seconds: 0.5 },
  };
  assert.equal(usPerIteration(result.anvil), 250);
  assert.equal(weftSpeed(result), 0.5);
  assert.deepEqual(JSON.parse(vsAnvilJson(result)), {
    bench: "evm-vs-anvil",
    probe: "bn254-mul",
    iterations: 1000,
    anvilUsPerIteration: 250,
    weftUsPerIteration: 500,
    weftSpeed: 0.5,
  });
  assert.match(vsAnvilTable([result]), /bn254-mul\s+1000\s+250\.00\s+500\.00\s+0\.50x\s+-\s+-\s+-$/m);
});

test("with half-gas calls, the slope leaves each node's fixed cost per request out", () => {
  // anvil: 10 ms per request and 240 µs per iteration; Weft: 20 ms and 480 µs.
  const result = {
    probe: "bn254-mul",
    description: "",
    anvil: { iterations: 1000, seconds: 0.25, half: { iterations: 500, seconds: 0.13 } },
    weft: { iterations: 1000, seconds: 0.5, half: { iterations: 500, seconds: 0.26 } },
  };
  assert.equal(Math.round(slopeUsPerIteration(result.anvil)!), 240);
  assert.equal(Math.round(slopeUsPerIteration(result.weft)!), 480);
  assert.equal(weftSlopeSpeed(result)!.toFixed(3), "0.500");
  const json = JSON.parse(vsAnvilJson(result));
  assert.deepEqual([json.anvilSlopeUsPerIteration, json.weftSlopeUsPerIteration, json.weftSlopeSpeed], [240, 480, 0.5]);
  assert.match(vsAnvilTable([result]), /0\.50x\s+240\.00\s+480\.00\s+0\.50x$/m);
  // No difference in iterations: no slope.
  assert.equal(slopeUsPerIteration({ iterations: 5, seconds: 1, half: { iterations: 5, seconds: 0.9 } }), undefined);
});

test("a probe runs on anvil and on a started Weft node with the same iterations and result", async () => {
  const [result] = await runVsAnvil({ probes: PROBES.filter((p) => p.name === "bn254-add"), runs: 1, timedSeconds: 0 });
  assert.equal(result!.probe, "bn254-add");
  assert.ok(result!.weft.iterations > 1000, `${result!.weft.iterations} iterations`);
  assert.equal(result!.anvil.iterations, result!.weft.iterations);
});

test("every interpreter probe runs on anvil and on a started Weft node: same iterations and digest, a speed ratio", async () => {
  const probes = PROBES.filter((p) => INTERPRETER_PROBE_NAMES.includes(p.name));
  // 3M gas a call instead of 30M: a few dozen token transfers or swaps, thousands of the opcode loops.
  const results = await runVsAnvil({ probes, runs: 1, timedSeconds: 0, callGas: 3_000_000n });
  assert.deepEqual(
    results.map((r) => r.probe),
    probes.map((p) => p.name),
  );
  for (const r of results) {
    // runVsAnvil already refuses a different count or digest; a loop that ran once proves little.
    assert.equal(r.anvil.iterations, r.weft.iterations, r.probe);
    assert.ok(r.weft.iterations >= 10, `${r.probe}: ${r.weft.iterations} iterations`);
    assert.ok(r.weft.half!.iterations < r.weft.iterations, `${r.probe}: half-gas calls run fewer iterations`);
    assert.equal(r.anvil.half!.iterations, r.weft.half!.iterations, r.probe);
    for (const value of [usPerIteration(r.anvil), usPerIteration(r.weft), weftSpeed(r)]) {
      assert.ok(Number.isFinite(value) && value > 0, `${r.probe}: ${value}`);
    }
  }
  // At the CLI's 30M gas (10 times this) every rwa transfer still goes to a receiver of its own.
  const rwa = results.find((r) => r.probe === "rwa")!;
  assert.ok(rwa.weft.iterations * 10 < RWA_PROBE_RECEIVERS, `rwa: ${rwa.weft.iterations} iterations at 3M gas`);
  const table = vsAnvilTable(results);
  for (const r of results) assert.match(table, new RegExp(`^${r.probe}\\s+${r.weft.iterations}\\s`, "m"));
});
