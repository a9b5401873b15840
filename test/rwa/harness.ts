// Harness for the RWA suites: run one suite against a real Weft node AND a real anvil.
//
//   import { describeOnTargets } from "./harness.js";
//
//   describeOnTargets("my contracts", (t) => {
//     let token: Address;
//     before(async () => { token = await deploySomething(t.client(t.accounts[0])); });
//     test("does a thing", async () => { ... t.publicClient ... t.client(t.accounts[4]) ... });
//   }, { isolate: true });
//
// `describeOnTargets(name, fn, options)` defines `describe("name [weft]")` and `describe("name [anvil]")`,
// each calling `fn(t)` with a handle `t` for its own node. The node is spawned (on a free port; Weft
// with a fresh temporary data folder) before the suite's own `before` hooks and stopped after it.
// `t.kind` is set at once; everything else on `t` (url, clients, accounts) is ready only inside
// hooks and tests. With `isolate: true`, every test starts from the chain as the suite's `before`
// hooks left it (evm_snapshot taken before the first test, evm_revert before each next one): deploy
// once in `before`, then let tests change anything. Both targets run at the same time (they are
// independent processes), and each target's tests run one after another.
//
// WEFT_RWA_TARGETS=weft (or anvil, or weft,anvil: the default) narrows the targets. Weft runs from the
// build bin/weft.js loads, so WEFT_DIST is honoured.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe } from "node:test";
import {
  type Account,
  type Chain,
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
  type PublicClient,
  parseEther,
  type Transport,
  type WalletClient,
} from "viem";
import { generatePrivateKey, mnemonicToAccount, type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import type { RwaClient } from "../../src/rwa/sdk/client.js";

export type TargetKind = "weft" | "anvil";

/** The dev mnemonic both nodes fund by default (ten accounts, 10,000 ETH each). */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

/** The targets to run: WEFT_RWA_TARGETS (comma-separated), default both. */
export function targetKinds(): TargetKind[] {
  const raw = process.env.WEFT_RWA_TARGETS ?? "weft,anvil";
  const kinds = raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  for (const k of kinds) {
    if (k !== "weft" && k !== "anvil") throw new Error(`WEFT_RWA_TARGETS: unknown target '${k}' (weft, anvil)`);
  }
  return kinds as TargetKind[];
}

export interface RunningNode {
  kind: TargetKind;
  url: string;
  /** Everything the process printed so far. */
  output(): string;
  /** SIGTERM, wait for the exit, remove Weft's temporary data folder. */
  stop(): Promise<void>;
}

/** Spawns a node of `kind` on a free port; resolves once it prints "Listening on host:port". */
export async function startNode(kind: TargetKind, args: string[] = []): Promise<RunningNode> {
  const root = process.cwd(); // scripts/test.js and CI run from the repository root
  const datadir = kind === "weft" ? mkdtempSync(join(tmpdir(), "weft-rwa-")) : undefined;
  const argv =
    kind === "anvil"
      ? [join(root, "node_modules", ".bin", "anvil"), "--port", "0", ...args]
      : [join(root, "bin", "weft.js"), "node", "--port", "0", "--datadir", datadir!, ...args];
  const child = spawn(process.execPath, argv, { stdio: ["ignore", "pipe", "pipe"], env: process.env });
  const reap = () => child.kill("SIGKILL");
  process.on("exit", reap); // a test file that dies must not leave a node running

  let out = "";
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
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
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${kind} exited before listening:\n${out}`));
    });
  });
  return {
    kind,
    url: `http://${address}`,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      process.off("exit", reap);
      if (datadir) rmSync(datadir, { recursive: true, force: true });
    },
  };
}

/** A wallet client bound to one account (what the SDK's writes need). */
export type AccountWalletClient = WalletClient<Transport, Chain, Account>;

