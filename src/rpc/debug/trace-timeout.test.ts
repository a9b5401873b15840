import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RpcError } from "../errors.js";
import { parseTraceConfig } from "./trace-config.js";
import { parseGoDuration, parseTraceTimeout } from "./trace-timeout.js";

describe("parseGoDuration", () => {
  it("reads what Go's time.ParseDuration reads, in milliseconds", () => {
    const cases: [string, number][] = [
      ["10s", 10_000],
      ["500ms", 500],
      ["1.5s", 1500],
      ["1m30s", 90_000],
      ["2h45m", 9_900_000],
      [".5s", 500],
      ["1.s", 1000],
      ["1500us", 1.5],
      ["1500µs", 1.5],
      ["2000000ns", 2],
      ["0", 0],
      ["+1s", 1000],
      ["-1s", -1000],
    ];
    for (const [text, ms] of cases) assert.equal(parseGoDuration(text), ms, text);
  });

  it("is undefined for what Go refuses", () => {
    for (const text of ["", "10", "s", ".s", "1.2.3s", "1 s", "1S", "1d", "1s ", "-", "0x10s"]) {
      assert.equal(parseGoDuration(text), undefined, JSON.stringify(text));
    }
  });
});

describe("a trace config's timeout", () => {
  it("is whole milliseconds, rounded up", () => {
    assert.equal(parseTraceTimeout("10s", "timeout"), 10_000);
    assert.equal(parseTraceTimeout("1ns", "timeout"), 1);
    assert.equal(parseTraceTimeout(undefined, "timeout"), undefined);
  });

  it("refuses anything but a positive duration with -32602 naming the field", () => {
    for (const timeout of ["soon", "10", "0s", "0", "-5s", 10, true]) {
      assert.throws(
        () => parseTraceConfig({ timeout }),
        (e: unknown) =>
          e instanceof RpcError &&
          e.code === -32602 &&
          e.message ===
            `config.timeout: expected a positive duration such as "10s" or "500ms", got ${JSON.stringify(timeout)}`,
        JSON.stringify(timeout),
      );
    }
  });
});
