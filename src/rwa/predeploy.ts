// predeployRwa: `weft node --rwa`'s start-up step. Against the node's own JSON-RPC URL, before it is
// announced, it deploys the RWA suite from the fixed deployer (predeploy-addresses.ts) once per chain:
// a chain whose deployer already sent the suite's transactions and holds code at every address is left
// as it is (a restart on the same --datadir), a fresh deployer deploys, anything in between is an
// error that says how to start over.
import { createPublicClient, type Hex, http, parseEther, toHex } from "viem";
import { connectRwa } from "./connect.js";
import {
  RWA_DEPLOYER_ADDRESS,
  RWA_DEPLOYER_KEY,
  RWA_PREDEPLOY_TX_COUNT,
  RWA_PREDEPLOYED,
} from "./predeploy-addresses.js";
import { deployRwaSuite, RWA_SUITE_CONTRACTS, type RwaSuite } from "./suite.js";

export * from "./predeploy-addresses.js";

export interface PredeployResult {
  suite: RwaSuite;
  /** False when the chain already held the suite. */
  deployed: boolean;
}

/** Makes sure the suite is at RWA_PREDEPLOYED on the node at `url` (which must mine by itself). */
export async function predeployRwa(url: string, headers: Record<string, string> = {}): Promise<PredeployResult> {
  const suite = RWA_PREDEPLOYED as RwaSuite;
  const reader = createPublicClient({ transport: http(url, { retryCount: 0, fetchOptions: { headers } }) });
  const nonce = await reader.getTransactionCount({ address: RWA_DEPLOYER_ADDRESS });
  if (nonce > 0) {
    const codes = await Promise.all(RWA_SUITE_CONTRACTS.map(({ key }) => reader.getCode({ address: suite[key] })));
    const missing = RWA_SUITE_CONTRACTS.filter((_, i) => (codes[i] ?? "0x") === "0x").map(({ key }) => key);
    if (nonce >= RWA_PREDEPLOY_TX_COUNT && missing.length === 0) return { suite, deployed: false };
    throw new Error(
      `--rwa: the RWA deployer ${RWA_DEPLOYER_ADDRESS} has sent ${nonce} transactions on this chain but ` +
        `${missing.length > 0 ? `${missing.join(", ")} ${missing.length === 1 ? "has" : "have"} no code` : "the suite is incomplete"}` +
        ` (an interrupted deployment?); start a new chain with another --datadir`,
    );
  }
  // A chain made without --rwa did not fund the deployer at genesis: fund it as anvil_setBalance would.
  if ((await reader.getBalance({ address: RWA_DEPLOYER_ADDRESS })) === 0n) {
    await rpc(url, headers, "anvil_setBalance", [RWA_DEPLOYER_ADDRESS, toHex(parseEther("10000"))]);
  }
  const { client } = await connectRwa(url, RWA_DEPLOYER_KEY, 5, headers);
  const deployed = await deployRwaSuite(client);
  const moved = RWA_SUITE_CONTRACTS.filter(({ key }) => deployed[key].toLowerCase() !== suite[key].toLowerCase());
  if (moved.length > 0) {
    // The suite's order of transactions changed: the fixed table (and README.md) must follow it.
    throw new Error(
      `--rwa: the suite deployed at other addresses than RWA_PREDEPLOYED (${moved
        .map(({ key }) => `${key} at ${deployed[key]}`)
        .join(", ")}); update src/rwa/predeploy-addresses.ts and README.md`,
    );
  }
  const sent = await reader.getTransactionCount({ address: RWA_DEPLOYER_ADDRESS });
  if (sent !== RWA_PREDEPLOY_TX_COUNT) {
    throw new Error(
      `--rwa: the suite took ${sent} transactions, not RWA_PREDEPLOY_TX_COUNT = ${RWA_PREDEPLOY_TX_COUNT}; update src/rwa/predeploy-addresses.ts`,
    );
  }
  return { suite, deployed: true };
}

async function rpc(url: string, headers: Record<string, string>, method: string, params: unknown[]): Promise<unknown> {
  const res = await fetch(url, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as Hex;
}
