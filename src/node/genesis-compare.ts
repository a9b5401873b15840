// Whether two files hold the same bytes, read in chunks (a genesis file may be hundreds of MB).
import { closeSync, openSync, readSync, statSync } from "node:fs";

const CHUNK = 1 << 20;

export function filesEqual(a: string, b: string): boolean {
  if (statSync(a).size !== statSync(b).size) return false;
  const fa = openSync(a, "r");
  const fb = openSync(b, "r");
  try {
    const ba = Buffer.alloc(CHUNK);
    const bb = Buffer.alloc(CHUNK);
    for (;;) {
      const n = readSync(fa, ba, 0, CHUNK, null);
      const m = readSync(fb, bb, 0, CHUNK, null);
      if (n !== m || !ba.subarray(0, n).equals(bb.subarray(0, m))) return false;
      if (n === 0) return true;
    }
  } finally {
    closeSync(fa);
    closeSync(fb);
  }
}
