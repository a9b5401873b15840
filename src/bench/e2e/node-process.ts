// The nodes under test as child processes: `weft node` (the runtime running bin/weft.js directly, so
// the child's pid is the node's own) and the anvil binary itself (not its npm wrapper), each on a
// free port, ready once it answers eth_chainId. Their memory and CPU come from /proc/<pid>.

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { NODE_RUNTIME_FLAGS } from "../../node/runtime-flags.js";
import { repoRoot } from "../compile.js";
import { ProcessSampler } from "./proc.js";
import { HttpTransport, rpcCall, wsUrlOf } from "./rpc-client.js";

export type NodeKind = "weft" | "anvil";

export interface NodeProcess {
  kind: NodeKind;
  url: string;
  wsUrl: string;
  pid: number;
  /** Weft's data folder. */
  datadir: string | undefined;
  sampler: ProcessSampler;
  /** SIGTERM and wait for the exit (SIGKILL after 60 s); removes the data folder unless kept. */
  stop(): Promise<void>;
}

export interface StartOptions {
  genesisFile: string;
  /** Interval mining, seconds. */
  blockTime?: string;
  /** No mining at all (--no-mining): blocks only on evm_mine. */
  noMining?: boolean;
  /** Weft's --threads. */
  threads?: number;
  /** Weft's --recover-threads. */
  recoverThreads?: number;
  /** Block gas limit (in the genesis file; anvil also needs --gas-limit). */
  gasLimit: bigint;
  /** Largest JSON-RPC batch the bench sends: the node's limits are raised to take it. */
  batch: number;
  /** Arguments for the runtime running Weft (before bin/weft.js). */
  nodeArgs?: string[];
  /** More `weft node` flags. */
  weftArgs?: string[];
  keep?: boolean;
}

/** A port nobody listens on right now (the child binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** The anvil binary of the installed @foundry-rs/anvil (its platform package), or $WEFT_ANVIL. */
export function anvilBinary(): string {
  if (process.env.WEFT_ANVIL) return process.env.WEFT_ANVIL;
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`;
  try {
    const dir = dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`));
    const bin = join(dir, "bin", process.platform === "win32" ? "anvil.exe" : "anvil");
    if (existsSync(bin)) return bin;
  } catch {
    // fall through to the message
  }
  throw new Error(`cannot find the anvil binary (${pkg}; run npm ci, or set WEFT_ANVIL=/path/to/anvil)`);
}

export async function startWeft(o: StartOptions): Promise<NodeProcess> {
  const port = await freePort();
  const datadir = mkdtempSync(join(tmpdir(), "weft-bench-e2e-"));
  const args = [
    ...NODE_RUNTIME_FLAGS,
    ...(o.nodeArgs ?? []),
    join(repoRoot(), "bin", "weft.js"),
    "node",
    "--port",
    String(port),
    "--datadir",
    datadir,
    "--genesis",
    o.genesisFile,
    "--silent",
    "--accounts",
    "1",
    "--rpc-max-batch",
    String(Math.max(1000, o.batch)),
    "--rpc-max-body",
    String(256 * 1024 * 1024),
  ];
  args.push(...(o.weftArgs ?? []));
  if (o.blockTime !== undefined) args.push("--block-time", o.blockTime);
  if (o.noMining === true) args.push("--no-mining");
  if (o.threads !== undefined) args.push("--threads", String(o.threads));
  if (o.recoverThreads !== undefined) args.push("--recover-threads", String(o.recoverThreads));
  // bin/weft.js honours WEFT_DIST, which the child inherits.
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env: process.env });
  return await ready("weft", child, port, datadir, o.keep ?? false);
}

export async function startAnvil(o: StartOptions): Promise<NodeProcess> {
  const port = await freePort();
  const args = [
    "--init",
    o.genesisFile,
    "--port",
    String(port),
    // Same rules and same genesis state as Weft's: Cancun, and none of the accounts anvil adds by default.
    "--hardfork",
    "cancun",
    "--disable-default-create2-deployer",
    "--accounts",
    "1",
    "--no-request-size-limit",
    // anvil logs every request and transaction otherwise (Weft runs with --silent).
    "--quiet",
  ];
  if (o.blockTime !== undefined) args.push("--block-time", o.blockTime);
  if (o.noMining === true) args.push("--no-mining");
  // Weft takes the gas limit from the genesis file; anvil keeps its own default unless told.
  args.push("--gas-limit", String(o.gasLimit));
  const child = spawn(anvilBinary(), args, { stdio: ["ignore", "pipe", "pipe"] });
  return await ready("anvil", child, port, undefined, false);
}

async function ready(
  kind: NodeKind,
  child: ChildProcess,
  port: number,
  datadir: string | undefined,
  keep: boolean,
): Promise<NodeProcess> {
  let output = "";
  child.stdout!.on("data", (c: Buffer) => void (output = (output + c.toString()).slice(-20_000)));
  child.stderr!.on("data", (c: Buffer) => void (output = (output + c.toString()).slice(-20_000)));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  // A bench that dies (or is interrupted: command.ts turns signals into exits) must not leave a node running.
  const reap = () => {
    child.kill("SIGKILL");
    if (datadir !== undefined && !keep) rmSync(datadir, { recursive: true, force: true });
  };
  process.on("exit", reap);
  const url = `http://127.0.0.1:${port}`;
  const probe = new HttpTransport(url);
  const deadline = Date.now() + 60_000;
  let gone = false;
  void exited.then(() => (gone = true));
  try {
    for (;;) {
      if (gone) throw new Error(`${kind} exited (code ${child.exitCode}) before answering:\n${output}`);
      try {
        await rpcCall(probe, "eth_chainId");
        break;
      } catch (err) {
        if (Date.now() > deadline)
          throw new Error(`${kind} did not answer on ${url} within 60 s: ${(err as Error).message}\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (err) {
    child.kill("SIGKILL");
    await exited;
    process.off("exit", reap);
    if (datadir !== undefined && !keep) rmSync(datadir, { recursive: true, force: true });
    throw err;
  } finally {
    probe.close();
  }
  const sampler = new ProcessSampler(child.pid!);
  return {
    kind,
    url,
    wsUrl: wsUrlOf(url),
    pid: child.pid!,
    datadir,
    sampler,
    stop: async () => {
      sampler.stop();
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
      const code = await exited;
      clearTimeout(timer);
      process.off("exit", reap);
      if (datadir !== undefined && !keep) rmSync(datadir, { recursive: true, force: true });
      if (code !== 0 && code !== null && kind === "weft") {
        throw new Error(`weft node exited with code ${code}:\n${output}`);
      }
    },
  };
}
