import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RpcError } from "../errors.js";
import { parseTraceCallConfig, parseTraceConfig } from "./trace-config.js";

function rejects(value: unknown, pattern: RegExp, call = false): void {
  assert.throws(
    () => (call ? parseTraceCallConfig(value) : parseTraceConfig(value)),
    (e: unknown) => e instanceof RpcError && e.code === -32602 && pattern.test(e.message),
  );
}

describe("trace config", () => {
  it("defaults to the struct logger with geth's defaults", () => {
    assert.deepEqual(parseTraceConfig(undefined), {
      tracer: "structLogger",
      structLogger: {},
      callTracer: {},
      prestateTracer: {},
    });
    assert.deepEqual(parseTraceConfig({ enableMemory: true, disableStack: true, limit: 10, timeout: "5s" }), {
      tracer: "structLogger",
      structLogger: { enableMemory: true, disableStack: true, limit: 10 },
      callTracer: {},
      prestateTracer: {},
    });
  });

  it("reads callTracer and its options", () => {
    const config = parseTraceConfig({ tracer: "callTracer", tracerConfig: { onlyTopCall: true, withLog: false } });
    assert.equal(config.tracer, "callTracer");
    assert.deepEqual(config.callTracer, { onlyTopCall: true, withLog: false });
  });

  it("reads prestateTracer's options and 4byteTracer, which takes none", () => {
    const config = parseTraceConfig({
      tracer: "prestateTracer",
      tracerConfig: { diffMode: true, disableCode: true, disableStorage: false },
    });
    assert.equal(config.tracer, "prestateTracer");
    assert.deepEqual(config.prestateTracer, { diffMode: true, disableCode: true, disableStorage: false });
    assert.deepEqual(
      parseTraceConfig({ tracer: "prestateTracer", tracerConfig: { includeEmpty: true } }).prestateTracer,
      {
        includeEmpty: true,
      },
    );
    assert.equal(parseTraceConfig({ tracer: "4byteTracer", tracerConfig: {} }).tracer, "4byteTracer");
    rejects({ tracer: "prestateTracer", tracerConfig: { diffmode: true } }, /unknown prestateTracer option "diffmode"/);
    rejects({ tracer: "prestateTracer", tracerConfig: { onlyTopCall: true } }, /unknown prestateTracer option/);
    rejects({ tracer: "prestateTracer", tracerConfig: { diffMode: "yes" } }, /diffMode: expected a boolean/);
    rejects(
      { tracer: "prestateTracer", tracerConfig: { diffMode: true, includeEmpty: true } },
      /diffMode with includeEmpty/,
    );
    rejects(
      { tracer: "4byteTracer", tracerConfig: { withLog: true } },
      /unknown 4byteTracer option "withLog" \(it takes none\)/,
    );
  });

  it("accepts old geth's disable flags where they ask for today's default", () => {
    assert.equal(parseTraceConfig({ disableMemory: true, disableReturnData: true }).tracer, "structLogger");
    rejects({ disableMemory: false }, /use enableMemory/);
  });

  it("names what it does not support", () => {
    rejects({ tracer: "muxTracer" }, /unsupported tracer "muxTracer"/);
    rejects({ tracer: "{ step: function() {} }" }, /unsupported tracer/);
    rejects({ tracer: "callTracer", tracerConfig: { diffMode: true } }, /unknown callTracer option "diffMode"/);
    rejects({ tracerConfig: { withLog: true } }, /struct logger takes its options/);
    rejects({ enableMemory: "yes" }, /enableMemory: expected a boolean/);
    rejects({ limit: -1 }, /limit/);
    rejects({ overrides: {} }, /overrides/);
    rejects({ stateOverrides: {} }, /unknown field "stateOverrides"/);
    rejects("callTracer", /expected an object/);
  });

  it("debug_traceCall's extra fields: state overrides, txIndex; no block overrides", () => {
    const config = parseTraceCallConfig({
      stateOverrides: { "0x00000000000000000000000000000000000000aa": { balance: "0x10" } },
      txIndex: "0x2",
    });
    assert.equal(config.stateOverrides.get(0xaan)?.balance, 16n);
    assert.equal(config.txIndex, 2);
    rejects({ blockOverrides: { number: "0x1" } }, /block overrides/, true);
  });
});
