// connectRwa: an SDK client (viem public + wallet client) for a node URL and a private key, after
// checking that the node answers and the key's account holds ether, so the CLI can say which of the
// two is wrong instead of failing somewhere inside a deployment.
import { createPublicClient, createWalletClient, defineChain, formatEther, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { RwaClient } from "./sdk/client.js";

/** The first dev account of the test mnemonic (anvil's and `weft node`'s account 0). */
export const DEV_ACCOUNT_0_KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

export const DEFAULT_RPC = "http://127.0.0.1:8545";

/** A problem with the node or the account, worded for the command line (exit 1). */
export class RwaConnectError extends Error {
  override name = "RwaConnectError";
}

export interface ConnectedRwa {
  client: RwaClient;
  chainId: number;
  /** The account's balance in wei when connected. */
  balance: bigint;
}

/** Connects `key`'s account to the node at `rpc`; throws RwaConnectError when the node does not
 * answer or the account holds no ether. Receipts are polled every `pollingMs` (default 25); `headers` go
 * with every request (a node's `Authorization: Bearer` token). */
export async function connectRwa(
  rpc: string,
  key: Hex,
  pollingMs = 25,
  headers: Record<string, string> = {},
): Promise<ConnectedRwa> {
  const account = privateKeyToAccount(key);
  const transport = http(rpc, { retryCount: 0, timeout: 30_000, fetchOptions: { headers } });
  const probe = createPublicClient({ transport });
  let chainId: number;
  try {
    chainId = await probe.getChainId();
  } catch (e) {
    const why = networkReason(e);
    throw new RwaConnectError(`cannot reach a node at ${rpc} (${why}); start one with 'weft node' or pass --rpc`);
  }
  const chain = defineChain({
    id: chainId,
    name: `chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpc] } },
  });
  const publicClient = createPublicClient({ chain, transport, pollingInterval: pollingMs });
  const balance = await publicClient.getBalance({ address: account.address });
  if (balance === 0n) {
    throw new RwaConnectError(
      `account ${account.address} holds no ether on chain ${chainId} at ${rpc}; fund it or pass --key of a funded account`,
    );
  }
  const walletClient = createWalletClient({ account, chain, transport, pollingInterval: pollingMs });
  return { client: { publicClient: publicClient as RwaClient["publicClient"], walletClient }, chainId, balance };
}

/** The most specific reason in an error's cause chain: a system error code (ECONNREFUSED) if any. */
function networkReason(e: unknown): string {
  let deepest = e;
  for (let x: unknown = e, depth = 0; x && depth < 10; x = (x as { cause?: unknown }).cause, depth++) {
    const code = (x as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z_]+$/.test(code)) return code;
    deepest = x;
  }
  // Else the innermost message ("bad port", "fetch failed"): viem's outer one only says "HTTP request failed".
  return deepest instanceof Error ? (deepest.message.split("\n")[0] ?? deepest.message) : String(deepest);
}

/** Wei as "1.5 ETH". */
export function ether(wei: bigint): string {
  return `${formatEther(wei)} ETH`;
}
