// `bench e2e --profile DIR`: the Weft node runs under V8's CPU profiler (node --cpu-prof), which
// writes one .cpuprofile per thread into DIR when the node exits; the main thread's profile is then
// summarized by self time, per function and per file, so a run names its own hot spots.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The runtime flags that make the node write its CPU profiles into `dir`. */
export function profileNodeArgs(dir: string): string[] {
  return ["--cpu-prof", `--cpu-prof-dir=${dir}`];
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
}

export interface ProfileSummary {
  file: string;
  /** Sampled time, idle included. */
  totalMs: number;
  idleMs: number;
  gcMs: number;
  functions: SelfTime[];
  files: SelfTime[];
}

/**
 * The main thread's profile of process `pid` in `dir`: node names each file
 * CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile, and the main thread is thread 0.
 */
export function mainThreadProfile(dir: string, pid: number): string | undefined {
  const name = readdirSync(dir).find(
    (f) => f.endsWith(".cpuprofile") && f.split(".")[3] === String(pid) && f.split(".")[4] === "0",
  );
  return name === undefined ? undefined : join(dir, name);
}

/** Self time by function (name, file:line) and by file, largest first, `top` of each. */
export function summarizeProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  if (!Array.isArray(profile.nodes) || !Array.isArray(profile.samples) || !Array.isArray(profile.timeDeltas)) {
    throw new Error(`${file} is not a V8 CPU profile`);
  }
  const sampled = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) add(sampled, profile.samples[i]!, profile.timeDeltas[i] ?? 0);
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let totalMs = 0;
  for (const node of profile.nodes) {
    const ms = (sampled.get(node.id) ?? 0) / 1000;
    if (ms === 0) continue;
    totalMs += ms;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url === "" ? "" : ` ${shortUrl(url)}:${lineNumber + 1}`;
    add(byFunction, `${functionName || "(anonymous)"}${where}`, ms);
    add(byFile, url === "" ? functionName : shortUrl(url), ms);
  }
  return {
    file,
    totalMs,
    idleMs: byFunction.get("(idle)") ?? 0,
    gcMs: byFunction.get("(garbage collector)") ?? 0,
    functions: largest(byFunction, top),
    files: largest(byFile, top),
  };
}

/** The summary as the lines bench e2e prints. */
export function profileLines(s: ProfileSummary): string[] {
  const busy = s.totalMs - s.idleMs;
  const row = (t: SelfTime) =>
    `  ${t.ms.toFixed(0).padStart(7)} ms ${((100 * t.ms) / busy).toFixed(1).padStart(5)}%  ${t.name}`;
  return [
    `weft node CPU profile (main thread): ${s.file}`,
    `  busy ${busy.toFixed(0)} ms (garbage collection ${s.gcMs.toFixed(0)} ms) of ${s.totalMs.toFixed(0)} ms sampled, the node's start included`,
    "  by self time, per function:",
    ...s.functions.filter((t) => t.name !== "(idle)").map(row),
    "  per file:",
    ...s.files.filter((t) => t.name !== "(idle)").map(row),
  ];
}

function add<K>(map: Map<K, number>, key: K, amount: number): void {
  map.set(key, (map.get(key) ?? 0) + amount);
}

function largest(map: Map<string, number>, top: number): SelfTime[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => ({ name, ms }));
}

/** A URL from the repository or node_modules, from there on; node's own modules as they are. */
function shortUrl(url: string): string {
  const at = url.search(/\/(node_modules|src)\//);
  return at < 0 ? url.replace(/^file:\/\//, "") : url.slice(at + 1);
}
