import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_LIMITS, resolveLimits } from "./limits.js";

describe("RPC limits", () => {
  it("defaults, overrides, and refusals", () => {
    assert.deepEqual(resolveLimits(), DEFAULT_LIMITS);
    const l = resolveLimits({ maxBatchLength: 3, maxLogsBlockRange: 5n });
    assert.equal(l.maxBatchLength, 3);
    assert.equal(l.maxLogsBlockRange, 5n);
    assert.throws(() => resolveLimits({ maxBodyBytes: 0 }), /maxBodyBytes must be a positive integer/);
    assert.throws(() => resolveLimits({ maxFilters: 1.5 }), /positive integer/);
    assert.throws(() => resolveLimits({ nope: 1 } as never), /unknown RPC limit "nope"/);
  });
});
