// Measures the BLAKE2 F precompile (0x09) in M rounds/s, reading the built dist/.
// Usage: node scripts/bench-blake2f.js [rounds per call] [seconds]
import { blake2f } from "../dist/src/evm/precompiles/09-blake2f.js";

const rounds = Number(process.argv[2] ?? 10_000_000);
const seconds = Number(process.argv[3] ?? 3);

const input = new Uint8Array(213);
for (let i = 4; i < 212; i++) input[i] = (i * 131 + 17) & 0xff;
new DataView(input.buffer).setUint32(0, rounds);
input[212] = 1;

blake2f(input, Number.MAX_SAFE_INTEGER); // warm up
let total = 0;
const start = performance.now();
let elapsed = 0;
do {
  const result = blake2f(input, Number.MAX_SAFE_INTEGER);
  if (!("output" in result)) throw new Error("blake2f failed");
  total += rounds;
  elapsed = (performance.now() - start) / 1000;
} while (elapsed < seconds);
console.log(
  `${rounds} rounds/call: ${(total / elapsed / 1e6).toFixed(1)} M rounds/s (${total} rounds in ${elapsed.toFixed(2)} s)`,
);
