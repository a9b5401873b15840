// `weft bench evm --vs-anvil`: for each probe, anvil (revm) and a Weft node start, one after the
// other, from one genesis file holding the probe's accounts, and the probe's eth_call runs on both:
// untimed calls for at least a second and five calls (JIT tiering, lazy setups; Weft runs one call
// worker, so they all warm the same thread), then `runs` timed calls and a second's worth at least on
// each, interleaved between the nodes, over one keep-alive connection each, of which the fastest
// counts. Both must report the same iteration count and digest.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bigintToHex, bytesToHex } from "../../primitives/hex.js";
import { BENCH_GAS_LIMIT, benchGenesis } from "../e2e/genesis.js";
import { type NodeProcess, startAnvil, startWeft } from "../e2e/node-process.js";
import { HttpTransport, rpcCall } from "../e2e/rpc-client.js";
import { PROBE_ADDRESS, type Probe } from "./probe.js";

export interface VsAnvilOptions {
  probes: readonly Probe[];
  /** Timed calls per probe and node, at least (the fastest counts). */
  runs: number;
  /** Timed calls go on until they took this many seconds in all (default TIMED_SECONDS); 0: just `runs`. */
  timedSeconds?: number;
  /** Gas of each eth_call; default BENCH_GAS_LIMIT (30M). Less makes shorter loops (tests). */
  callGas?: bigint;
  onCompile?: () => void;
  onProgress?: (line: string) => void;
}

export interface ProbeTiming {
  iterations: number;
  /** The fastest timed call, seconds. */
  seconds: number;
  /** The fastest timed call with half the gas: fewer iterations, the same fixed cost per request. */
  half?: { iterations: number; seconds: number };
}

export interface VsAnvilResult {
  probe: string;
  description: string;
  anvil: ProbeTiming;
  weft: ProbeTiming;
}

/** Microseconds per loop iteration. */
export function usPerIteration(t: ProbeTiming): number {
  return (t.seconds * 1e6) / t.iterations;
}

/** Weft's speed relative to anvil's: 1 is as fast, 0.5 half as fast. */
export function weftSpeed(r: VsAnvilResult): number {
  return usPerIteration(r.anvil) / usPerIteration(r.weft);
}

/**
 * Microseconds per iteration with the fixed cost of a request taken out: the difference between the
 * full and the half-gas call over the difference in iterations. Undefined without a half-gas call,
 * or where both ran as many iterations.
 */
export function slopeUsPerIteration(t: ProbeTiming): number | undefined {
  if (t.half === undefined || t.half.iterations >= t.iterations) return undefined;
  return ((t.seconds - t.half.seconds) * 1e6) / (t.iterations - t.half.iterations);
}

/** weftSpeed by the slopes: the loop bodies' speeds, each node's per-request cost left out. */
export function weftSlopeSpeed(r: VsAnvilResult): number | undefined {
  const anvil = slopeUsPerIteration(r.anvil);
  const weft = slopeUsPerIteration(r.weft);
  return anvil === undefined || weft === undefined || weft <= 0 ? undefined : anvil / weft;
}

/** One node's timing of a probe, with the digest its calls returned (both nodes' must agree). */
type SideTiming = ProbeTiming & { digest: string };

interface CallOutcome {
  iterations: number;
  digest: string;
  seconds: number;
}

async function timedCall(transport: HttpTransport, to: bigint, data: Uint8Array, gas: bigint): Promise<CallOutcome> {
  const call = {
    to: `0x${to.toString(16).padStart(40, "0")}`,
    data: bytesToHex(data),
    gas: bigintToHex(gas),
  };
  const start = process.hrtime.bigint();
  const result = await rpcCall<string>(transport, "eth_call", [call, "latest"]);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  // (uint256 count, bytes32 digest)
  return { iterations: Number(BigInt(result.slice(0, 66))), digest: `0x${result.slice(66, 130)}`, seconds };
}

const WARMUP_CALLS = 5;
const WARMUP_SECONDS = 1;
// Timed calls for at least a second too: the fastest of five 3 ms storage calls was still 20-70% above
// its floor on 2 shared cores, where the fastest of a second's worth lands within a few %.
const TIMED_SECONDS = 1;

