import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { requestedTimeoutMs, requestTimeoutMs, TRACE_TIMEOUT_CEILING_MS } from "./timeout.js";

describe("requestedTimeoutMs", () => {
  it("reads a trace config's timeout where each trace method takes its config", () => {
    assert.equal(requestedTimeoutMs("debug_traceCall", [{}, "latest", { timeout: "2s" }]), 2000);
    assert.equal(requestedTimeoutMs("debug_traceTransaction", ["0x12", { timeout: "1m30s" }]), 90_000);
    assert.equal(requestedTimeoutMs("debug_traceBlockByNumber", ["0x1", { timeout: "250ms" }]), 250);
    assert.equal(requestedTimeoutMs("debug_traceBlockByHash", ["0x12", { timeout: "1.5us" }]), 1);
  });

  it("is undefined for other methods, no config, no timeout and invalid ones (the handler refuses those)", () => {
    assert.equal(requestedTimeoutMs("eth_call", [{}, "latest", { timeout: "2s" }]), undefined);
    assert.equal(requestedTimeoutMs("debug_traceCall", [{}, "latest"]), undefined);
    assert.equal(requestedTimeoutMs("debug_traceTransaction", ["0x12", { tracer: "callTracer" }]), undefined);
    for (const timeout of ["soon", "10", "0s", "-1s", 5, null]) {
      assert.equal(requestedTimeoutMs("debug_traceTransaction", ["0x12", { timeout }]), undefined, String(timeout));
    }
  });
});

describe("requestTimeoutMs", () => {
  it("is the node's without a request timeout", () => {
    assert.equal(requestTimeoutMs(5000, undefined), 5000);
    assert.equal(requestTimeoutMs(0, undefined), 0);
  });

  it("lets a trace shorten or lengthen it, up to a minute or the node's own if longer", () => {
    assert.equal(requestTimeoutMs(5000, 100), 100);
    assert.equal(requestTimeoutMs(5000, 30_000), 30_000);
    assert.equal(requestTimeoutMs(5000, 3_600_000), TRACE_TIMEOUT_CEILING_MS);
    assert.equal(requestTimeoutMs(120_000, 3_600_000), 120_000);
  });

  it("sets no ceiling on a node without a call timeout, but stays within setTimeout's range", () => {
    assert.equal(requestTimeoutMs(0, 3_600_000), 3_600_000);
    assert.equal(requestTimeoutMs(0, 100 * 24 * 3_600_000), 2 ** 31 - 1);
  });
});
