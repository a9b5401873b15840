import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RateWindow } from "./rates.js";

describe("committed throughput", () => {
  it("counts each block in the second it arrived, leaving the current second out", () => {
    const rates = new RateWindow(3);
    rates.add(10_100, 5, 100_000);
    rates.add(10_900, 3, 60_000);
    rates.add(12_000, 1, 21_000);
    rates.add(13_500, 7, 1); // the current second: not yet shown
    assert.deepEqual(rates.series(13_999), { tps: [8, 0, 1], gasPerSecond: [160_000, 0, 21_000] });
    assert.deepEqual(rates.series(14_000), { tps: [0, 1, 7], gasPerSecond: [0, 21_000, 1] });
  });

  it("forgets seconds that left the window", () => {
    const rates = new RateWindow(2);
    rates.add(1_000, 4, 4);
    rates.add(9_000, 1, 1);
    assert.deepEqual(rates.series(10_000).tps, [0, 1]);
    assert.deepEqual(rates.series(3_000).tps, [0, 0], "second 1 was forgotten when second 9 arrived");
  });
});