/**
 * One node's side of a probe: its connection, its first result at each gas (every later one must
 * equal it), its fastest call at each.
 */
class ProbeSide {
  private readonly first = new Map<bigint, CallOutcome>();
  readonly best = new Map<bigint, CallOutcome>();
  /** Seconds of timed calls so far. */
  timed = 0;

  constructor(
    readonly node: NodeProcess,
    // One keep-alive connection for every call: a new one per call also timed a TCP handshake and its
    // accept, 0.13-0.2 ms of a 2.6 ms storage call on 2 cores (its fastest of 100, 5-7%).
    readonly transport: HttpTransport,
  ) {}

  async call(to: bigint, data: Uint8Array, gas: bigint): Promise<CallOutcome> {
    const next = await timedCall(this.transport, to, data, gas);
    const first = this.first.get(gas);
    if (first === undefined) this.first.set(gas, next);
    else if (next.iterations !== first.iterations || next.digest !== first.digest) {
      throw new Error(`${this.node.kind}: the same eth_call returned different results`);
    }
    return next;
  }

  async timedCall(to: bigint, data: Uint8Array, gas: bigint): Promise<CallOutcome> {
    const next = await this.call(to, data, gas);
    const best = this.best.get(gas);
    if (best === undefined || next.seconds < best.seconds) this.best.set(gas, next);
    return next;
  }

  timing(gas: bigint, halfGas: bigint): SideTiming {
    const full = this.best.get(gas)!;
    const half = this.best.get(halfGas)!;
    return {
      iterations: full.iterations,
      seconds: full.seconds,
      digest: full.digest,
      half: { iterations: half.iterations, seconds: half.seconds },
    };
  }
}

/**
 * Times the probe's eth_call on both nodes, interleaved: untimed calls on each first (at least
 * WARMUP_SECONDS and WARMUP_CALLS: Weft's JIT tiers the hot code up over several calls of a short
 * probe, and a node serving calls runs warm), then rounds of timed calls on each, the order
 * alternating by round, until each node has had `runs` calls and `timedSeconds` of them. A round
 * makes one call with `gas` and one with half of it on each node: the fastest of each counts, and
 * the two give the loop's slope without the request's fixed cost (slopeUsPerIteration).
 * Interleaving puts both nodes' calls in the same minutes of a shared machine, whose speed drifts by
 * tens of % from one minute to the next: timed one node after the other, the ratio carried that
 * drift. An idle node takes no CPU, so the one not called does not slow the other.
 */
async function measurePair(
  nodes: readonly [NodeProcess, NodeProcess],
  to: bigint,
  data: Uint8Array,
  gas: bigint,
  runs: number,
  timedSeconds: number,
): Promise<Array<SideTiming>> {
  const halfGas = gas / 2n;
  const sides = nodes.map((node) => new ProbeSide(node, new HttpTransport(node.url)));
  try {
    for (const side of sides) {
      let warm = 0;
      for (let i = 0; i < WARMUP_CALLS || warm < WARMUP_SECONDS; i++) warm += (await side.call(to, data, gas)).seconds;
    }
    for (let round = 0; sides.some((side) => round < runs || side.timed < timedSeconds); round++) {
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) {
        side.timed += (await side.timedCall(to, data, gas)).seconds;
        await side.timedCall(to, data, halfGas);
      }
    }
    return sides.map((side) => side.timing(gas, halfGas));
  } finally {
    for (const side of sides) side.transport.close();
  }
}

