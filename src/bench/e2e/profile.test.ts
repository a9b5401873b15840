import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { mainThreadProfile, profileLines, summarizeProfile } from "./profile.js";

const frame = (functionName: string, url = "", lineNumber = -1) => ({ functionName, url, lineNumber });

test("summarizeProfile: self time per function and per file, idle and GC apart; the main thread's file by pid", () => {
  const dir = mkdtempSync(join(tmpdir(), "weft-profile-test-"));
  try {
    const profile = {
      nodes: [
        { id: 1, callFrame: frame("(root)") },
        { id: 2, callFrame: frame("(idle)") },
        { id: 3, callFrame: frame("(garbage collector)") },
        { id: 4, callFrame: frame("put", "file:///repo/node_modules/lmdb/write.js", 10) },
        { id: 5, callFrame: frame("apply", "file:///repo/dist/src/state/lmdb-state.js", 41) },
        { id: 6, callFrame: frame("", "file:///repo/dist/src/state/lmdb-state.js", 99) },
      ],
      samples: [2, 4, 4, 5, 3, 6, 2],
      timeDeltas: [1000, 3000, 3000, 2000, 500, 1000, 4000],
    };
    for (const name of ["CPU.20260101.000000.77.0.001.cpuprofile", "CPU.20260101.000000.77.1.002.cpuprofile"]) {
      writeFileSync(join(dir, name), JSON.stringify(profile));
    }
    const main = mainThreadProfile(dir, 77);
    assert.equal(main, join(dir, "CPU.20260101.000000.77.0.001.cpuprofile"));
    assert.equal(mainThreadProfile(dir, 78), undefined, "another process's profiles are not it");
    const s = summarizeProfile(main!, 3);
    assert.equal(s.totalMs, 14.5);
    assert.equal(s.idleMs, 5);
    assert.equal(s.gcMs, 0.5);
    assert.deepEqual(s.functions, [
      { name: "put node_modules/lmdb/write.js:11", ms: 6 },
      { name: "(idle)", ms: 5 },
      { name: "apply src/state/lmdb-state.js:42", ms: 2 },
    ]);
    assert.deepEqual(s.files.slice(0, 2), [
      { name: "node_modules/lmdb/write.js", ms: 6 },
      { name: "(idle)", ms: 5 },
    ]);
    assert.equal(s.files[2]?.name, "src/state/lmdb-state.js");
    assert.equal(s.files[2]?.ms, 3, "a file's anonymous and named functions together");
    const lines = profileLines(s);
    assert.match(lines[1]!, /busy 10 ms \(garbage collection 1 ms\) of 15 ms/);
    assert.ok(lines.some((l) => /6 ms +63\.2% {2}put node_modules\/lmdb\/write\.js:11/.test(l)));
    assert.ok(!lines.some((l) => l.includes("(idle)")), "idle time is not a hot spot");
    writeFileSync(join(dir, "CPU.20260101.000000.79.0.001.cpuprofile"), "{}");
    assert.throws(() => summarizeProfile(join(dir, "CPU.20260101.000000.79.0.001.cpuprofile")), /not a V8 CPU profile/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
