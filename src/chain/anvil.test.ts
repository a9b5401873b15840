// The codecs against a real client: anvil mines a Cancun block of several transaction types (one
// emitting logs, one reverting), and every hash and root it reports must be what the codecs compute.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { createPublicClient, createWalletClient, type Hex, http, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { bytesToHex, hexToBigint, hexToBytes } from "../primitives/hex.js";
import { EMPTY_TRIE_ROOT } from "../primitives/keccak.js";
import { logsBloom, orBloom } from "./bloom.js";
import { DEFAULT_MNEMONIC, devAccounts } from "./dev-accounts.js";
import { effectiveGasPrice, nextBaseFee } from "./fees.js";
import { devGenesis, genesisHeader } from "./genesis.js";
import { hashHeader } from "./header.js";
import { receiptsRoot, transactionsRoot } from "./roots.js";
import { decodeTransaction, signTransaction } from "./transaction.js";
import type { BlockHeader } from "./types.js";

const GENESIS_TIMESTAMP = 1_700_000_000n;
const KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

let anvil: ChildProcess;
let client: PublicClient;
let url: string;

before(async () => {
  const port = await freePort();
  const bin = join(dirname(createRequire(import.meta.url).resolve("@foundry-rs/anvil/package.json")), "bin.mjs");
  anvil = spawn(
    process.execPath,
    [bin, "--port", String(port), "--hardfork", "cancun", "--timestamp", String(GENESIS_TIMESTAMP), "--silent"],
    { stdio: "ignore" },
  );
  url = `http://127.0.0.1:${port}`;
  client = createPublicClient({ chain: foundry, transport: http(url) }) as PublicClient;
  for (let i = 0; ; i++) {
    try {
      await client.getChainId();
      break;
    } catch (e) {
      if (i > 100) throw new Error(`anvil did not start: ${(e as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
});

after(() => {
  anvil?.kill("SIGTERM");
});

async function rpc<T>(method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

type RpcBlock = Record<string, string | string[]>;

function headerFromRpc(b: RpcBlock): BlockHeader {
  const n = (k: string) => hexToBigint(b[k] as string);
  return {
    parentHash: n("parentHash"),
    ommersHash: n("sha3Uncles"),
    coinbase: n("miner"),
    stateRoot: n("stateRoot"),
    transactionsRoot: n("transactionsRoot"),
    receiptsRoot: n("receiptsRoot"),
    logsBloom: hexToBytes(b.logsBloom as string),
    difficulty: n("difficulty"),
    number: n("number"),
    gasLimit: n("gasLimit"),
    gasUsed: n("gasUsed"),
    timestamp: n("timestamp"),
    extraData: hexToBytes(b.extraData as string),
    mixHash: n("mixHash"),
    nonce: n("nonce"),
    baseFeePerGas: n("baseFeePerGas"),
    withdrawalsRoot: n("withdrawalsRoot"),
    blobGasUsed: n("blobGasUsed"),
    excessBlobGas: n("excessBlobGas"),
    parentBeaconBlockRoot: n("parentBeaconBlockRoot"),
  };
}

test("dev accounts are anvil's", async () => {
  const ours = devAccounts(DEFAULT_MNEMONIC, 10).map((a) => a.address);
  const theirs = (await rpc<string[]>("eth_accounts")).map(hexToBigint);
  assert.deepEqual(ours, theirs);
});

test("anvil's genesis header hashes as ours (anvil reports the empty state root for it)", async () => {
  const block = await rpc<RpcBlock>("eth_getBlockByNumber", ["0x0", false]);
  const spec = devGenesis({ chainId: 31337n, accounts: [], balance: 0n, timestamp: GENESIS_TIMESTAMP });
  const header = genesisHeader(spec, EMPTY_TRIE_ROOT);
  assert.deepEqual(headerFromRpc(block), header);
  assert.equal(hashHeader(header), hexToBigint(block.hash as string));
});

test("a mined block: transaction hashes, senders, roots, blooms, base fee and block hash agree with anvil", async () => {
  const account = privateKeyToAccount(KEY);
  const wallet = createWalletClient({ account, chain: foundry, transport: http(url) });
  // anvil gives block 1 the genesis base fee (not EIP-1559's from an empty genesis): build on block 1.
  await rpc("evm_mine");
  await rpc("evm_setAutomine", [false]);
  const to = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
  let nonce = await client.getTransactionCount({ address: account.address });
  const hashes: Hex[] = [];
  hashes.push(
    await wallet.sendTransaction({ type: "legacy", to, value: 1n, gasPrice: 3_000_000_000n, nonce: nonce++ }),
  );
  hashes.push(
    await wallet.sendTransaction({
      type: "eip2930",
      to,
      value: 2n,
      gasPrice: 3_000_000_000n,
      accessList: [{ address: to, storageKeys: [`0x${"00".repeat(31)}01`] }],
      nonce: nonce++,
    }),
  );
  // Deploys code that emits LOG2(0xaa, 0xbb) with 32 bytes of data.
  hashes.push(
    await wallet.sendTransaction({
      type: "eip1559",
      data: "0x60bb60aa60206000a200",
      maxFeePerGas: 5_000_000_000n,
      maxPriorityFeePerGas: 1_000_000_000n,
      gas: 100_000n,
      nonce: nonce++,
    }),
  );
  // Reverts: a status-0 receipt.
  hashes.push(
    await wallet.sendTransaction({
      type: "eip1559",
      data: "0x60006000fd",
      maxFeePerGas: 5_000_000_000n,
      maxPriorityFeePerGas: 2n,
      gas: 100_000n,
      nonce: nonce++,
    }),
  );
  // One signed here, sent raw: anvil must accept it under the hash we computed.
  const ours = signTransaction(
    {
      type: 2,
      chainId: 31337n,
      nonce: BigInt(nonce++),
      gasLimit: 21_000n,
      maxFeePerGas: 4_000_000_000n,
      maxPriorityFeePerGas: 3n,
      to: hexToBigint(to),
      value: 3n,
      data: new Uint8Array(0),
      accessList: [],
    },
    hexToBytes(KEY),
  );
  const sent = await rpc<string>("eth_sendRawTransaction", [bytesToHex(ours.raw)]);
  assert.equal(hexToBigint(sent), ours.hash);
  hashes.push(sent as Hex);
  await rpc("evm_mine");
  await rpc("evm_setAutomine", [true]);

  const block = await rpc<RpcBlock>("eth_getBlockByNumber", ["latest", false]);
  assert.deepEqual(block.transactions, hashes);
  const parent = await rpc<RpcBlock>("eth_getBlockByHash", [block.parentHash, false]);
  const header = headerFromRpc(block);

  const txs = await Promise.all(
    hashes.map(async (h) => decodeTransaction(hexToBytes(await rpc<string>("eth_getRawTransactionByHash", [h])))),
  );
  const receipts = await Promise.all(hashes.map((h) => rpc<Record<string, unknown>>("eth_getTransactionReceipt", [h])));
  for (const [i, tx] of txs.entries()) {
    assert.equal(tx.hash, hexToBigint(hashes[i]!));
    assert.equal(tx.sender, hexToBigint(account.address));
    assert.equal(effectiveGasPrice(tx, header.baseFeePerGas), hexToBigint(receipts[i]!.effectiveGasPrice as string));
  }
  assert.deepEqual(
    txs.map((t) => t.type),
    [0, 1, 2, 2, 2],
  );
  assert.equal(transactionsRoot(txs), header.transactionsRoot);

  const consensus = receipts.map((r) => {
    const logs = (r.logs as { address: string; topics: string[]; data: string }[]).map((l) => ({
      address: hexToBigint(l.address),
      topics: l.topics.map(hexToBigint),
      data: hexToBytes(l.data),
    }));
    const bloom = logsBloom(logs);
    assert.equal(bytesToHex(bloom), r.logsBloom);
    return {
      type: Number(r.type) as 0 | 1 | 2 | 3,
      status: Number(r.status) as 0 | 1,
      cumulativeGasUsed: hexToBigint(r.cumulativeGasUsed as string),
      logs,
      logsBloom: bloom,
    };
  });
  assert.equal(consensus[2]!.logs.length, 1);
  assert.equal(consensus[3]!.status, 0);
  assert.equal(receiptsRoot(consensus), header.receiptsRoot);
  assert.equal(bytesToHex(consensus.map((r) => r.logsBloom).reduce(orBloom)), block.logsBloom);

  assert.equal(nextBaseFee(headerFromRpc(parent)), header.baseFeePerGas);
  assert.equal(hashHeader(header), hexToBigint(block.hash as string));
});
