// The RWA command line, run as a user runs it (bin/weft.js in a child process): `weft rwa deploy
// --json` on a started Weft node and a started anvil, `weft rwa demo` end to end, the errors and exit
// codes, and `weft node --rwa`: the suite at the fixed addresses README.md lists, answering as a
// token, and kept (not deployed again) across a restart on the same data folder.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type Address, createPublicClient, getAddress, http, keccak256, toBytes } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { rwaArtifacts } from "../../src/rwa/compile.js";
import {
  RWA_DEPLOYER_ADDRESS,
  RWA_DEPLOYER_KEY,
  RWA_PREDEPLOY_TX_COUNT,
  RWA_PREDEPLOYED,
} from "../../src/rwa/predeploy-addresses.js";
import { regulatedTokenAbi } from "../../src/rwa/sdk/core-abi.js";
import { RWA_SUITE_CONTRACTS } from "../../src/rwa/suite.js";
import { describeOnTargets, type RunningNode, startNode } from "./harness.js";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `weft ...` (the build WEFT_DIST names) to its end. */
function weft(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(process.cwd(), "bin", "weft.js"), ...args],
      { env: process.env, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

// Compile (or load from .cache/solc) once up front: a node started with --rwa compiles before it
// listens, and the harness gives a node 30 s to listen.
before(() => rwaArtifacts(), { timeout: 600_000 });

const DEMO_STEPS = [
  "Issue the fund",
  "Onboard investors from two countries",
  "Subscribe at NAV through the vault",
  "Trade on the AMM",
  "Settle a delivery-versus-payment trade",
  "Pay a distribution",
  "Freeze and recover a wallet",
];

// The three parts start their own nodes and processes: they run side by side.
describe("weft rwa CLI", { concurrency: true }, () => {
  describeOnTargets("weft rwa deploy and demo", (t) => {
    test("deploy --json prints one object with every contract, each holding code", async () => {
      const run = await weft(["rwa", "deploy", "--json", "--rpc", t.url]);
      assert.equal(run.code, 0, run.stderr);
      const suite = JSON.parse(run.stdout) as Record<string, Address>;
      assert.deepEqual(Object.keys(suite).sort(), RWA_SUITE_CONTRACTS.map((c) => c.key).sort());
      for (const [key, address] of Object.entries(suite)) {
        assert.equal(getAddress(address), address, key);
        assert.notEqual(await t.publicClient.getCode({ address }), undefined, `${key} has no code`);
      }
      const token = { address: suite.token!, abi: regulatedTokenAbi } as const;
      assert.equal(await t.publicClient.readContract({ ...token, functionName: "symbol" }), "WREF");
      assert.equal(
        await t.publicClient.readContract({ ...token, functionName: "identityRegistry" }),
        suite.identityRegistry,
      );
    });

    test("demo tells every step and exits 0", async () => {
      const run = await weft(["rwa", "demo", "--rpc", t.url]);
      assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
      for (const [i, title] of DEMO_STEPS.entries()) {
        assert.match(run.stdout, new RegExp(`^${i + 1}\\. ${title}$`, "m"));
      }
      assert.match(run.stdout, /alice subscribed 20,000 TUSD \(tx 0x[0-9a-f]{4}…[0-9a-f]{4}\)/);
      assert.match(run.stdout, /bob swapped 1,000 TUSD for [\d.]+ WREF/);
      assert.match(run.stdout, /a transfer from it is refused \(sender wallet frozen\)/);
      assert.match(run.stdout, /The story completed: 7 steps\./);
    });

    test("an unfunded key is exit 1 with the account named", async () => {
      const key = generatePrivateKey();
      const run = await weft(["rwa", "deploy", "--rpc", t.url, "--key", key]);
      assert.equal(run.code, 1);
      assert.match(run.stderr, new RegExp(`account ${privateKeyToAccount(key).address} holds no ether`));
    });
  });

  describe("weft rwa: usage and unreachable nodes", () => {
    test("bad usage is exit 2 with the usage; --help is exit 0", async () => {
      for (const [args, message] of [
        [["rwa"], /missing a subcommand/],
        [["rwa", "mint"], /unknown subcommand 'mint'/],
        [["rwa", "deploy", "--key", "0x12"], /--key wants a private key/],
        [["rwa", "deploy", "--rpc", "localhost"], /--rpc wants an http/],
        [["rwa", "demo", "--frob"], /Unknown option '--frob'/],
      ] as const) {
        const run = await weft([...args]);
        assert.equal(run.code, 2, args.join(" "));
        assert.match(run.stderr, message);
        assert.match(run.stderr, /Usage: weft rwa/);
      }
      const help = await weft(["rwa", "deploy", "--help"]);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /weft rwa <deploy\|demo>/);
      assert.match((await weft(["help"])).stdout, /rwa deploy/);
    });

    test("a node that does not answer is exit 1, said plainly", async () => {
      // A port that was free a moment ago: nothing listens there.
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const port = (server.address() as AddressInfo).port;
      await new Promise((resolve) => server.close(resolve));
      for (const sub of ["deploy", "demo"]) {
        const run = await weft(["rwa", sub, "--rpc", `http://127.0.0.1:${port}`]);
        assert.equal(run.code, 1, sub);
        assert.match(
          run.stderr,
          new RegExp(`cannot reach a node at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`),
        );
      }
    });
  });

  // One test after another: the last one restarts the node the others read.
  describe("weft node --rwa", { concurrency: false }, () => {
    const datadir = mkdtempSync(join(tmpdir(), "weft-rwa-node-"));
    let node: RunningNode | undefined;
    const start = () => startNode("weft", ["--rwa", "--datadir", datadir]);
    const clientOf = (n: RunningNode) => createPublicClient({ transport: http(n.url, { retryCount: 0 }) });

    before(async () => {
      node = await start();
    });
    after(async () => {
      await node?.stop();
      rmSync(datadir, { recursive: true, force: true });
    });

    test("the deployer is keccak256('weft rwa deployer')", () => {
      assert.equal(RWA_DEPLOYER_KEY, keccak256(toBytes("weft rwa deployer")));
      assert.equal(privateKeyToAccount(RWA_DEPLOYER_KEY).address, RWA_DEPLOYER_ADDRESS);
    });

    test("README.md's table lists exactly the fixed addresses", () => {
      const readme = readFileSync(join(process.cwd(), "README.md"), "utf8");
      const section = readme.slice(readme.indexOf("## Real-world assets"));
      for (const { key } of RWA_SUITE_CONTRACTS) {
        assert.match(section, new RegExp(`\\| \`${key}\` +\\| \`${RWA_PREDEPLOYED[key]}\` `), key);
      }
      assert.match(section, new RegExp(RWA_DEPLOYER_KEY));
    });

    test("serves code at every listed address, the banner lists them, the token answers", async () => {
      const client = clientOf(node!);
      for (const { key } of RWA_SUITE_CONTRACTS) {
        const address = RWA_PREDEPLOYED[key];
        assert.ok(((await client.getCode({ address })) ?? "0x").length > 2, `${key}: no code at ${address}`);
        assert.match(node!.output(), new RegExp(`${key} +${address}`));
      }
      assert.match(node!.output(), /Deployed now/);
      const token = { address: RWA_PREDEPLOYED.token, abi: regulatedTokenAbi } as const;
      assert.equal(await client.readContract({ ...token, functionName: "name" }), "Weft Real Estate Fund");
      assert.equal(await client.readContract({ ...token, functionName: "symbol" }), "WREF");
      assert.equal(
        await client.readContract({ ...token, functionName: "identityRegistry" }),
        RWA_PREDEPLOYED.identityRegistry,
      );
      assert.equal(await client.getTransactionCount({ address: RWA_DEPLOYER_ADDRESS }), RWA_PREDEPLOY_TX_COUNT);
    });

    test("a restart on the same data folder keeps the suite and deploys nothing", async () => {
      const height = await clientOf(node!).getBlockNumber();
      await node!.stop();
      node = await start();
      const client = clientOf(node);
      assert.match(node.output(), /Already on this chain/);
      assert.equal(await client.getBlockNumber(), height);
      assert.equal(await client.getTransactionCount({ address: RWA_DEPLOYER_ADDRESS }), RWA_PREDEPLOY_TX_COUNT);
      const token = { address: RWA_PREDEPLOYED.token, abi: regulatedTokenAbi } as const;
      assert.equal(await client.readContract({ ...token, functionName: "symbol" }), "WREF");
    });
  });
});