/** Runs every probe on anvil and on Weft (both started per probe, from the probe's own genesis). */
export async function runVsAnvil(options: VsAnvilOptions): Promise<VsAnvilResult[]> {
  const results: VsAnvilResult[] = [];
  const callGas = options.callGas ?? BENCH_GAS_LIMIT;
  const dir = mkdtempSync(join(tmpdir(), "weft-bench-vs-anvil-"));
  try {
    for (const probe of options.probes) {
      options.onProgress?.(`${probe.name}: setup`);
      const { alloc, calldata } = await probe.prepare(options.onCompile);
      const genesisFile = join(dir, `${probe.name}.json`);
      const genesis = benchGenesis({
        senders: [],
        balanceOf: () => 0n,
        alloc,
        timestamp: BigInt(Math.floor(Date.now() / 1000)),
      });
      writeFileSync(genesisFile, JSON.stringify(genesis));
      const startOptions = {
        genesisFile,
        gasLimit: BENCH_GAS_LIMIT,
        batch: 1,
        // A slow loop may take longer than Weft's default 5 s limit on one eth_call: no limit. One call
        // worker: every call runs on the thread the warm-up warmed.
        weftArgs: ["--rpc-call-timeout", "0", "--rpc-call-workers", "1"],
      };
      const anvilNode = await startAnvil(startOptions);
      let weftNode: NodeProcess | undefined;
      let anvil: SideTiming;
      let weft: SideTiming;
      try {
        weftNode = await startWeft(startOptions);
        options.onProgress?.(`${probe.name}: anvil and weft, calls interleaved`);
        [anvil, weft] = await measurePair(
          [anvilNode, weftNode],
          PROBE_ADDRESS,
          calldata,
          callGas,
          options.runs,
          options.timedSeconds ?? TIMED_SECONDS,
        );
      } finally {
        await Promise.all([anvilNode.stop(), weftNode?.stop()]);
      }
      if (
        anvil.iterations !== weft.iterations ||
        anvil.digest !== weft.digest ||
        anvil.half?.iterations !== weft.half?.iterations
      ) {
        throw new Error(
          `${probe.name}: anvil and Weft disagree (anvil ${anvil.iterations} iterations, digest ${anvil.digest}; ` +
            `Weft ${weft.iterations}, ${weft.digest}; at half the gas ${anvil.half?.iterations} and ${weft.half?.iterations})`,
        );
      }
      results.push({
        probe: probe.name,
        description: probe.description,
        anvil: { iterations: anvil.iterations, seconds: anvil.seconds, half: anvil.half! },
        weft: { iterations: weft.iterations, seconds: weft.seconds, half: weft.half! },
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

export function vsAnvilJson(r: VsAnvilResult): string {
  const round = (v: number, digits: number) => Number(v.toFixed(digits));
  return JSON.stringify({
    bench: "evm-vs-anvil",
    probe: r.probe,
    iterations: r.weft.iterations,
    anvilUsPerIteration: round(usPerIteration(r.anvil), 3),
    weftUsPerIteration: round(usPerIteration(r.weft), 3),
    weftSpeed: round(weftSpeed(r), 3),
    ...slopeFields(r, round),
  });
}

function slopeFields(r: VsAnvilResult, round: (v: number, digits: number) => number): Record<string, number> {
  const anvil = slopeUsPerIteration(r.anvil);
  const weft = slopeUsPerIteration(r.weft);
  const speed = weftSlopeSpeed(r);
  if (anvil === undefined || weft === undefined || speed === undefined) return {};
  return {
    anvilSlopeUsPerIteration: round(anvil, 3),
    weftSlopeUsPerIteration: round(weft, 3),
    weftSlopeSpeed: round(speed, 3),
  };
}

/** One row per probe: µs per iteration on each node and Weft's speed relative to anvil's. */
export function vsAnvilTable(results: readonly VsAnvilResult[]): string {
  const header = [
    "probe",
    "iterations",
    "anvil µs",
    "weft µs",
    "weft speed",
    "anvil slope",
    "weft slope",
    "slope speed",
  ];
  const fixed = (v: number | undefined, suffix = "") => (v === undefined ? "-" : `${v.toFixed(2)}${suffix}`);
  const rows = results.map((r) => [
    r.probe,
    String(r.weft.iterations),
    usPerIteration(r.anvil).toFixed(2),
    usPerIteration(r.weft).toFixed(2),
    `${weftSpeed(r).toFixed(2)}x`,
    fixed(slopeUsPerIteration(r.anvil)),
    fixed(slopeUsPerIteration(r.weft)),
    fixed(weftSlopeSpeed(r), "x"),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ");
  return [
    "one eth_call per probe and node, looping until its 30M gas is spent; fastest of the timed calls, interleaved between the nodes",
    "slope: µs per iteration from the fastest 30M-gas and 15M-gas calls' difference (each node's fixed cost per request left out)",
    line(header),
    ...rows.map(line),
  ].join("\n");
}
