// Whether a logs bloom may hold any of a set of values (a filter's addresses, or one topic position's
// alternatives), asked of every block a query scans. Each value's three bits are hashed once. A long
// list is bucketed by its values' first bit, so a block costs a pass over its bloom's set bits rather
// than a test per value: most blooms are sparse (an empty block's has none), and a 10,000-address
// query over 1,000 blocks would otherwise make ten million tests.
import { BLOOM_BYTES, bloomHasPositions, bloomPositions } from "../../chain/bloom.js";

type Positions = [number, number, number];

/** Below this many values, testing each is cheaper than walking the bloom's bytes. */
const BUCKET_FROM = 16;

export class BloomProbe {
  private readonly positions: Positions[];
  /** Values by their first bit; only for long lists. */
  private readonly byFirstBit: Map<number, Positions[]> | undefined;

  /** `values`: the bytes each value is hashed as (20-byte addresses, 32-byte topics). */
  constructor(values: readonly Uint8Array[]) {
    this.positions = values.map(bloomPositions);
    if (this.positions.length < BUCKET_FROM) return;
    this.byFirstBit = new Map();
    for (const p of this.positions) {
      const bucket = this.byFirstBit.get(p[0]);
      if (bucket === undefined) this.byFirstBit.set(p[0], [p]);
      else bucket.push(p);
    }
  }

  /** False when the bloom surely holds none of the values. */
  mayHoldAny(bloom: Uint8Array): boolean {
    if (this.byFirstBit === undefined) return this.positions.some((p) => bloomHasPositions(bloom, p));
    for (let i = 0; i < BLOOM_BYTES; i++) {
      const byte = bloom[i]!;
      if (byte === 0) continue;
      for (let bit = 0; bit < 8; bit++) {
        if ((byte & (1 << bit)) === 0) continue;
        // bloom.ts's layout: bit position k lives in byte BLOOM_BYTES - 1 - (k >> 3), bit k & 7.
        const bucket = this.byFirstBit.get((BLOOM_BYTES - 1 - i) * 8 + bit);
        if (bucket?.some((p) => bloomHasPositions(bloom, p))) return true;
      }
    }
    return false;
  }
}
