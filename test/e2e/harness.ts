// End-to-end harness: starts the node under test as a child process and talks to it only over its
// public interfaces (JSON-RPC over HTTP and WebSocket, the command line). One switch picks the target:
// WEFT_E2E_TARGET=anvil runs the same tests against Foundry's anvil (proving they test anvil
// compatibility, not Weft's quirks); the default, weft, spawns `node bin/weft.js node`.

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TransactionSerializableEIP1559 } from "viem";

export type TargetKind = "anvil" | "weft";

function targetKind(): TargetKind {
  const v = process.env.WEFT_E2E_TARGET ?? "weft";
  if (v !== "anvil" && v !== "weft") throw new Error(`WEFT_E2E_TARGET must be 'anvil' or 'weft', got '${v}'`);
  return v;
}

/** Which node the e2e tests run against. */
export const TARGET: TargetKind = targetKind();

/** The repository root (tests run from it: scripts/test.js and CI both start there). */
export const ROOT = process.cwd();

/** The default mnemonic's first accounts (anvil's and Weft's defaults): address and private key. */
export const DEV = [
  {
    address: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
    key: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  },
  {
    address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    key: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  },
  {
    address: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
    key: "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  },
  {
    address: "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
    key: "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  },
] as const satisfies readonly { address: `0x${string}`; key: `0x${string}` }[];

export const CHAIN_ID = 31337;

export interface StartOptions {
  /** Which node to start (default TARGET): for tests that need both, e.g. a state dump from one into the other. */
  kind?: TargetKind;
  /** Extra command-line flags, spelled the same for both targets (e.g. --no-mining, --block-time 1). */
  args?: string[];
  /** Weft only: reuse this data folder (a restart); default a fresh temporary one; null: no --datadir
   * at all (the node's own default, a fresh chain it removes at exit). */
  datadir?: string | null;
  /** Weft only: flags for node itself (V8's), given before the script, e.g. --max-old-space-size=192. */
  nodeFlags?: string[];
}

export interface Target {
  kind: TargetKind;
  url: string;
  wsUrl: string;
  /** Weft's data folder (undefined for anvil, which keeps its chain in memory). */
  datadir: string | undefined;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** A signal (default SIGTERM), then wait for the exit: the exit code. Removes a temporary data folder this harness made. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** SIGKILL and wait for the exit (the data folder stays, for a restart). */
  kill9(): Promise<void>;
}

/** How a child is spawned for the target: the command and its arguments. */
function command(
  kind: TargetKind,
  datadir: string | undefined,
  args: string[],
  nodeFlags: string[],
): [string, string[]] {
  if (kind === "anvil")
    return [process.execPath, [join(ROOT, "node_modules", ".bin", "anvil"), "--port", "0", ...args]];
  // bin/weft.js itself honours WEFT_DIST, which the child inherits.
  const where = datadir === undefined ? [] : ["--datadir", datadir];
  return [process.execPath, [...nodeFlags, join(ROOT, "bin", "weft.js"), "node", "--port", "0", ...where, ...args]];
}

/** Starts the target on a free port and resolves once it prints "Listening on host:port". */
export async function startTarget(options: StartOptions = {}): Promise<Target> {
  const kind = options.kind ?? TARGET;
  const ownDir = kind === "weft" && options.datadir === undefined;
  const datadir =
    kind === "weft" && options.datadir !== null
      ? (options.datadir ?? mkdtempSync(join(tmpdir(), "weft-e2e-")))
      : undefined;
  const [cmd, argv] = command(kind, datadir, options.args ?? [], options.nodeFlags ?? []);
  const child = spawn(cmd, argv, { stdio: ["ignore", "pipe", "pipe"], env: process.env });
  // A test file that dies must not leave a node running.
  const reap = () => child.kill("SIGKILL");
  process.on("exit", reap);

  let out = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} did not start within 30 s:\n${out}`)), 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /Listening on ([\w.:[\]-]+):(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(`${m[1]}:${m[2]}`);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${kind} exited (code ${code}) before listening:\n${out}`));
    });
  });

  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const code = await exited;
    process.off("exit", reap);
    return code;
  };
  return {
    kind,
    url: `http://${address}`,
    wsUrl: `ws://${address}`,
    datadir,
    output: () => out,
    stop: async (signal: NodeJS.Signals = "SIGTERM") => {
      const code = await end(signal);
      if (ownDir) rmSync(datadir!, { recursive: true, force: true });
      return code;
    },
    kill9: async () => void (await end("SIGKILL")),
  };
}

/** The longest any one JSON-RPC request of a test may take. */
export const RPC_TIMEOUT_MS = 60_000;

/** A plain JSON-RPC call; resolves to the whole response (result or error), never throws on an RPC error. */
export async function rpcRaw(
  url: string,
  method: string,
  params: unknown[] = [],
): Promise<{ result?: unknown; error?: { code: number; message: string; data?: unknown } }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    // A node that never answers fails the test instead of hanging the whole run.
    signal: AbortSignal.timeout(RPC_TIMEOUT_MS),
  });
  return (await res.json()) as { result?: unknown; error?: { code: number; message: string } };
}

/** A JSON-RPC call that must succeed: its result. */
export async function rpc<T = unknown>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const r = await rpcRaw(url, method, params);
  if (r.error) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.result as T;
}

/** Polls `check` until it returns a value other than undefined, or fails after `ms`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Runs a command to completion: exit code and output (for cast and `weft` itself). */
export function runCommand(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (c: Buffer) => void (stdout += c.toString()));
    child.stderr!.on("data", (c: Buffer) => void (stderr += c.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/** An EIP-1559 transfer of 1 wei to `DEV[1]`, 21,000 gas, a 10 gwei fee cap and a 1 gwei tip, with `fields` over it. */
export function devTransfer(
  nonce: number,
  fields: Partial<TransactionSerializableEIP1559> = {},
): TransactionSerializableEIP1559 {
  return {
    type: "eip1559",
    chainId: CHAIN_ID,
    nonce,
    gas: 21_000n,
    maxFeePerGas: 10_000_000_000n,
    maxPriorityFeePerGas: 1_000_000_000n,
    to: DEV[1].address,
    value: 1n,
    ...fields,
  };
}
