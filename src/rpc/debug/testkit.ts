// Shared by the debug_trace* tests only: a real chain (temporary LMDB) holding two Solidity contracts
// and a block with a revert caught inside a nested call, served by the real RPC server; and the same
// signed transactions for anvil, whose traces the tests compare with ours.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Artifact, compileSources } from "../../bench/compile.js";
import { Chain } from "../../chain/chain.js";
import { DEFAULT_MNEMONIC, devAccounts } from "../../chain/dev-accounts.js";
import { devGenesis } from "../../chain/genesis.js";
import { signTransaction } from "../../chain/transaction.js";
import type { SignedTransaction } from "../../chain/types.js";
import { createAddress } from "../../evm/opcodes/system.js";
import { bigintToBytes, bytesToHex, concatBytes, hexToBytes } from "../../primitives/hex.js";
import { TxPool } from "../../txpool/tx-pool.js";
import { createRpcContext } from "../create-context.js";
import { EventBus } from "../events.js";
import { type RpcServer, startRpcServer } from "../server.js";

export const CHAIN_ID = 31337n;
export const [DEV, DEV2] = devAccounts(DEFAULT_MNEMONIC, 2) as [
  ReturnType<typeof devAccounts>[0],
  ReturnType<typeof devAccounts>[0],
];

const SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Inner {
    event Ping(uint256 x);
    uint256 public stored;

    function fail(uint256 x) external returns (uint256) {
        emit Ping(x);
        stored = x;
        require(x == 0, "inner says no");
        return x + 1;
    }
}

contract Outer {
    event Done(bool ok);
    Inner public immutable inner;

    constructor(Inner i) {
        inner = i;
    }

    function run(uint256 x) external returns (bool ok) {
        try inner.fail(x) returns (uint256) {
            ok = true;
        } catch {
            ok = false;
        }
        emit Done(ok);
    }

    function deploy() external returns (address) {
        return address(new Inner());
    }

    function boom(uint256 x) external pure returns (uint256) {
        return 10 / x;
    }
}
`;

export interface Contracts {
  inner: Artifact;
  outer: Artifact;
}

export async function compileContracts(): Promise<Contracts> {
  const out = await compileSources({ "Trace.sol": SOURCE });
  return { inner: out["Trace.sol"]!.Inner!, outer: out["Trace.sol"]!.Outer! };
}

export function calldata(artifact: Artifact, signature: string, ...words: bigint[]): Uint8Array {
  const selector = artifact.methodIdentifiers[signature];
  if (selector === undefined) throw new Error(`no method ${signature}`);
  return concatBytes(hexToBytes(selector), ...words.map((w) => bigintToBytes(w, 32)));
}

/** Dev account 0's transaction number `nonce` (type 2, 1 gwei tip, 300k gas unless said). */
export function devTx(nonce: bigint, to: bigint | null, data: Uint8Array, gasLimit = 300_000n): SignedTransaction {
  return signTransaction(
    {
      type: 2,
      chainId: CHAIN_ID,
      nonce,
      gasLimit,
      maxFeePerGas: 10_000_000_000n,
      maxPriorityFeePerGas: 1_000_000_000n,
      to,
      value: 0n,
      data,
      accessList: [],
    },
    DEV.privateKey,
  );
}

/**
 * The transactions of the scenario, block by block: Inner deployed, Outer deployed, then one block
 * with Outer.run(1) (Inner reverts, Outer catches it), Outer.run(0) (succeeds) and Outer.deploy().
 */
export function scenario(c: Contracts): { blocks: SignedTransaction[][]; inner: bigint; outer: bigint } {
  const inner = createAddress(DEV.address, 0n);
  const outer = createAddress(DEV.address, 1n);
  const blocks = [
    [devTx(0n, null, c.inner.bytecode, 1_000_000n)],
    [devTx(1n, null, concatBytes(c.outer.bytecode, bigintToBytes(inner, 32)), 1_000_000n)],
    [
      devTx(2n, outer, calldata(c.outer, "run(uint256)", 1n)),
      devTx(3n, outer, calldata(c.outer, "run(uint256)", 0n)),
      devTx(4n, outer, calldata(c.outer, "deploy()")),
    ],
  ];
  return { blocks, inner, outer };
}

export interface TestNode {
  chain: Chain;
  server: RpcServer;
  /** JSON-RPC over HTTP: the result, or the error object thrown as `RpcFailure`. */
  rpc(method: string, params: unknown[]): Promise<unknown>;
  close(): Promise<void>;
}

export class RpcFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export async function rpcAt(url: string, method: string, params: unknown[]): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { code: number; message: string } };
  if (body.error !== undefined) throw new RpcFailure(body.error.code, body.error.message);
  return body.result;
}

/** A chain with the scenario mined, served on a free port. */
export async function startTestNode(blocks: SignedTransaction[][]): Promise<TestNode> {
  const datadir = mkdtempSync(join(tmpdir(), "weft-debug-"));
  const genesis = devGenesis({
    chainId: CHAIN_ID,
    accounts: [DEV.address, DEV2.address],
    balance: 10n ** 22n,
    timestamp: 1_700_000_000n,
  });
  const chain = await Chain.open({ datadir, genesis });
  let timestamp = 1_700_000_000n;
  for (const txs of blocks) {
    timestamp += 12n;
    const mined = await chain.mine(txs, { timestamp });
    if (mined.block.transactions.length !== txs.length) {
      throw new Error(
        `testkit: block ${mined.block.header.number} took ${mined.block.transactions.length} of ${txs.length}`,
      );
    }
  }
  const pool = new TxPool({
    chainId: CHAIN_ID,
    state: () => chain.state(),
    baseFee: () => chain.head().header.baseFeePerGas,
    blockGasLimit: () => chain.head().header.gasLimit,
  });
  const ctx = createRpcContext({
    chain,
    pool,
    miner: { automine: false },
    events: new EventBus(),
    config: { coinbase: 0n },
  });
  const server = await startRpcServer({ ctx, port: 0 });
  return {
    chain,
    server,
    rpc: (method, params) => rpcAt(server.url, method, params),
    async close() {
      await server.close();
      await pool.close();
      await chain.close();
      rmSync(datadir, { recursive: true, force: true });
    },
  };
}

export function hex(bytes: Uint8Array): string {
  return bytesToHex(bytes);
}