/** What a suite sees of its node. Only `kind` may be read outside hooks and tests. */
export interface TargetHandle {
  readonly kind: TargetKind;
  readonly url: string;
  readonly publicClient: PublicClient;
  /** The ten dev accounts (funded at genesis), as local signing accounts. */
  readonly accounts: readonly PrivateKeyAccount[];
  /** An SDK client ({publicClient, walletClient}) that signs as `account`. */
  client(account: PrivateKeyAccount): RwaClient;
  walletClient(account: PrivateKeyAccount): AccountWalletClient;
  /** A new random account holding `ether` (default 100) ETH, set with anvil_setBalance. */
  newAccount(ether?: bigint): Promise<PrivateKeyAccount>;
  /** A raw JSON-RPC call that must succeed. */
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  /** evm_snapshot's id. */
  snapshot(): Promise<Hex>;
  /** evm_revert to `id` (throws if the node refuses it). */
  revert(id: Hex): Promise<void>;
  /** Moves the clock forward by `seconds` and mines a block, so views see the new time at once. */
  increaseTime(seconds: number | bigint): Promise<void>;
  /** The latest block's timestamp. */
  now(): Promise<bigint>;
  /** The node process's output so far (for failure messages). */
  output(): string;
}

export interface DescribeOnTargetsOptions {
  /** Snapshot after the suite's `before` hooks and revert before each test (default false). */
  isolate?: boolean;
  /** Extra node flags, spelled the same for both targets. */
  args?: string[];
  /** Which targets; default `targetKinds()` (WEFT_RWA_TARGETS). */
  targets?: TargetKind[];
}

let devAccounts: PrivateKeyAccount[] | undefined;

/** The dev mnemonic's first ten accounts (derived once per process: HD derivation is not free). */
function deriveDevAccounts(): PrivateKeyAccount[] {
  devAccounts ??= Array.from({ length: 10 }, (_, i) => {
    const hd = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: i });
    return privateKeyToAccount(`0x${Buffer.from(hd.getHdKey().privateKey!).toString("hex")}`);
  });
  return devAccounts;
}

function makeHandle(kind: TargetKind, get: () => RunningNode): TargetHandle {
  let publicClient: PublicClient | undefined;
  const url = () => get().url;
  const transport = () => http(url(), { retryCount: 0 });
  const handle: TargetHandle = {
    kind,
    get url() {
      return url();
    },
    get publicClient() {
      publicClient ??= createPublicClient({ chain: foundry, transport: transport(), pollingInterval: 20 });
      return publicClient;
    },
    get accounts() {
      return deriveDevAccounts();
    },
    walletClient: (account) => createWalletClient({ account, chain: foundry, transport: transport() }),
    client: (account) => ({ publicClient: handle.publicClient, walletClient: handle.walletClient(account) }),
    newAccount: async (ether = 100n) => {
      const account = privateKeyToAccount(generatePrivateKey());
      await handle.rpc("anvil_setBalance", [account.address, `0x${parseEther(ether.toString()).toString(16)}`]);
      return account;
    },
    rpc: async <T>(method: string, params: unknown[] = []) => {
      const res = await fetch(url(), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      });
      const body = (await res.json()) as { result?: T; error?: { code: number; message: string } };
      if (body.error) throw new Error(`${kind} ${method}: ${body.error.code} ${body.error.message}`);
      return body.result as T;
    },
    snapshot: () => handle.rpc<Hex>("evm_snapshot"),
    revert: async (id) => {
      if (!(await handle.rpc<boolean>("evm_revert", [id]))) throw new Error(`${kind}: evm_revert(${id}) refused`);
    },
    increaseTime: async (seconds) => {
      await handle.rpc("evm_increaseTime", [Number(seconds)]);
      await handle.rpc("evm_mine");
    },
    now: async () => (await handle.publicClient.getBlock()).timestamp,
    output: () => get().output(),
  };
  return handle;
}

/** Defines the suite `fn` once per target (see the top of this file). */
export function describeOnTargets(
  name: string,
  fn: (t: TargetHandle) => void,
  options: DescribeOnTargetsOptions = {},
): void {
  const kinds = options.targets ?? targetKinds();
  describe(name, { concurrency: true }, () => {
    for (const kind of kinds) {
      // Concurrency is inherited: set it back to one test at a time within a target.
      describe(`${name} [${kind}]`, { concurrency: false }, () => {
        let node: RunningNode | undefined;
        const get = () => {
          if (!node) throw new Error(`the ${kind} node is not running: use the target handle inside hooks and tests`);
          return node;
        };
        const t = makeHandle(kind, get);
        before(async () => {
          node = await startNode(kind, options.args);
        });
        after(async () => {
          await node?.stop();
        });
        if (options.isolate) {
          let snap: Hex | undefined;
          beforeEach(async () => {
            if (snap !== undefined) await t.revert(snap);
            snap = await t.snapshot();
          });
        }
        fn(t);
      });
    }
  });
}
