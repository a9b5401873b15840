// Child process of the LMDB crash-durability test (not a test itself). Usage:
//   node lmdb-crash-child.js PATH SEED
// Resumes from the head block recorded at PATH (replaying the seeded writes in memory up to it), then
// commits seeded random blocks forever, printing "NUMBER ROOT_HEX" once each `commit` has resolved.
// The parent kills it with SIGKILL at a random moment and checks every printed block survived.
import { LmdbState } from "./lmdb-state.js";
import { MemoryState } from "./memory-state.js";
import { blockHashOf, RandomWrites } from "./random-writes.js";

const [path, seedArg] = process.argv.slice(2);
if (path === undefined || seedArg === undefined) throw new Error("usage: lmdb-crash-child.js PATH SEED");
const state = LmdbState.open(path);
const gen = new RandomWrites(Number(seedArg));
const mirror = new MemoryState();
const head = state.head()?.number ?? 0n;
for (let n = 1n; n <= head; n++) mirror.applyWrites(gen.next());
for (let n = head + 1n; ; n++) {
  const writes = gen.next();
  mirror.applyWrites(writes);
  const root = mirror.stateRoot();
  await state.commit(writes, { number: n, hash: blockHashOf(n), stateRoot: root });
  // stdout to a pipe is synchronous on Linux: the line is out before the next commit starts.
  process.stdout.write(`${n} ${root.toString(16)}\n`);
}
